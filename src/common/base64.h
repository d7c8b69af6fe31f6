#pragma once
// Strict base64 (RFC 4648 §4) and base64url (§5, unpadded) codecs: decoding refuses any
// character outside the alphabet, wrong padding and non-zero trailing bits.

#include <optional>
#include <string>
#include <string_view>

namespace fraudgov::base64 {

std::string encode(std::string_view bytes);
std::optional<std::string> decode(std::string_view text);
std::string encodeUrl(std::string_view bytes);
std::optional<std::string> decodeUrl(std::string_view text);

}  // namespace fraudgov::base64
