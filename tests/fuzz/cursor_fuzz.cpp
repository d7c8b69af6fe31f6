// Pagination cursors from clients: garbage is a clean 400, and nothing but our own encoding
// of a key decodes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "service/paging.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fraudgov::service::CursorCodec codec("fuzz-key-0123456789abcdef0123456789");
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  auto decoded = codec.decode("scope", token);
  if (decoded && codec.encode("scope", *decoded) != token) std::abort();
  return 0;
}
