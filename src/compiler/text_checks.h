#pragma once
// String checks for untrusted tree content, and a safe way to echo such strings in messages.

#include <string>
#include <string_view>

namespace fraudgov::compiler {

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). Trees built in code, not
// parsed by json::parseStrict, could carry anything; canonical bytes must stay well defined.
bool isValidUtf8(std::string_view s);

// At most 64 bytes of s, cut on a code point boundary, with "..." when shortened and '?' for
// malformed bytes: keeps error messages small and valid UTF-8 whatever the client sent.
std::string displayText(std::string_view s);

}  // namespace fraudgov::compiler
