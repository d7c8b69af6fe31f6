#pragma once
// UUID generation (v7 for ids, v4 for request ids, v5 for name-derived audit ids) and parsing.

#include <optional>
#include <string>
#include <string_view>

namespace fraudgov::uuid {

// RFC 9562 UUIDv7: time-ordered; ids made in one process are strictly increasing.
std::string v7();
std::string v4();
// RFC 4122 name-based SHA-1 UUID.
std::string v5(std::string_view namespace_uuid, std::string_view name);
inline constexpr std::string_view kNamespaceDns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

// Canonical lowercase hyphenated form, or nullopt when text is not a UUID.
std::optional<std::string> normalize(std::string_view text);
bool isValid(std::string_view text);

}  // namespace fraudgov::uuid
