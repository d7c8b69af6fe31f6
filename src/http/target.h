#pragma once

#include <string_view>

#include "http/message.h"

namespace fraudgov::http {

// Splits an origin-form target ("/a/b%20c?x=1") into decoded path, segments and query
// parameters. False when the target is not a valid origin-form URI.
bool parseTarget(std::string_view target, Request& request);

}  // namespace fraudgov::http
