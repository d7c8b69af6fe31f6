#include "app/commands/artifact_verification.h"

#include <fmt/format.h>

#include <cstdio>
#include <vector>

#include "app/commands/command_files.h"
#include "app/commands/error_report.h"
#include "app/commands/exit_codes.h"
#include "publish/artifact_verifier.h"
#include "publish/key_ring.h"
#include "publish/signing_key.h"
#include "publish/verify_failure.h"

namespace fraudgov::app::commands {

namespace {

Result<std::vector<publish::ArtifactPublicKey>> loadKeys(const VerificationOptions& options) {
  if (!options.public_key_path.empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(const std::string pem, readFileBytes(options.public_key_path));
    auto key = publish::ArtifactPublicKey::fromPem(pem);
    if (!key) {
      return fail(Error::validation(fmt::format("--public-key {}: {}", options.public_key_path, key.error().message)));
    }
    return std::vector{*key};
  }
  FRAUDGOV_ASSIGN_OR_RETURN(const std::string text, readFileBytes(options.key_set_path));
  auto ring = publish::parseKeySetText(text);
  if (!ring) {
    return fail(Error::validation(fmt::format("--key-set {}: {}", options.key_set_path, ring.error().message)));
  }
  return ring->publicKeys();
}

// The verifier has already checked the payload's shape; this only gives it a type.
Result<VerifiedArtifact> typed(const publish::VerifiedManifest& verified, std::string artifact_bytes) {
  VerifiedArtifact out;
  out.is_activation_record = verified.is_activation_record;
  out.sequence = verified.sequence;
  out.artifact_bytes = std::move(artifact_bytes);
  if (verified.is_activation_record) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto record, publish::parseActivationRecord(verified.payload));
    out.manifest = std::move(record.version);
  } else {
    FRAUDGOV_ASSIGN_OR_RETURN(out.manifest, publish::parseVersionManifest(verified.payload));
  }
  return out;
}

}  // namespace

void addVerificationOptions(CLI::App& command, VerificationOptions& options) {
  command.add_option("--manifest", options.manifest_path, "Signed version manifest or activation record")->required();
  command.add_option("--artifact", options.artifact_path, "The ruleset artifact (ruleset.json)")->required();
  auto* keys = command.add_option_group("keys", "The pinned verification key(s), exactly one of");
  keys->add_option("--public-key", options.public_key_path, "Ed25519 public key, PEM");
  keys->add_option("--key-set", options.key_set_path, "The published key-set document (JSON)");
  keys->require_option(1);
  command.add_option_function<std::string>(
      "--environment", [&options](const std::string& e) { options.environment = e; },
      "Refuse manifests of any other environment");
  command.add_option_function<std::int64_t>(
      "--min-sequence", [&options](const std::int64_t& n) { options.min_sequence = n; },
      "Refuse activation records older than this sequence (and version manifests)");
}

Result<VerifiedArtifact> verifyFromFiles(const VerificationOptions& options) {
  FRAUDGOV_ASSIGN_OR_RETURN(const auto keys, loadKeys(options));
  FRAUDGOV_ASSIGN_OR_RETURN(const std::string manifest, readFileBytes(options.manifest_path));
  FRAUDGOV_ASSIGN_OR_RETURN(std::string artifact, readFileBytes(options.artifact_path));
  const publish::VerifyOptions verify{options.environment, options.min_sequence};
  FRAUDGOV_ASSIGN_OR_RETURN(const auto verified, publish::verifyArtifact(manifest, artifact, keys, verify));
  return typed(verified, std::move(artifact));
}

std::string okLine(const VerifiedArtifact& verified) {
  const auto& m = verified.manifest;
  const std::string sequence = verified.sequence ? fmt::format(" sequence {}", *verified.sequence) : "";
  return fmt::format("OK {} {}/{}/{}/{} v{}{} {}\n",
                     verified.is_activation_record ? "activation_record" : "version_manifest", m.environment, m.region,
                     m.country, m.ruleset_key, m.ruleset_version, sequence, m.checksum);
}

int reportVerificationError(std::string_view command, const Error& error) {
  const std::string_view reason = publish::failureReason(error);
  if (reason.empty()) return reportError(command, error, kExitUsage);
  std::fputs(fmt::format("FAIL {}: {}\n", reason, error.message).c_str(), stderr);
  return kExitRefused;
}

}  // namespace fraudgov::app::commands
