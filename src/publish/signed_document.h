#pragma once
// The signature envelope of published documents: the RFC 8785 canonical JSON of the payload with
// one extra member, "signature": {"alg":"EdDSA","kid","value"}, where value is the base64url
// Ed25519 signature over the canonical bytes of the payload without that member. The document
// stays plain JSON that old readers can parse and ignore the signature of.

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "publish/key_ring.h"
#include "publish/signing_key.h"

namespace fraudgov::publish {

inline constexpr std::string_view kSignatureMember = "signature";
// Manifests are small; the bound keeps a hostile file from costing more than a parse of 64 KiB.
inline constexpr std::size_t kMaxSignedDocumentBytes = 64 * 1024;

// The final canonical bytes. A "signature" member already in `payload` is replaced.
std::string signDocument(boost::json::object payload, const ArtifactSigningKey& key);

// Strict parse of a signed document: at most kMaxSignedDocumentBytes, one JSON object, no
// duplicate keys. Failures carry reason malformed_manifest.
Result<boost::json::object> parseSignedDocument(std::string_view bytes);
// Checks the envelope of a parsed document and returns the payload without "signature".
// Reasons: malformed_manifest (envelope shape), unknown_key, bad_signature.
Result<boost::json::object> verifySignedObject(boost::json::object document,
                                               const std::vector<ArtifactPublicKey>& keys);

Result<boost::json::object> verifyDocument(std::string_view bytes, const std::vector<ArtifactPublicKey>& keys);
Result<boost::json::object> verifyDocument(std::string_view bytes, const ArtifactKeyRing& ring);

}  // namespace fraudgov::publish
