// The JWT verifier on hostile tokens: any input must be refused cleanly (there is no key that
// could make a random token valid), never crash or read out of bounds.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fraudgov::auth::AuthSettings settings = [] {
    fraudgov::auth::AuthSettings s;
    s.issuer = "https://idp.test/";
    s.audiences = {"api"};
    return s;
  }();
  static const fraudgov::auth::JwtVerifier verifier(settings);
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  auto lookup = [](std::string_view) {
    return fraudgov::auth::KeyLookup{fraudgov::auth::KeyLookupOutcome::kUnknownKid, nullptr};
  };
  auto result = verifier.verify(token, lookup, fraudgov::nowUtc());
  if (result) std::abort();
  return 0;
}
