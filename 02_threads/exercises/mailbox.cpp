// Exercise 2.5: write Mailbox::put and take. Read mailbox.hpp for the contract.
// Check your work: ./tour.sh check ch02 mailbox
// The check runs on x86, where even a wrong memory order usually works. Let ThreadSanitizer
// check your orders too:
//     cmake --preset tsan && cmake --build --preset tsan --target exercise_ch02_mailbox
//     ./build-tsan/02_threads/exercise_ch02_mailbox
// One hint at a time: ./tour.sh hint ch02 mailbox
#include "mailbox.hpp"

namespace exercise {

void Mailbox::put(tour::FetchResult result) {
    // TODO: keep the result, then set full_ and wake the thread waiting in take(). Use the
    //       weakest memory order that still lets take() see all of result_ (not relaxed).
    (void)result;
}

tour::FetchResult Mailbox::take() {
    // TODO: sleep until full_ is true (std::atomic has wait(); no busy loop), with the memory
    //       order that pairs with put()'s, then return the result.
    return {};
}

}  // namespace exercise
