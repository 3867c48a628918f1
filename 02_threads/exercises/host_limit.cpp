// Exercise 2.3: write HostLimiter::acquire and release. Read host_limit.hpp for the contract.
// Check your work: ./tour.sh check ch02 host_limit
// One hint at a time: ./tour.sh hint ch02 host_limit
#include "host_limit.hpp"

namespace exercise {

void HostLimiter::acquire(const std::string& host) {
    // TODO: count one more request to `host` in flight, but never more than per_host_: while
    //       the host is full, sleep (do not spin) until a release lets this thread in.
    (void)host;
}

void HostLimiter::release(const std::string& host) {
    // TODO: count one less request to `host`, and let a thread waiting for that host go on.
    //       Mind that threads waiting for *other* hosts share the same condition variable.
    (void)host;
}

}  // namespace exercise
