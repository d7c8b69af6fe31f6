#pragma once
// The object-key layout of published artifacts (SPEC §4: the layout includes the region) and the
// rule every key obeys. Keys are built from user-supplied region, country and ruleset names, so
// both the builders and the stores refuse anything that could escape the artifact root or be
// read differently by another tool: only letters, digits, '-', '_' and '.', never "." or "..".

#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::publish {

inline constexpr std::size_t kMaxArtifactKeyBytes = 1024;
inline constexpr std::size_t kMaxKeySegmentBytes = 255;  // a file name on every common filesystem

// One path segment: 1..255 characters of [A-Za-z0-9._-], and not "." or "..".
bool isSafeKeySegment(std::string_view segment);

// A whole key: safe segments joined by '/', no leading or trailing '/', at most 1024 bytes.
// Refusals are kBadRequest and never echo the key (it may hold control characters).
Status validateArtifactKey(std::string_view key);

// rulesets/{env}/{region}/{country}/{ruleset_key}/v{version}/ruleset.json
Result<std::string> rulesetArtifactKey(std::string_view env, std::string_view region, std::string_view country,
                                       std::string_view ruleset_key, int version);
// rulesets/{env}/{region}/{country}/{ruleset_key}/v{version}/manifest.json
Result<std::string> rulesetManifestKey(std::string_view env, std::string_view region, std::string_view country,
                                       std::string_view ruleset_key, int version);
// rulesets/{env}/{region}/{country}/{ruleset_key}/manifest.json: the mutable runtime pointer.
Result<std::string> rulesetPointerKey(std::string_view env, std::string_view region, std::string_view country,
                                      std::string_view ruleset_key);
// keys/artifact-keys.json: the public keys that verify artifact signatures.
std::string artifactKeysKey();
// fields/registry/v{version}/fields.json
Result<std::string> fieldRegistryKey(int version);

}  // namespace fraudgov::publish
