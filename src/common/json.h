#pragma once
// Strict JSON for untrusted input: bounded depth, duplicate keys refused, UTF-8 validated.
// Boost.JSON's stock parser silently keeps one of two duplicate keys, which would let a
// client show a reviewer one value and the compiler another; parseStrict refuses them.

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::json {

struct ParseLimits {
  std::size_t max_depth = 64;
};

// Parses exactly one JSON document. Errors are kBadRequest with a message naming the problem.
Result<boost::json::value> parseStrict(std::string_view text, ParseLimits limits = {});

std::string serialize(const boost::json::value& v);

// True when any string or key inside v holds a NUL character (PostgreSQL cannot store those).
bool containsNul(const boost::json::value& v);

}  // namespace fraudgov::json
