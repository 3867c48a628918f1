// Exercise 2.3, a worked answer.
#include "host_limit.hpp"

namespace exercise {

void HostLimiter::acquire(const std::string& host) {
    std::unique_lock lock(mutex_);
    int& count = in_flight_[host];  // a std::map never moves its elements: the reference stays valid
    released_.wait(lock, [&] { return count < per_host_; });
    ++count;
}

void HostLimiter::release(const std::string& host) {
    {
        std::lock_guard lock(mutex_);
        --in_flight_[host];
    }
    // Every waiter, whatever its host, shares this one condition variable: notify_one could wake
    // a thread waiting for another host, which goes back to sleep, while the thread that could
    // have gone on never hears of it.
    released_.notify_all();
}

}  // namespace exercise
