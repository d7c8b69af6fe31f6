#pragma once
// How a JSON value reads as a NUMBER or a DATE operand. Shared by the validator (BETWEEN bounds)
// and the evaluator (transaction values), so both sides agree on what counts as a number or a date.

#include <boost/json/value.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/time.h"

namespace fraudgov::compiler {

// Integers and finite doubles, compared as double. Booleans are not numbers, and neither are
// numeric strings such as "100".
inline std::optional<double> asNumber(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::int64:
      return static_cast<double>(v.get_int64());
    case boost::json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    case boost::json::kind::double_:
      if (!std::isfinite(v.get_double())) return std::nullopt;
      return v.get_double();
    default:
      return std::nullopt;
  }
}

// ISO-8601 date or date-time strings (parseIso), as UTC microseconds. A date alone is midnight UTC.
inline std::optional<std::int64_t> asInstant(const boost::json::value& v) {
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_string();
  const auto t = parseIso(std::string_view(s.data(), s.size()));
  if (!t) return std::nullopt;
  return t->micros;
}

}  // namespace fraudgov::compiler
