#pragma once
// Rulesets (identity = environment, region, country, rule_type), their immutable versions with
// exact rule-version membership, and what a published version and an activation record
// (predecessor-spec §4.8–4.11, §7.3; SPEC §3 invariants 4–5). Pure: no storage, no HTTP.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/governed_version.h"
#include "domain/rule.h"
#include "domain/validation.h"

namespace fraudgov::domain {

struct Ruleset {
  std::string ruleset_id;
  std::string environment;
  std::string region;
  std::string country;
  RuleType rule_type = RuleType::kAuth;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::string created_by;
  std::string created_by_issuer;
  Timestamp created_at;
  Timestamp updated_at;
};

struct RulesetVersion : GovernedVersion {
  std::string ruleset_version_id;
  std::string ruleset_id;
  int version = 1;
  Timestamp created_at;
  std::optional<Timestamp> activated_at;
  std::vector<std::string> rule_version_ids;  // membership, in the order given
};

// A member rule version as a ruleset version shows it (RulesetVersion.rule_versions).
struct RulesetMember {
  std::string rule_version_id;
  std::string rule_id;
  int version = 1;
  std::string rule_name;
  RuleType rule_type = RuleType::kAuth;
  int priority = kDefaultPriority;
  boost::json::object scope;
  VersionStatus status = VersionStatus::kDraft;
};

// An artifact written at approval (immutable) and the runtime pointer moved at activation.
struct PublishedArtifact {
  std::string manifest_id;
  std::string ruleset_version_id;
  std::string environment;
  std::string region;
  std::string country;
  RuleType rule_type = RuleType::kAuth;
  std::string ruleset_key;
  int publication = 1;  // v{N} in the storage layout: per (environment, region, country, rule_type)
  std::optional<int> field_registry_version;
  std::string artifact_uri;
  std::string manifest_uri;
  std::string checksum;
  std::string signing_kid;
  std::string created_by;
  std::string created_by_issuer;
  Timestamp created_at;
};

struct ActivationRecordRow {
  std::string activation_id;
  std::string ruleset_version_id;
  std::string manifest_id;
  std::string environment;
  std::string region;
  std::string country;
  std::string ruleset_key;
  std::int64_t sequence = 1;  // strictly increasing per ruleset key: a replayed older pointer is detectable
  std::string pointer_uri;
  std::string activated_by;
  std::string activated_by_issuer;
  Timestamp activated_at;
};

// The runtime's name for a ruleset of this type: CARD_AUTH, CARD_MONITORING, CARD_ALLOWLIST,
// CARD_BLOCKLIST (the predecessor published only the first two; every type publishes here).
std::string_view rulesetKey(RuleType t);

// environment, region, country: 1 to 64 characters from [A-Za-z0-9_-] (they become storage path
// segments), case-sensitive as the predecessor; name up to 255, description up to 2000.
std::vector<FieldIssue> checkRulesetIdentity(const Ruleset& r);

inline constexpr std::size_t kMaxRulesetMembers = 100;

// Membership (invariant 4): only APPROVED rule versions of the ruleset's rule_type, at most one
// version per rule. Problems name the offending ids. `members` must hold one entry per id, in
// the order requested; ids that do not exist are reported by the caller.
std::vector<FieldIssue> checkMembership(RuleType ruleset_type, const std::vector<RulesetMember>& members);

boost::json::object auditSnapshot(const Ruleset& r);
boost::json::object auditSnapshot(const RulesetVersion& v);

}  // namespace fraudgov::domain
