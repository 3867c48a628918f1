// sitesim's fault injection: the answers that go wrong on purpose, so the tour's clients can be
// tested against what real servers do (reset the connection, never answer, send garbage, cut the
// body short, trickle it, redirect). A request asks for one with ?fault=NAME (request.hpp parses
// it); the model (site_model.hpp) gives some pages one of their own.
#pragma once

#include <asio/awaitable.hpp>

#include "simulator/connection.hpp"
#include "simulator/request.hpp"

namespace sitesim {

// Answers `page` with its fault (page.fault != Fault::none), after the page's latency has been
// waited. Returns whether the connection may serve another request.
asio::awaitable<bool> serve_fault(Connection& c, const RequestHead& head, const PageRequest& page);

}  // namespace sitesim
