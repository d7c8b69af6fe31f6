#pragma once
// Verifying the audit chain against a signed checkpoint of its head (issue 11 item 5; pure).
//
// The chain alone (domain/audit.h) shows a row edited in place, but not rows deleted from the
// end, every row deleted, or a rewrite whose later hashes were recomputed: nothing outside the
// table says what the head was. A checkpoint is that outside statement: (sequence, hash) of the
// head, signed and stored outside the audit table. judgeAuditChain combines what a walk of the
// chain found with the latest checkpoint into one verdict with stable reason codes:
//   ok         the chain links from genesis to its head, and the head covers the checkpoint;
//   truncated  the head is below the checkpoint's sequence (every row deleted included);
//   rewritten  the row at the checkpoint's sequence has another hash than the signed one, even
//              if the chain recomputes;
//   forged     the checkpoint's signature does not verify (unknown key, bad signature, not ours),
//              or rows after the checkpoint do not chain onto it;
//   broken     the chain does not link at or before the checkpoint (or there is no checkpoint);
//   content_mismatch  a rule version's stored content differs from what its audit row recorded.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/audit.h"

namespace fraudgov::domain {

namespace audit_status {
inline constexpr const char* kOk = "ok";
inline constexpr const char* kTruncated = "truncated";
inline constexpr const char* kRewritten = "rewritten";
inline constexpr const char* kForged = "forged";
inline constexpr const char* kBroken = "broken";
inline constexpr const char* kContentMismatch = "content_mismatch";
}  // namespace audit_status

// The first row that does not hold: reason "sequence_gap", "broken_link" or "hash_mismatch".
struct ChainBreak {
  std::int64_t seq = 0;
  std::string audit_id;
  std::string reason;
};

// Walks rows in ascending seq order from genesis, or from a trusted point (a checkpoint).
class AuditChainWalker {
 public:
  AuditChainWalker() = default;
  AuditChainWalker(std::int64_t after_seq, std::string after_hash)
      : expected_seq_(after_seq + 1), expected_prev_(std::move(after_hash)) {}

  // False from the first row that does not hold on (recorded in broken()); later rows are ignored.
  bool add(const AuditRecord& r);
  std::int64_t checked() const { return checked_; }
  const std::optional<ChainBreak>& broken() const { return broken_; }

 private:
  std::int64_t expected_seq_ = 1;
  std::string expected_prev_{kGenesisHash};
  std::int64_t checked_ = 0;
  std::optional<ChainBreak> broken_;
};

// The head a checkpoint signed.
struct AuditAnchor {
  std::int64_t sequence = 0;
  std::string hash;
};

// What reading the chain found.
struct ChainEvidence {
  std::int64_t checked = 0;
  std::optional<ChainBreak> first_break;
  std::int64_t head_seq = 0;  // 0: no rows at all
  std::string head_hash;
  std::optional<std::string> hash_at_anchor;  // the stored row_hash at the anchor's sequence
};

// The latest checkpoint: its anchor when its signature verified, else why it did not.
struct CheckpointEvidence {
  std::optional<AuditAnchor> anchor;
  std::optional<std::string> invalid;  // unknown_key, bad_signature, malformed_manifest, environment_mismatch
};

struct AuditVerdict {
  std::string status;                // audit_status::*, the most serious finding
  std::vector<std::string> reasons;  // every finding, most serious first (empty when ok)
  std::vector<std::string> details;  // one sentence per finding, same order
  bool ok() const { return reasons.empty(); }
};

AuditVerdict judgeAuditChain(const ChainEvidence& chain, const CheckpointEvidence& checkpoint,
                             std::size_t content_mismatches);

// ---- Entity rows: a rule version's stored content against its CREATE audit row ----------------

// A rule version's content as stored (raw: an unknown action is just different content).
struct StoredRuleVersionContent {
  std::string rule_version_id;
  boost::json::value condition_tree;
  boost::json::value normalized_tree;
  boost::json::value scope;
  std::int64_t priority = 0;
  std::string action;
};

// SHA-256 (hex) over RFC 8785 bytes of {condition_tree, normalized_tree, scope, priority, action}:
// what a CREATE audit row of a RULE_VERSION records as content_digest.
std::string ruleVersionContentDigest(const boost::json::value& condition_tree,
                                     const boost::json::value& normalized_tree, const boost::json::value& scope,
                                     std::int64_t priority, std::string_view action);

// What one CREATE audit row says the version's content is. Rows written before content_digest
// existed recorded the normalized tree, scope, priority and action: those are compared instead.
struct RecordedRuleVersionContent {
  bool full = false;  // content_digest was recorded
  std::string digest;
};
// nullopt when `new_value` is not a recognisable CREATE snapshot of a rule version.
std::optional<RecordedRuleVersionContent> recordedRuleVersionContent(const boost::json::value& new_value);
bool ruleVersionContentMatches(const RecordedRuleVersionContent& recorded, const StoredRuleVersionContent& stored);

struct ContentMismatch {
  std::string entity_type;  // RULE_VERSION
  std::string entity_id;
  std::string reason;  // "content_digest_mismatch" | "no_audit_record"
};

// Collects the CREATE rows of rule versions while the chain is walked, then judges stored rows.
class RuleVersionContentCheck {
 public:
  void record(const AuditRecord& r);
  void check(const StoredRuleVersionContent& stored);
  const std::vector<ContentMismatch>& mismatches() const { return mismatches_; }
  std::int64_t checked() const { return checked_; }

 private:
  std::map<std::string, RecordedRuleVersionContent, std::less<>> recorded_;
  std::vector<ContentMismatch> mismatches_;
  std::int64_t checked_ = 0;
};

// ---- Offline exports -----------------------------------------------------------------------

// One line of an audit export (NDJSON): exactly the members the row hash covers (performed_at in
// the fixed storage form) plus prev_hash and row_hash, so the chain recomputes from the file alone.
boost::json::object auditExportLine(const AuditRecord& r);
// Strict inverse of auditExportLine; the error says which member is wrong.
Result<AuditRecord> parseAuditExportLine(const boost::json::value& line);

}  // namespace fraudgov::domain
