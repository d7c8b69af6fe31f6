#include "app/commands/verify_audit_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands/command_files.h"
#include "app/commands/error_report.h"
#include "app/commands/exit_codes.h"
#include "common/json.h"
#include "domain/audit_verification.h"
#include "publish/audit_checkpoint.h"
#include "publish/key_ring.h"
#include "publish/verify_failure.h"

namespace fraudgov::app::commands {

namespace {

constexpr std::string_view kCommand = "verify-audit";

struct VerifyAuditOptions {
  std::vector<std::string> export_paths;
  std::string checkpoint_path;
  std::string public_key_path;
  std::string key_set_path;
  std::string environment;
};

Result<std::vector<publish::ArtifactPublicKey>> loadKeys(const VerifyAuditOptions& o) {
  if (!o.public_key_path.empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(const std::string pem, readFileBytes(o.public_key_path));
    auto key = publish::ArtifactPublicKey::fromPem(pem);
    if (!key) return fail(Error::validation(fmt::format("--public-key {}: {}", o.public_key_path, key.error().message)));
    return std::vector{*key};
  }
  FRAUDGOV_ASSIGN_OR_RETURN(const std::string text, readFileBytes(o.key_set_path));
  auto ring = publish::parseKeySetText(text);
  if (!ring) return fail(Error::validation(fmt::format("--key-set {}: {}", o.key_set_path, ring.error().message)));
  return ring->publicKeys();
}

int refuse(std::string_view reason, const std::string& detail) {
  std::fputs(fmt::format("FAIL {}: {}\n", reason, detail).c_str(), stderr);
  return kExitRefused;
}

int runVerifyAudit(const VerifyAuditOptions& o) {
  auto keys = loadKeys(o);
  if (!keys) {
    return reportError(kCommand, keys.error(), kExitUsage);
  }
  auto checkpoint_bytes = readFileBytes(o.checkpoint_path);
  if (!checkpoint_bytes) {
    return reportError(kCommand, checkpoint_bytes.error(), kExitUsage);
  }
  domain::CheckpointEvidence evidence;
  std::optional<publish::AuditCheckpoint> checkpoint;
  if (auto verified = publish::verifyAuditCheckpoint(*checkpoint_bytes, *keys, o.environment)) {
    evidence.anchor = domain::AuditAnchor{verified->sequence, verified->head_hash};
    checkpoint = std::move(*verified);
  } else {
    const std::string_view reason = publish::failureReason(verified.error());
    evidence.invalid = std::string(reason.empty() ? publish::reason::kMalformedManifest : reason) + ": " +
                       verified.error().message;
  }

  domain::ChainEvidence chain;
  domain::AuditChainWalker walker;
  for (const auto& path : o.export_paths) {
    auto text = readFileBytes(path);
    if (!text) {
      return reportError(kCommand, text.error(), kExitUsage);
    }
    std::istringstream lines(*text);
    std::size_t number = 0;
    for (std::string line; std::getline(lines, line);) {
      ++number;
      if (line.empty()) continue;
      auto parsed = json::parseStrict(line);
      auto record = parsed ? domain::parseAuditExportLine(*parsed) : Result<domain::AuditRecord>(fail(parsed.error()));
      if (!record) return refuse("malformed_export", fmt::format("{} line {}: {}", path, number, record.error().message));
      walker.add(*record);
      chain.head_seq = record->seq;
      chain.head_hash = record->row_hash;
      if (evidence.anchor && record->seq == evidence.anchor->sequence) chain.hash_at_anchor = record->row_hash;
    }
  }
  chain.checked = walker.checked();
  chain.first_break = walker.broken();
  const auto verdict = domain::judgeAuditChain(chain, evidence, 0);
  if (!verdict.ok()) {
    std::string detail;
    for (std::size_t i = 0; i < verdict.details.size(); ++i) detail += (i ? "; " : "") + verdict.details[i];
    return refuse(verdict.status, detail);
  }
  if (!checkpoint) return refuse(domain::audit_status::kForged, "no verified checkpoint");
  const std::string ok = fmt::format("OK audit chain: {} rows, head {}, checkpoint {} ({})\n", chain.checked,
                                     chain.head_seq, checkpoint->sequence, checkpoint->kid);
  if (auto written = writeStdout(ok); !written) {
    return reportError(kCommand, written.error(), kExitUsage);
  }
  return kExitOk;
}

}  // namespace

void addVerifyAuditCommand(CLI::App& cli, std::function<int()>& run) {
  auto options = std::make_shared<VerifyAuditOptions>();
  auto* cmd = cli.add_subcommand(std::string(kCommand),
                                 "Verify an audit log export against a signed checkpoint (offline)");
  cmd->add_option("--export", options->export_paths, "NDJSON from GET /api/v1/audit-log/export (repeat for pages)")
      ->required();
  cmd->add_option("--checkpoint", options->checkpoint_path, "Signed checkpoint, e.g. audit-checkpoints/latest.json")
      ->required();
  auto* keys = cmd->add_option_group("keys", "The pinned verification key(s), exactly one of");
  keys->add_option("--public-key", options->public_key_path, "Ed25519 public key, PEM");
  keys->add_option("--key-set", options->key_set_path, "The published audit key set (keys/audit-keys.json)");
  keys->require_option(1);
  cmd->add_option("--environment", options->environment, "Refuse a checkpoint of any other environment");
  cmd->callback([&run, options] { run = [options] { return runVerifyAudit(*options); }; });
}

}  // namespace fraudgov::app::commands
