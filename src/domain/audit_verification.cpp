#include "domain/audit_verification.h"

#include <algorithm>

#include "common/canonical_json.h"
#include "common/crypto.h"

namespace fraudgov::domain {

namespace {

void add(AuditVerdict& v, const char* reason, std::string detail) {
  v.reasons.emplace_back(reason);
  v.details.push_back(std::move(detail));
}

std::string legacyDigest(const boost::json::value& normalized_tree, const boost::json::value& scope,
                         std::int64_t priority, std::string_view action) {
  const boost::json::object content{
      {"condition_tree", normalized_tree}, {"scope", scope}, {"priority", priority}, {"action", action}};
  return crypto::sha256Hex(json::canonicalize(content));
}

}  // namespace

bool AuditChainWalker::add(const AuditRecord& r) {
  if (broken_) return false;
  std::string reason;
  if (r.seq != expected_seq_) {
    reason = "sequence_gap";
  } else if (r.prev_hash != expected_prev_) {
    reason = "broken_link";
  } else if (auditRowHash(r.prev_hash, r) != r.row_hash) {
    reason = "hash_mismatch";
  }
  if (!reason.empty()) {
    broken_ = ChainBreak{r.seq, r.audit_id, std::move(reason)};
    return false;
  }
  ++checked_;
  expected_prev_ = r.row_hash;
  expected_seq_ = r.seq + 1;
  return true;
}

AuditVerdict judgeAuditChain(const ChainEvidence& chain, const CheckpointEvidence& checkpoint,
                             std::size_t content_mismatches) {
  AuditVerdict v;
  if (checkpoint.invalid) {
    add(v, audit_status::kForged, "the latest checkpoint does not verify (" + *checkpoint.invalid + ")");
  }
  const auto& anchor = checkpoint.anchor;
  if (anchor) {
    if (chain.head_seq < anchor->sequence) {
      add(v, audit_status::kTruncated,
          "the chain ends at sequence " + std::to_string(chain.head_seq) + ", below the checkpoint at sequence " +
              std::to_string(anchor->sequence));
    } else if (chain.hash_at_anchor != anchor->hash) {
      add(v, audit_status::kRewritten,
          "the row at the checkpoint's sequence " + std::to_string(anchor->sequence) +
              (chain.hash_at_anchor ? " has another hash than the signed one" : " is missing"));
    }
  }
  if (chain.first_break) {
    const auto& b = *chain.first_break;
    if (anchor && b.seq > anchor->sequence) {
      add(v, audit_status::kForged,
          "rows after the checkpoint do not chain onto it (" + b.reason + " at sequence " + std::to_string(b.seq) + ")");
    } else {
      add(v, audit_status::kBroken, "the chain breaks at sequence " + std::to_string(b.seq) + " (" + b.reason + ")");
    }
  }
  if (content_mismatches > 0) {
    add(v, audit_status::kContentMismatch,
        std::to_string(content_mismatches) + " stored rule version(s) differ from their audit record");
  }
  v.status = v.reasons.empty() ? audit_status::kOk : v.reasons.front();
  return v;
}

std::string ruleVersionContentDigest(const boost::json::value& condition_tree,
                                     const boost::json::value& normalized_tree, const boost::json::value& scope,
                                     std::int64_t priority, std::string_view action) {
  const boost::json::object content{{"condition_tree", condition_tree},
                                    {"normalized_tree", normalized_tree},
                                    {"scope", scope},
                                    {"priority", priority},
                                    {"action", action}};
  return crypto::sha256Hex(json::canonicalize(content));
}

std::optional<RecordedRuleVersionContent> recordedRuleVersionContent(const boost::json::value& new_value) {
  const auto* o = new_value.if_object();
  if (o == nullptr) return std::nullopt;
  if (const auto* d = o->if_contains("content_digest"); d != nullptr && d->is_string()) {
    return RecordedRuleVersionContent{true, std::string(d->get_string())};
  }
  const auto* tree = o->if_contains("condition_tree");
  const auto* scope = o->if_contains("scope");
  const auto* priority = o->if_contains("priority");
  const auto* action = o->if_contains("action");
  if (tree == nullptr || scope == nullptr || priority == nullptr || !priority->is_int64() || action == nullptr ||
      !action->is_string()) {
    return std::nullopt;
  }
  return RecordedRuleVersionContent{false,
                                    legacyDigest(*tree, *scope, priority->get_int64(), action->get_string())};
}

bool ruleVersionContentMatches(const RecordedRuleVersionContent& recorded, const StoredRuleVersionContent& stored) {
  const std::string actual =
      recorded.full ? ruleVersionContentDigest(stored.condition_tree, stored.normalized_tree, stored.scope,
                                               stored.priority, stored.action)
                    : legacyDigest(stored.normalized_tree, stored.scope, stored.priority, stored.action);
  return actual == recorded.digest;
}

void RuleVersionContentCheck::record(const AuditRecord& r) {
  if (r.event.entity_type != audit_entity::kRuleVersion || r.event.action != "CREATE") return;
  if (auto recorded = recordedRuleVersionContent(r.event.new_value)) recorded_[r.event.entity_id] = std::move(*recorded);
}

void RuleVersionContentCheck::check(const StoredRuleVersionContent& stored) {
  ++checked_;
  const auto it = recorded_.find(stored.rule_version_id);
  if (it == recorded_.end()) {
    mismatches_.push_back({audit_entity::kRuleVersion, stored.rule_version_id, "no_audit_record"});
  } else if (!ruleVersionContentMatches(it->second, stored)) {
    mismatches_.push_back({audit_entity::kRuleVersion, stored.rule_version_id, "content_digest_mismatch"});
  }
}

boost::json::object auditExportLine(const AuditRecord& r) {
  boost::json::object o{{"seq", r.seq},
                        {"audit_id", r.audit_id},
                        {"entity_type", r.event.entity_type},
                        {"entity_id", r.event.entity_id},
                        {"action", r.event.action},
                        {"old_value", r.event.old_value},
                        {"new_value", r.event.new_value},
                        {"performed_by", r.performed_by},
                        {"performed_by_issuer", r.performed_by_issuer},
                        {"performed_at", formatIsoFixed(r.performed_at)},
                        {"request_id", r.request_id ? boost::json::value(*r.request_id) : boost::json::value(nullptr)},
                        {"prev_hash", r.prev_hash},
                        {"row_hash", r.row_hash}};
  return o;
}

Result<AuditRecord> parseAuditExportLine(const boost::json::value& line) {
  const auto* o = line.if_object();
  if (o == nullptr) return fail(Error::validation("an export line must be a JSON object"));
  static constexpr std::string_view kMembers[] = {"seq",          "audit_id",     "entity_type",         "entity_id",
                                                  "action",       "old_value",    "new_value",           "performed_by",
                                                  "performed_by_issuer", "performed_at", "request_id", "prev_hash",
                                                  "row_hash"};
  for (const auto& kv : *o) {
    if (std::find(std::begin(kMembers), std::end(kMembers), kv.key()) == std::end(kMembers)) {
      return fail(Error::validation("unknown member " + std::string(kv.key())));
    }
  }
  auto text = [&](std::string_view name) -> const boost::json::string* {
    const auto* v = o->if_contains(name);
    return v != nullptr ? v->if_string() : nullptr;
  };
  AuditRecord r;
  const auto* seq = o->if_contains("seq");
  if (seq == nullptr || !seq->is_int64() || seq->get_int64() < 1) {
    return fail(Error::validation("seq must be a positive integer"));
  }
  r.seq = seq->get_int64();
  for (std::string_view name : {"audit_id", "entity_type", "entity_id", "action", "performed_by",
                                "performed_by_issuer", "performed_at", "prev_hash", "row_hash"}) {
    if (text(name) == nullptr) return fail(Error::validation(std::string(name) + " must be a string"));
  }
  if (!o->contains("old_value") || !o->contains("new_value")) {
    return fail(Error::validation("old_value and new_value must be present"));
  }
  const auto* request_id = o->if_contains("request_id");
  if (request_id == nullptr || !(request_id->is_null() || request_id->is_string())) {
    return fail(Error::validation("request_id must be a string or null"));
  }
  const auto performed_at = parseIso(*text("performed_at"));
  if (!performed_at) return fail(Error::validation("performed_at is not an ISO-8601 time"));
  r.audit_id = *text("audit_id");
  r.event.entity_type = *text("entity_type");
  r.event.entity_id = *text("entity_id");
  r.event.action = *text("action");
  r.event.old_value = o->at("old_value");
  r.event.new_value = o->at("new_value");
  r.performed_by = *text("performed_by");
  r.performed_by_issuer = *text("performed_by_issuer");
  r.performed_at = *performed_at;
  if (request_id->is_string()) r.request_id = std::string(request_id->get_string());
  r.prev_hash = *text("prev_hash");
  r.row_hash = *text("row_hash");
  return r;
}

}  // namespace fraudgov::domain
