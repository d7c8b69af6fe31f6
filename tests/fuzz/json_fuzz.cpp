// Strict JSON parsing and RFC 8785 canonicalization of untrusted bytes: never crash, and
// canonical output always parses back to an equal document.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/canonical_json.h"
#include "common/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = fraudgov::json::parseStrict(text);
  if (!parsed) return 0;
  const std::string canonical = fraudgov::json::canonicalize(*parsed);
  auto again = fraudgov::json::parseStrict(canonical);
  if (!again) std::abort();
  if (fraudgov::json::canonicalize(*again) != canonical) std::abort();  // canonical form is a fixed point
  return 0;
}
