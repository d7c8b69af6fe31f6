#include "service/audit_service.h"

#include "common/canonical_json.h"
#include "publish/key_ring.h"
#include "publish/signed_document.h"
#include "publish/verify_failure.h"
#include "store/rule_store.h"

namespace fraudgov::service {

namespace {

boost::json::object filterFingerprint(const store::AuditFilter& f) {
  boost::json::object o;
  if (f.entity_type) o["entity_type"] = *f.entity_type;
  if (f.entity_id) o["entity_id"] = *f.entity_id;
  if (f.action) o["action"] = *f.action;
  if (f.performed_by) o["performed_by"] = *f.performed_by;
  if (f.since) o["since"] = f.since->micros;
  if (f.until) o["until"] = f.until->micros;
  return o;
}

// The sequence a stored checkpoint claims, without trusting it (only to pick which copy to read).
std::optional<std::int64_t> claimedSequence(std::string_view bytes) {
  auto document = publish::parseSignedDocument(bytes);
  if (!document) return std::nullopt;
  const auto* seq = document->if_contains("sequence");
  if (seq == nullptr || !seq->is_int64()) return std::nullopt;
  return seq->get_int64();
}

Error chainRefused(std::string message) {
  return Error::conflict(std::move(message) + "; see GET /api/v1/audit-log/verify");
}

constexpr std::int64_t kContentBatch = 500;

}  // namespace

Result<Page<domain::AuditRecord>> AuditService::list(const store::AuditFilter& filter, const PageQuery& query) {
  return paging_.page<std::int64_t>(
      "audit-log", filterFingerprint(filter), query,
      [&](const store::SeqBounds& bounds) {
        return store::inStatement(db_, [&](store::SqlSession& s) { return store::AuditStore::list(s, filter, bounds); });
      },
      [](const domain::AuditRecord& r) { return r.seq; });
}

Result<std::vector<publish::ArtifactPublicKey>> AuditService::trustedKeys() {
  std::vector<publish::ArtifactPublicKey> keys;
  if (anchoring_.signing_key) {
    if (auto key = anchoring_.signing_key()) keys.push_back(key->publicKey());
  }
  if (anchoring_.store) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto text, anchoring_.store->get(publish::auditKeysKey()));
    if (text) {
      // An unreadable key set trusts nothing from it: checkpoints it alone vouched for then fail.
      if (auto ring = publish::parseKeySetText(*text)) {
        for (auto& key : ring->publicKeys()) {
          if (std::none_of(keys.begin(), keys.end(), [&](const auto& k) { return k.kid() == key.kid(); })) {
            keys.push_back(std::move(key));
          }
        }
      }
    }
  }
  return keys;
}

Result<AuditService::LoadedAnchor> AuditService::loadAnchor() {
  LoadedAnchor out;
  FRAUDGOV_ASSIGN_OR_RETURN(out.db_row, store::inStatement(db_, [](store::SqlSession& s) {
                              return store::AuditCheckpointStore::latest(s);
                            }));
  if (out.db_row) out.sources.database = out.db_row->sequence;
  std::optional<std::string> artifact;
  if (anchoring_.store) {
    FRAUDGOV_ASSIGN_OR_RETURN(const auto latest, anchoring_.store->get(publish::auditCheckpointLatestKey()));
    artifact = latest;
    std::optional<std::int64_t> claimed = artifact ? claimedSequence(*artifact) : std::nullopt;
    // latest.json may lag behind a checkpoint whose upload raced with another; the numbered copy
    // of the database's latest sequence is just as authoritative.
    if (out.db_row && (!claimed || *claimed < out.db_row->sequence)) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto numbered, anchoring_.store->get(publish::auditCheckpointKey(out.db_row->sequence)));
      if (numbered) {
        artifact = std::move(numbered);
        claimed = out.db_row->sequence;
      }
    }
    out.sources.artifact_store = claimed;
    if (artifact && !claimed) out.sources.artifact_store = 0;  // present but unreadable
    // A lagging or edited latest.json is worth a look even when the numbered copy stands in for it.
    out.sources.agree = artifact ? (out.db_row && out.db_row->document == *artifact && latest == artifact)
                                 : !out.db_row;
  }
  if (artifact) {
    out.bytes = std::move(artifact);
    out.sources.used = "artifact_store";
  } else if (out.db_row) {
    out.bytes = out.db_row->document;
    out.sources.used = "database";
  }
  return out;
}

Result<AuditReport> AuditService::verify() {
  AuditReport report;
  FRAUDGOV_ASSIGN_OR_RETURN(auto anchor, loadAnchor());
  report.sources = anchor.sources;
  domain::CheckpointEvidence evidence;
  if (anchor.bytes) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto keys, trustedKeys());
    auto verified = publish::verifyAuditCheckpoint(*anchor.bytes, keys, anchoring_.environment);
    if (verified) {
      evidence.anchor = domain::AuditAnchor{verified->sequence, verified->head_hash};
      report.checkpoint = std::move(*verified);
    } else {
      const std::string_view reason = publish::failureReason(verified.error());
      evidence.invalid = reason.empty() ? std::string(publish::reason::kMalformedManifest) : std::string(reason);
      report.unverified_checkpoint_sequence = claimedSequence(*anchor.bytes);
    }
  }

  domain::ChainEvidence chain;
  domain::RuleVersionContentCheck content;
  FRAUDGOV_RETURN_IF_ERROR(store::inRead(db_, [&](store::SqlSession& s) -> Status {
    domain::AuditChainWalker walker;
    FRAUDGOV_RETURN_IF_ERROR(store::AuditStore::walk(s, 0, [&](const domain::AuditRecord& r) {
      walker.add(r);
      content.record(r);
      chain.head_seq = r.seq;
      chain.head_hash = r.row_hash;
      if (evidence.anchor && r.seq == evidence.anchor->sequence) chain.hash_at_anchor = r.row_hash;
      return true;
    }));
    chain.checked = walker.checked();
    chain.first_break = walker.broken();
    for (std::string after = store::RuleStore::kMinUuid;;) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto batch, store::RuleStore::contentsAfter(s, after, kContentBatch));
      for (const auto& stored : batch) content.check(stored);
      if (static_cast<std::int64_t>(batch.size()) < kContentBatch) break;
      after = batch.back().rule_version_id;
    }
    return {};
  }));

  report.chain.checked = chain.checked;
  if (chain.first_break) {
    report.chain.ok = false;
    report.chain.broken_seq = chain.first_break->seq;
    report.chain.broken_audit_id = chain.first_break->audit_id;
    report.chain.reason = chain.first_break->reason;
  }
  if (chain.head_seq > 0) report.head = store::AuditHead{chain.head_seq, chain.head_hash};
  report.rule_versions_checked = content.checked();
  report.content_mismatches = content.mismatches();
  report.verdict = domain::judgeAuditChain(chain, evidence, report.content_mismatches.size());
  report.chain.ok = report.verdict.ok();
  return report;
}

Status AuditService::publishKeySet(const publish::ArtifactSigningKey& key, Timestamp now) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto existing, anchoring_.store->get(publish::auditKeysKey()));
  std::optional<publish::ArtifactKeyRing> ring;
  if (existing) {
    auto parsed = publish::parseKeySetText(*existing);
    if (!parsed) {
      // Overwriting it would drop the keys older checkpoints need: an operator must look first.
      return fail(Error::internal("keys/audit-keys.json in the artifact store is not a valid key set: " +
                                  parsed.error().message));
    }
    ring = std::move(*parsed);
    const auto& keys = ring->keys();
    if (!keys.empty() && keys.front().status == publish::kKeyStatusActive && keys.front().key.kid() == key.kid()) {
      return {};  // already the active key
    }
    if (ring->find(key.kid()) != nullptr) return {};  // a retired key signing again still verifies
    FRAUDGOV_RETURN_IF_ERROR(ring->rotate(key, now));
  } else {
    ring.emplace(key, now);
  }
  FRAUDGOV_RETURN_IF_ERROR(anchoring_.store->put(publish::auditKeysKey(), json::canonicalize(ring->keySetJson()),
                                                 "application/json"));
  return {};
}

Result<CheckpointOutcome> AuditService::checkpoint(const domain::Actor& actor) {
  std::lock_guard lock(checkpoint_mu_);
  auto key = anchoring_.signing_key ? anchoring_.signing_key() : nullptr;
  if (!key) return fail(Error::unavailable("Audit checkpoints are not configured (no audit signing key)"));

  // Where the chain was last vouched for: it must still be there before anything newer is signed.
  FRAUDGOV_ASSIGN_OR_RETURN(auto anchor, loadAnchor());
  std::optional<publish::AuditCheckpoint> previous;
  if (anchor.bytes) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto keys, trustedKeys());
    auto verified = publish::verifyAuditCheckpoint(*anchor.bytes, keys, anchoring_.environment);
    if (!verified) return fail(chainRefused("The latest audit checkpoint does not verify"));
    previous = std::move(*verified);
  }

  // The rows after it must chain onto it; the newest of them is the head to sign.
  std::int64_t head_seq = previous ? previous->sequence : 0;
  std::string head_hash = previous ? previous->head_hash : std::string(domain::kGenesisHash);
  std::optional<domain::ChainBreak> broken;
  FRAUDGOV_RETURN_IF_ERROR(store::inRead(db_, [&](store::SqlSession& s) -> Status {
    if (previous) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto stored, store::AuditStore::hashAt(s, previous->sequence));
      if (stored != previous->head_hash) {
        broken = domain::ChainBreak{previous->sequence, "", "checkpoint_mismatch"};
        return {};
      }
    }
    domain::AuditChainWalker walker(head_seq, head_hash);
    FRAUDGOV_RETURN_IF_ERROR(store::AuditStore::walk(s, head_seq, [&](const domain::AuditRecord& r) {
      if (!walker.add(r)) return false;
      head_seq = r.seq;
      head_hash = r.row_hash;
      return true;
    }));
    broken = walker.broken();
    return {};
  }));
  if (broken) {
    return fail(chainRefused("The audit chain does not verify from the latest checkpoint (" + broken->reason +
                             " at sequence " + std::to_string(broken->seq) + "); nothing was signed"));
  }
  if (head_seq == 0) return fail(Error::conflict("The audit log is empty: there is no head to checkpoint"));
  if (previous && previous->sequence == head_seq) {
    if (anchor.db_row && anchor.db_row->sequence == head_seq) return CheckpointOutcome{*anchor.db_row, false};
    // Only the artifact-store copy exists (its database insert failed): record it now.
    store::AuditCheckpointRow row{previous->sequence, previous->head_hash, previous->checkpointed_at,
                                  previous->environment, previous->kid, *anchor.bytes, actor.subject, actor.issuer};
    FRAUDGOV_RETURN_IF_ERROR(store::inStatement(db_, [&](store::SqlSession& s) -> Result<bool> {
      FRAUDGOV_RETURN_IF_ERROR(store::AuditCheckpointStore::insert(s, row));
      return true;
    }));
    return CheckpointOutcome{std::move(row), false};
  }

  // Sign and upload with no transaction open; then record the database copy.
  const Timestamp now = nowUtc();
  publish::AuditCheckpoint next{head_seq, head_hash, now, anchoring_.environment, key->kid()};
  const std::string bytes = publish::signAuditCheckpoint(next, *key);
  if (anchoring_.store) {
    FRAUDGOV_RETURN_IF_ERROR(publishKeySet(*key, now));
    FRAUDGOV_RETURN_IF_ERROR(anchoring_.store->put(publish::auditCheckpointKey(head_seq), bytes, "application/json"));
    FRAUDGOV_RETURN_IF_ERROR(anchoring_.store->put(publish::auditCheckpointLatestKey(), bytes, "application/json"));
  }
  store::AuditCheckpointRow row{head_seq, head_hash, now, anchoring_.environment, key->kid(), bytes, actor.subject,
                                actor.issuer};
  auto inserted = store::inStatement(db_, [&](store::SqlSession& s) -> Result<bool> {
    FRAUDGOV_RETURN_IF_ERROR(store::AuditCheckpointStore::insert(s, row));
    return true;
  });
  if (!inserted) {
    if (!store::isUniqueViolation(inserted.error())) return fail(std::move(inserted).error());
    // Another instance checkpointed the same head a moment earlier: theirs stands.
    FRAUDGOV_ASSIGN_OR_RETURN(auto theirs, store::inStatement(db_, [&](store::SqlSession& s) {
                                return store::AuditCheckpointStore::find(s, head_seq);
                              }));
    if (theirs) return CheckpointOutcome{std::move(*theirs), false};
    return fail(std::move(inserted).error());
  }
  return CheckpointOutcome{std::move(row), true};
}

Result<std::optional<std::int64_t>> AuditService::latestCheckpointSequence() {
  FRAUDGOV_ASSIGN_OR_RETURN(auto row, store::inStatement(db_, [](store::SqlSession& s) {
                              return store::AuditCheckpointStore::latest(s);
                            }));
  return row ? std::optional<std::int64_t>(row->sequence) : std::nullopt;
}

Result<std::optional<store::AuditHead>> AuditService::head() {
  return store::inStatement(db_, [](store::SqlSession& s) { return store::AuditStore::head(s); });
}

Result<AuditExportPage> AuditService::exportRows(std::int64_t after_seq, std::int64_t limit) {
  AuditExportPage page;
  FRAUDGOV_RETURN_IF_ERROR(store::inRead(db_, [&](store::SqlSession& s) -> Status {
    return store::AuditStore::walk(s, after_seq, [&](const domain::AuditRecord& r) {
      if (static_cast<std::int64_t>(page.rows.size()) == limit) {
        page.next_after = page.rows.back().seq;
        return false;
      }
      page.rows.push_back(r);
      return true;
    });
  }));
  return page;
}

}  // namespace fraudgov::service
