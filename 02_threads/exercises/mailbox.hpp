// Exercise 2.5: hand one result from a thread to another through an atomic flag, with no mutex.
// (Do not edit this header; write your answer in mailbox.cpp.)
//
// The Python counterpart needs no thought about memory order: a threading.Event (or a
// queue.Queue) does the ordering for you. Here the flag is a std::atomic<bool>, and the memory
// order of its store and load decides whether the consumer sees the whole result.
#pragma once

#include <atomic>

#include "common/fetch.hpp"

namespace exercise {

class Mailbox {
public:
    // Called once, by the producing thread: keep `result`, then tell the consuming thread.
    void put(tour::FetchResult result);
    // Called once, by the consuming thread: sleep (not spin) until put() has been called, then
    // return the result put() was given.
    tour::FetchResult take();

private:
    tour::FetchResult result_;       // written by put() before full_ is set; read by take() after
    std::atomic<bool> full_{false};  // "result_ is complete"
};

}  // namespace exercise
