#pragma once
// Hashing, MACs and randomness from OpenSSL, behind plain byte-string interfaces.

#include <string>
#include <string_view>

namespace fraudgov::crypto {

std::string sha256(std::string_view data);                            // 32 raw bytes
std::string sha256Hex(std::string_view data);                         // 64 lowercase hex chars
std::string sha1(std::string_view data);                              // 20 raw bytes (UUIDv5 only)
std::string hmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string randomBytes(std::size_t n);                               // CSPRNG; aborts if the RNG fails
std::string toHex(std::string_view bytes);
// "sha256:" + 64 lowercase hex: the checksum form of artifacts, manifests and registries.
std::string sha256Checksum(std::string_view data);
// Equality without early exit, so timing does not reveal where two secrets differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace fraudgov::crypto
