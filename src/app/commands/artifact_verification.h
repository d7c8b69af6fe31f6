#pragma once
// What verify-artifact and evaluate share: the options naming a signed manifest, its artifact and
// the pinned keys, and the check itself (publish::verifyArtifact). evaluate runs exactly this
// before it loads anything, so it can never evaluate an artifact verify-artifact would refuse.

#include <CLI/App.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "publish/manifest.h"

namespace fraudgov::app::commands {

struct VerificationOptions {
  std::string manifest_path;
  std::string artifact_path;
  std::string public_key_path;  // a PEM (SubjectPublicKeyInfo); or
  std::string key_set_path;     // the published key-set copy (publish::parseKeySetText)
  std::optional<std::string> environment;
  std::optional<std::int64_t> min_sequence;
};

// Adds --manifest, --artifact, exactly one of --public-key/--key-set, --environment and
// --min-sequence to `command`, storing into `options` (which must outlive parsing).
void addVerificationOptions(CLI::App& command, VerificationOptions& options);

struct VerifiedArtifact {
  publish::VersionManifest manifest;  // of an activation record: the version it activates
  bool is_activation_record = false;
  std::optional<std::int64_t> sequence;
  std::string artifact_bytes;
};

// Errors carrying a reason (publish::failureReason) are verification refusals; any other error
// is an unreadable file or an unusable key.
Result<VerifiedArtifact> verifyFromFiles(const VerificationOptions& options);

// "OK <kind> <environment>/<region>/<country>/<ruleset_key> v<N> [sequence <n>] <checksum>"
std::string okLine(const VerifiedArtifact& verified);

// Prints "FAIL <reason>: <message>" on stderr for a refusal (returns kExitRefused) or the usage
// line for anything else (returns kExitUsage). stderr, so evaluate's stdout holds decisions only.
int reportVerificationError(std::string_view command, const Error& error);

}  // namespace fraudgov::app::commands
