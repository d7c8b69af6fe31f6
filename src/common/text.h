#pragma once
// Small text helpers shared by validation code.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fraudgov::text {

// Number of Unicode code points in valid UTF-8 (length limits count characters, not bytes).
std::size_t codePointCount(std::string_view utf8);
bool containsNul(std::string_view s);
std::string toLower(std::string_view s);
std::string toUpper(std::string_view s);
std::string_view trim(std::string_view s);
std::vector<std::string> splitTrimmed(std::string_view s, char sep);  // empty items dropped
bool iequals(std::string_view a, std::string_view b);

}  // namespace fraudgov::text
