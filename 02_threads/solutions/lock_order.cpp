// Exercise 2.6, a worked answer: a global lock order, by address.
#include "lock_order.hpp"

#include <functional>

namespace exercise {

void move_url(UrlSet& from, UrlSet& to, const std::string& url) {
    if (&from == &to) return;  // one set: nothing moves (and locking its mutex twice would hang)
    // Every thread locks the set at the lower address first, whichever way it moves: a thread
    // that holds the second lock always got the first one before, so no cycle of waits can
    // form. (std::less, not <: it is defined for any two pointers.)
    UrlSet& first = std::less<const UrlSet*>{}(&from, &to) ? from : to;
    UrlSet& second = &first == &from ? to : from;
    const std::lock_guard lock_first(first.mutex);
    const std::lock_guard lock_second(second.mutex);
    if (from.urls.erase(url) == 1) to.urls.insert(url);
}

}  // namespace exercise
