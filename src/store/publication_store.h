#pragma once
// What was published: the immutable artifact of each approved ruleset version with its signed
// manifest, the activation records that moved a runtime pointer, and the artifact signing keys
// whose signatures a runtime may meet. Rows are append-only (the database refuses updates).

#include <optional>
#include <vector>

#include "domain/ruleset.h"
#include "store/sql.h"

namespace fraudgov::store {

struct ArtifactKeyRow {
  std::string kid;
  std::string public_key_pem;
  std::string status;  // active | retired
  Timestamp created_at;
};

class PublicationStore {
 public:
  // manifest: the signed version manifest bytes.
  static Status insertManifest(SqlSession& s, const domain::PublishedArtifact& p, std::string_view manifest);
  static Result<std::optional<std::pair<domain::PublishedArtifact, std::string>>> findManifest(
      SqlSession& s, std::string_view ruleset_version_id);
  // The highest publication number for (environment, region, country, rule_type); 0 when none.
  static Result<int> maxPublication(SqlSession& s, const domain::PublishedArtifact& target);

  static Status insertActivation(SqlSession& s, const domain::ActivationRecordRow& a, std::string_view record);
  // The highest activation sequence of a runtime pointer; 0 when it never moved.
  static Result<std::int64_t> maxSequence(SqlSession& s, const domain::ActivationRecordRow& pointer);
  // The signed record of the pointer's latest activation (what the runtime pointer holds when the
  // store and the object store agree); nullopt when it never moved.
  static Result<std::optional<std::string>> latestActivationRecord(SqlSession& s,
                                                                   const domain::ActivationRecordRow& pointer);

  static Result<std::vector<ArtifactKeyRow>> listKeys(SqlSession& s);
  // Makes `active` the one active key; every other key is retired (old signatures stay verifiable).
  static Status registerActiveKey(SqlSession& s, const ArtifactKeyRow& active);
};

}  // namespace fraudgov::store
