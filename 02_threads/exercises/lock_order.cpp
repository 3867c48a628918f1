// Exercise 2.6: fix the deadlock in move_url. Read lock_order.hpp for the contract.
// Check your work: ./tour.sh check ch02 lock_order
// One hint at a time: ./tour.sh hint ch02 lock_order
#include "lock_order.hpp"

namespace exercise {

void move_url(UrlSet& from, UrlSet& to, const std::string& url) {
    // TODO: two threads moving URLs in opposite directions deadlock here: each takes its first
    //       lock, then waits for ever for the one the other holds. Fix it with a lock order:
    //       whatever the arguments, every thread takes the two locks in the same order
    //       (std::scoped_lock is the other fix, shown in 02_threads/deadlock.cpp; here, do
    //       without it, as programs with many locks must). Mind move_url(a, a, url).
    const std::lock_guard lock_from(from.mutex);
    const std::lock_guard lock_to(to.mutex);
    if (from.urls.erase(url) == 1) to.urls.insert(url);
}

}  // namespace exercise
