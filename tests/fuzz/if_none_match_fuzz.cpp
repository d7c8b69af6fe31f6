// If-None-Match from clients (http/conditional.h): any bytes parse without crashing, and a value
// only matches a tag it actually names (or "*"), never a tag it does not contain.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/conditional.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kTag = "\"Wd3kq9ZcXbLmT0pRsV2yAe\"";
  const bool matched = fraudgov::http::ifNoneMatchMatches(value, kTag);
  if (matched && value.find(kTag) == std::string_view::npos && value.find('*') == std::string_view::npos) std::abort();
  (void)fraudgov::http::ifNoneMatchMatches(value, "\"\"");
  return 0;
}
