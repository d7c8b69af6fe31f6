// RFC 8785 canonicalization of any document Boost.JSON accepts (wider than parseStrict: the
// audit chain and approval hashes depend on canonical bytes being a fixed point):
// canonicalize(parse(canonicalize(x))) == canonicalize(x), and the canonical text parses.
#include <boost/json/parse.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::json::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;
  const boost::json::value parsed = boost::json::parse(text, ec, {}, options);
  if (ec) return 0;
  const std::string canonical = fraudgov::json::canonicalize(parsed);
  boost::json::error_code again_ec;
  const boost::json::value again = boost::json::parse(canonical, again_ec, {}, options);
  if (again_ec) std::abort();
  if (fraudgov::json::canonicalize(again) != canonical) std::abort();
  return 0;
}
