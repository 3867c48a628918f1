// Exercise 2.5, a worked answer.
#include "mailbox.hpp"

#include <utility>

namespace exercise {

void Mailbox::put(tour::FetchResult result) {
    result_ = std::move(result);
    // release: every write above (all of result_) happens before a load that reads this true
    // with acquire. relaxed would order nothing: take() could see the flag and half a result.
    full_.store(true, std::memory_order_release);
    full_.notify_one();
}

tour::FetchResult Mailbox::take() {
    // wait(false) sleeps while the value is false and returns once a load (acquire) sees true:
    // from then on, everything put() wrote before its release store is visible here.
    full_.wait(false, std::memory_order_acquire);
    return std::move(result_);
}

}  // namespace exercise
