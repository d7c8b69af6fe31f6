#include "publish/artifact_location.h"

#include <fmt/format.h>

#include <algorithm>

namespace fraudgov::publish {

namespace {

bool isSafeKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

// Names the segment (region, country, ...) but not its value: the value is what was wrong and
// may hold anything, including control characters.
Status checkSegment(std::string_view name, std::string_view value) {
  if (isSafeKeySegment(value)) return {};
  return fail(Error::validation(
      fmt::format("Artifact location {} must be 1-{} characters of letters, digits, '-', '_' and '.' (not '.' or "
                  "'..')",
                  name, kMaxKeySegmentBytes),
      {{"segment", std::string(name)}}));
}

Status checkVersion(int version) {
  if (version >= 1) return {};
  return fail(Error::validation("Artifact location version must be at least 1", {{"segment", "version"}}));
}

Result<std::string> rulesetPrefix(std::string_view env, std::string_view region, std::string_view country,
                                  std::string_view ruleset_key) {
  FRAUDGOV_RETURN_IF_ERROR(checkSegment("environment", env));
  FRAUDGOV_RETURN_IF_ERROR(checkSegment("region", region));
  FRAUDGOV_RETURN_IF_ERROR(checkSegment("country", country));
  FRAUDGOV_RETURN_IF_ERROR(checkSegment("ruleset_key", ruleset_key));
  return fmt::format("rulesets/{}/{}/{}/{}", env, region, country, ruleset_key);
}

Result<std::string> versionedRulesetKey(std::string_view env, std::string_view region, std::string_view country,
                                        std::string_view ruleset_key, int version, std::string_view file) {
  FRAUDGOV_RETURN_IF_ERROR(checkVersion(version));
  FRAUDGOV_ASSIGN_OR_RETURN(std::string prefix, rulesetPrefix(env, region, country, ruleset_key));
  std::string key = fmt::format("{}/v{}/{}", prefix, version, file);
  FRAUDGOV_RETURN_IF_ERROR(validateArtifactKey(key));  // the total length bound
  return key;
}

}  // namespace

bool isSafeKeySegment(std::string_view segment) {
  if (segment.empty() || segment.size() > kMaxKeySegmentBytes || segment == "." || segment == "..") return false;
  return std::all_of(segment.begin(), segment.end(), isSafeKeyChar);
}

Status validateArtifactKey(std::string_view key) {
  if (key.empty()) return fail(Error::malformed("Artifact key is empty"));
  if (key.size() > kMaxArtifactKeyBytes) {
    return fail(Error::malformed(fmt::format("Artifact key is longer than {} bytes", kMaxArtifactKeyBytes)));
  }
  if (key.front() == '/') return fail(Error::malformed("Artifact key must be relative"));
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t slash = std::min(key.find('/', start), key.size());
    if (!isSafeKeySegment(key.substr(start, slash - start))) {
      return fail(Error::malformed(
          "Artifact key segments must be letters, digits, '-', '_' and '.', not empty and not '.' or '..'"));
    }
    start = slash + 1;
  }
  return {};
}

Result<std::string> rulesetArtifactKey(std::string_view env, std::string_view region, std::string_view country,
                                       std::string_view ruleset_key, int version) {
  return versionedRulesetKey(env, region, country, ruleset_key, version, "ruleset.json");
}

Result<std::string> rulesetManifestKey(std::string_view env, std::string_view region, std::string_view country,
                                       std::string_view ruleset_key, int version) {
  return versionedRulesetKey(env, region, country, ruleset_key, version, "manifest.json");
}

Result<std::string> rulesetPointerKey(std::string_view env, std::string_view region, std::string_view country,
                                      std::string_view ruleset_key) {
  FRAUDGOV_ASSIGN_OR_RETURN(std::string prefix, rulesetPrefix(env, region, country, ruleset_key));
  std::string key = prefix + "/manifest.json";
  FRAUDGOV_RETURN_IF_ERROR(validateArtifactKey(key));
  return key;
}

std::string artifactKeysKey() { return "keys/artifact-keys.json"; }

Result<std::string> fieldRegistryKey(int version) {
  FRAUDGOV_RETURN_IF_ERROR(checkVersion(version));
  return fmt::format("fields/registry/v{}/fields.json", version);
}

}  // namespace fraudgov::publish
