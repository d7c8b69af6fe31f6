#include "publish/key_ring.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "common/base64.h"
#include "common/json.h"
#include "publish/member_reader.h"
#include "publish/verify_failure.h"

namespace fraudgov::publish {

namespace {

bool newerFirst(const ArtifactKeyInfo& a, const ArtifactKeyInfo& b) {
  const bool a_active = a.status == kKeyStatusActive;
  const bool b_active = b.status == kKeyStatusActive;
  if (a_active != b_active) return a_active;
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  return a.key.kid() < b.key.kid();
}

boost::json::object keyEntry(const ArtifactKeyInfo& info) {
  boost::json::object entry = info.key.jwk();
  entry.erase("kty");  // the key set names the curve; kty adds nothing there
  entry["public_key_pem"] = info.key.publicPem();
  entry["status"] = info.status;
  entry["created_at"] = formatIso(info.created_at);
  return entry;
}

Error keySetError(std::string message) { return Error::validation("Invalid artifact key set: " + message); }

Result<ArtifactKeyInfo> parseKeyEntry(const boost::json::value& value, std::size_t index) {
  if (!value.is_object()) return fail(keySetError("every key must be an object"));
  MemberReader in(value.get_object(), "keys[" + std::to_string(index) + "].");
  const std::string kid = in.string("kid");
  in.literal("alg", "EdDSA");
  in.literal("crv", "Ed25519");
  const std::string x = in.string("x");
  const std::string pem = in.string("public_key_pem");
  const std::string status = in.string("status");
  const Timestamp created_at = in.timestamp("created_at");
  if (auto problem = in.finish()) return fail(keySetError(*problem));
  if (status != kKeyStatusActive && status != kKeyStatusRetired) {
    return fail(keySetError("status must be active or retired"));
  }
  const std::string name = clip(kid);
  auto from_pem = ArtifactPublicKey::fromPem(pem);
  if (!from_pem) return fail(keySetError("public_key_pem of " + name + " is not an Ed25519 public key"));
  if (base64::encodeUrl(from_pem->publicRaw()) != x) {
    return fail(keySetError("x and public_key_pem of " + name + " differ"));
  }
  if (from_pem->kid() != kid) return fail(keySetError("kid " + name + " is not the RFC 7638 thumbprint of its key"));
  return ArtifactKeyInfo{std::move(*from_pem), status, created_at};
}

}  // namespace

ArtifactKeyRing::ArtifactKeyRing(ArtifactSigningKey active, Timestamp created_at) {
  keys_.push_back({active.publicKey(), std::string(kKeyStatusActive), created_at});
  signing_ = std::move(active);
}

void ArtifactKeyRing::insert(ArtifactKeyInfo info) {
  keys_.push_back(std::move(info));
  std::sort(keys_.begin(), keys_.end(), newerFirst);
}

const ArtifactPublicKey* ArtifactKeyRing::find(std::string_view kid) const {
  for (const auto& info : keys_) {
    if (info.key.kid() == kid) return &info.key;
  }
  return nullptr;
}

std::vector<ArtifactPublicKey> ArtifactKeyRing::publicKeys() const {
  std::vector<ArtifactPublicKey> out;
  out.reserve(keys_.size());
  for (const auto& info : keys_) out.push_back(info.key);
  return out;
}

Status ArtifactKeyRing::rotate(ArtifactSigningKey next, Timestamp created_at) {
  if (find(next.kid()) != nullptr) {
    return fail(Error::conflict("The new artifact signing key is already in the key ring", {{"kid", next.kid()}}));
  }
  for (auto& info : keys_) info.status = kKeyStatusRetired;
  insert({next.publicKey(), std::string(kKeyStatusActive), created_at});
  signing_ = std::move(next);
  return {};
}

Status ArtifactKeyRing::addRetired(ArtifactPublicKey key, Timestamp created_at) {
  if (find(key.kid()) != nullptr) {
    return fail(Error::conflict("The artifact key is already in the key ring", {{"kid", key.kid()}}));
  }
  insert({std::move(key), std::string(kKeyStatusRetired), created_at});
  return {};
}

Status ArtifactKeyRing::attachSigningKey(ArtifactSigningKey key) {
  if (keys_.empty() || keys_.front().status != kKeyStatusActive || keys_.front().key.kid() != key.kid()) {
    return fail(Error::conflict("The signing key is not the active key of the key set", {{"kid", key.kid()}}));
  }
  signing_ = std::move(key);
  return {};
}

boost::json::object ArtifactKeyRing::keySetJson() const {
  boost::json::array keys;
  for (const auto& info : keys_) keys.push_back(keyEntry(info));
  return {{"keys", std::move(keys)}};
}

Result<ArtifactKeyRing> parseKeySet(const boost::json::value& json) {
  const auto* root = json.if_object();
  if (root == nullptr || root->size() != 1 || !root->contains("keys") || !root->at("keys").is_array()) {
    return fail(keySetError("expected exactly {\"keys\":[...]}"));
  }
  const auto& entries = root->at("keys").get_array();
  if (entries.empty()) return fail(keySetError("no keys"));
  ArtifactKeyRing ring;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto info, parseKeyEntry(entries[i], i));
    if (ring.find(info.key.kid()) != nullptr) return fail(keySetError("kid " + info.key.kid() + " appears twice"));
    ring.insert(std::move(info));
  }
  const auto active = std::count_if(ring.keys_.begin(), ring.keys_.end(),
                                    [](const ArtifactKeyInfo& k) { return k.status == kKeyStatusActive; });
  if (active > 1) return fail(keySetError("more than one active key"));
  return ring;
}

Result<ArtifactKeyRing> parseKeySetText(std::string_view text) {
  auto parsed = json::parseStrict(text);
  if (!parsed) return fail(keySetError(parsed.error().message));
  return parseKeySet(*parsed);
}

}  // namespace fraudgov::publish
