#pragma once
// Who the client is, network-wise, for per-client decisions (rate limiting). The one function
// that decides it, so believing X-Forwarded-For from trusted proxies is a change in one place.

#include <string>

#include "http/message.h"

namespace fraudgov::app {

// The TCP peer's address as text ("" when the transport did not report one).
std::string clientAddress(const http::Request& request);

}  // namespace fraudgov::app
