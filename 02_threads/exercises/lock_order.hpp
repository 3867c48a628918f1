// Exercise 2.6: move a URL between two sets, each with its own lock, without deadlock.
// (Do not edit this header; write your answer in lock_order.cpp.)
//
// Python has the same trap: two threading.Lock objects taken in opposite orders by two threads
// hang both for ever. Neither language detects it for you at run time; ThreadSanitizer reports
// the opposite orders even in a run that happened not to hang (docs/02-threads.md).
#pragma once

#include <mutex>
#include <set>
#include <string>

namespace exercise {

struct UrlSet {
    std::mutex mutex;  // guards urls
    std::set<std::string> urls;
};

// If `from` holds `url`, move it to `to`, holding both sets' locks while it moves (a URL is
// never in neither set, nor in both). Any number of threads may call it at once, in any
// direction: move_url(a, b, ...) on one thread and move_url(b, a, ...) on another must never
// deadlock. move_url(a, a, url) leaves `a` as it is.
void move_url(UrlSet& from, UrlSet& to, const std::string& url);

}  // namespace exercise
