#pragma once
// The artifact signing keys over time: one active key that signs, plus the public halves of
// retired keys, so rotation never invalidates a manifest signed before it. The key set document
// is what runtimes pin: a copy is published next to the artifacts and loaded with parseKeySet.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "publish/signing_key.h"

namespace fraudgov::publish {

inline constexpr std::string_view kKeyStatusActive = "active";
inline constexpr std::string_view kKeyStatusRetired = "retired";

struct ArtifactKeyInfo {
  ArtifactPublicKey key;
  std::string status;  // kKeyStatusActive | kKeyStatusRetired
  Timestamp created_at;
};

class ArtifactKeyRing {
 public:
  // A ring that signs with `active`.
  ArtifactKeyRing(ArtifactSigningKey active, Timestamp created_at);

  // Retires the active key (its public half stays for verification) and signs with `next` from
  // now on. Refuses a key already in the ring: a retired key must not come back to life.
  Status rotate(ArtifactSigningKey next, Timestamp created_at);
  // Remembers an older key so documents it signed still verify. Refuses a kid already present.
  Status addRetired(ArtifactPublicKey key, Timestamp created_at);
  // Gives a verify-only ring (from parseKeySet) the private half of its active key.
  Status attachSigningKey(ArtifactSigningKey key);

  // nullptr for a verify-only ring.
  const ArtifactSigningKey* signingKey() const { return signing_ ? &*signing_ : nullptr; }
  const ArtifactPublicKey* find(std::string_view kid) const;
  // Active first, then retired newest first (ties by kid).
  const std::vector<ArtifactKeyInfo>& keys() const { return keys_; }
  std::vector<ArtifactPublicKey> publicKeys() const;

  // {"keys":[{"kid","alg":"EdDSA","crv":"Ed25519","x","public_key_pem","status","created_at"}]}
  boost::json::object keySetJson() const;

 private:
  ArtifactKeyRing() = default;
  friend Result<ArtifactKeyRing> parseKeySet(const boost::json::value& json);

  void insert(ArtifactKeyInfo info);

  std::optional<ArtifactSigningKey> signing_;
  std::vector<ArtifactKeyInfo> keys_;
};

// Strict inverse of keySetJson: exactly the members it writes, kid equal to the thumbprint of x,
// PEM and x naming the same key, no kid twice, at least one key and at most one active.
// The ring verifies only; attachSigningKey adds the private half.
Result<ArtifactKeyRing> parseKeySet(const boost::json::value& json);
// The same from bytes, refusing duplicate JSON keys.
Result<ArtifactKeyRing> parseKeySetText(std::string_view text);

}  // namespace fraudgov::publish
