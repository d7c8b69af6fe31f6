// RFC 8785 canonicalization (the bytes behind audit hashes and approval bindings) of any
// document Boost.JSON's stock parser accepts — wider than parseStrict: duplicate keys, numbers
// Boost rounds imprecisely. The canonical text must be strict JSON, and a fixed point when read
// back the way fraudgov reads stored documents:
// canonicalize(parseStrict(canonicalize(x))) == canonicalize(x).
#include <boost/json/parse.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/canonical_json.h"
#include "common/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fraudgov::json::ParseLimits limits;
  boost::json::error_code ec;
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  const boost::json::value parsed = boost::json::parse(text, ec, {}, options);
  if (ec) return 0;
  const std::string canonical = fraudgov::json::canonicalize(parsed);
  auto again = fraudgov::json::parseStrict(canonical, limits);
  if (!again) std::abort();
  if (fraudgov::json::canonicalize(*again) != canonical) std::abort();
  return 0;
}
