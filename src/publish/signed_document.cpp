#include "publish/signed_document.h"

#include "common/base64.h"
#include "common/canonical_json.h"
#include "common/json.h"
#include "publish/member_reader.h"
#include "publish/verify_failure.h"

namespace fraudgov::publish {

namespace {

constexpr std::string_view kAlg = "EdDSA";
// Our documents nest three levels deep; the margin leaves room for new members, not for abuse.
constexpr std::size_t kMaxSignedDocumentDepth = 8;

struct Envelope {
  std::string kid;
  std::string value;
};

Result<Envelope> readEnvelope(const boost::json::object& document) {
  const auto* member = document.if_contains(kSignatureMember);
  if (member == nullptr) return fail(verifyFailure(reason::kMalformedManifest, "The document is not signed"));
  if (!member->is_object()) return fail(verifyFailure(reason::kMalformedManifest, "signature must be an object"));
  MemberReader in(member->get_object(), "signature.");
  in.literal("alg", kAlg);
  Envelope envelope{in.string("kid"), in.string("value")};
  if (auto problem = in.finish()) return fail(verifyFailure(reason::kMalformedManifest, *problem));
  return envelope;
}

const ArtifactPublicKey* findKey(const std::vector<ArtifactPublicKey>& keys, std::string_view kid) {
  for (const auto& key : keys) {
    if (key.kid() == kid) return &key;
  }
  return nullptr;
}

}  // namespace

std::string signDocument(boost::json::object payload, const ArtifactSigningKey& key) {
  payload.erase(kSignatureMember);
  const std::string signature = key.sign(json::canonicalize(payload));
  payload[kSignatureMember] = {{"alg", kAlg}, {"kid", key.kid()}, {"value", base64::encodeUrl(signature)}};
  return json::canonicalize(payload);
}

Result<boost::json::object> parseSignedDocument(std::string_view bytes) {
  if (bytes.size() > kMaxSignedDocumentBytes) {
    return fail(verifyFailure(reason::kMalformedManifest, "The document is larger than 64 KiB"));
  }
  auto parsed = json::parseStrict(bytes, {.max_depth = kMaxSignedDocumentDepth});
  if (!parsed) return fail(verifyFailure(reason::kMalformedManifest, parsed.error().message));
  if (!parsed->is_object()) return fail(verifyFailure(reason::kMalformedManifest, "The document is not a JSON object"));
  return std::move(parsed->get_object());
}

Result<boost::json::object> verifySignedObject(boost::json::object document,
                                               const std::vector<ArtifactPublicKey>& keys) {
  FRAUDGOV_ASSIGN_OR_RETURN(const Envelope envelope, readEnvelope(document));
  const ArtifactPublicKey* key = findKey(keys, envelope.kid);
  if (key == nullptr) {
    return fail(
        verifyFailure(reason::kUnknownKey, "The document is signed by an unknown key", {{"kid", clip(envelope.kid)}}));
  }
  document.erase(kSignatureMember);
  // Verified over our own canonical form, never the input bytes: layout cannot change meaning.
  const auto signature = base64::decodeUrl(envelope.value);
  if (!signature || !key->verify(json::canonicalize(document), *signature)) {
    return fail(verifyFailure(reason::kBadSignature, "The document signature does not verify", {{"kid", key->kid()}}));
  }
  return document;
}

Result<boost::json::object> verifyDocument(std::string_view bytes, const std::vector<ArtifactPublicKey>& keys) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto document, parseSignedDocument(bytes));
  return verifySignedObject(std::move(document), keys);
}

Result<boost::json::object> verifyDocument(std::string_view bytes, const ArtifactKeyRing& ring) {
  return verifyDocument(bytes, ring.publicKeys());
}

}  // namespace fraudgov::publish
