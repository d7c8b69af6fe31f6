#include "publish/signing_key.h"

#include <openssl/pem.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "auth/openssl_handles.h"
#include "common/base64.h"
#include "common/crypto.h"

namespace fraudgov::publish {

namespace ossl = auth::ossl;

namespace {

// Refuses to prompt: PEM_read_* would otherwise ask the terminal for a passphrase.
int noPassphrase(char*, int, int, void*) { return 0; }

std::string bioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

ossl::BioPtr readBio(std::string_view text) {
  return ossl::BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

bool isEd25519(EVP_PKEY* pkey) { return pkey != nullptr && EVP_PKEY_is_a(pkey, "ED25519") == 1; }

std::string rawPublicKey(EVP_PKEY* pkey) {
  std::string out(kEd25519PublicKeyBytes, '\0');
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kEd25519PublicKeyBytes) {
    return {};
  }
  return out;
}

std::string publicKeyPem(EVP_PKEY* pkey) {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey) != 1) return {};
  return bioContents(bio.get());
}

std::shared_ptr<EVP_PKEY> share(ossl::PkeyPtr pkey) { return std::shared_ptr<EVP_PKEY>(pkey.release(), EVP_PKEY_free); }

std::optional<std::string> stringMember(const boost::json::object& jwk, std::string_view name) {
  const auto* v = jwk.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

// The JWK members we understand; anything else (x5c, key_ops, ...) is refused rather than ignored,
// because a pinned runtime key should say exactly what it is.
Status checkJwkShape(const boost::json::object& jwk) {
  static constexpr std::string_view kAllowed[] = {"kty", "crv", "x", "kid", "alg", "use"};
  for (const auto& member : jwk) {
    if (member.key() == "d") return fail(Error::validation("A public JWK must not contain private key material"));
    if (std::find(std::begin(kAllowed), std::end(kAllowed), member.key()) == std::end(kAllowed)) {
      return fail(Error::validation("Unsupported JWK member", {{"member", member.key()}}));
    }
  }
  if (stringMember(jwk, "kty") != "OKP" || stringMember(jwk, "crv") != "Ed25519") {
    return fail(Error::validation("Artifact keys must be OKP JWKs on Ed25519"));
  }
  if (jwk.contains("alg") && stringMember(jwk, "alg") != "EdDSA") {
    return fail(Error::validation("Artifact key JWK alg must be EdDSA"));
  }
  if (jwk.contains("use") && stringMember(jwk, "use") != "sig") {
    return fail(Error::validation("Artifact key JWK use must be sig"));
  }
  return {};
}

}  // namespace

std::string ed25519Thumbprint(std::string_view raw_public_key) {
  // RFC 7638 §3.2 with RFC 8037 §2: the required members crv, kty, x in lexicographic order,
  // no whitespace; x is the base64url public key.
  const std::string canonical = R"({"crv":"Ed25519","kty":"OKP","x":")" + base64::encodeUrl(raw_public_key) + R"("})";
  return base64::encodeUrl(crypto::sha256(canonical));
}

// --- ArtifactPublicKey -------------------------------------------------------------------------

ArtifactPublicKey::ArtifactPublicKey(std::shared_ptr<EVP_PKEY> pkey, std::string raw, std::string pem)
    : pkey_(std::move(pkey)), raw_(std::move(raw)), pem_(std::move(pem)), kid_(ed25519Thumbprint(raw_)) {}

Result<ArtifactPublicKey> ArtifactPublicKey::fromRaw(std::string_view raw) {
  if (raw.size() != kEd25519PublicKeyBytes) return fail(Error::validation("An Ed25519 public key is 32 bytes"));
  ossl::PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                 reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
  if (!pkey) return fail(Error::validation("Not a usable Ed25519 public key"));
  std::string pem = publicKeyPem(pkey.get());
  if (pem.empty()) return fail(Error::internal("Cannot encode the artifact public key"));
  return ArtifactPublicKey(share(std::move(pkey)), std::string(raw), std::move(pem));
}

Result<ArtifactPublicKey> ArtifactPublicKey::fromPem(std::string_view pem) {
  ossl::BioPtr bio = readBio(pem);
  if (!bio) return fail(Error::internal("Out of memory reading a public key"));
  ossl::PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, &noPassphrase, nullptr));
  if (!isEd25519(pkey.get())) return fail(Error::validation("Not a PEM Ed25519 public key"));
  // Rebuilt from the raw bytes so every key, whatever its source, has one canonical form.
  return fromRaw(rawPublicKey(pkey.get()));
}

Result<ArtifactPublicKey> ArtifactPublicKey::fromJwk(const boost::json::object& jwk) {
  FRAUDGOV_RETURN_IF_ERROR(checkJwkShape(jwk));
  const auto x = stringMember(jwk, "x");
  const auto raw = x ? base64::decodeUrl(*x) : std::nullopt;
  if (!raw) return fail(Error::validation("Artifact key JWK x must be base64url"));
  FRAUDGOV_ASSIGN_OR_RETURN(auto key, fromRaw(*raw));
  if (jwk.contains("kid") && stringMember(jwk, "kid") != key.kid()) {
    // The kid is derived from the key; a different one means the JWK was edited or mislabelled.
    return fail(Error::validation("Artifact key JWK kid is not its RFC 7638 thumbprint"));
  }
  return key;
}

boost::json::object ArtifactPublicKey::jwk() const {
  return {{"kid", kid_}, {"kty", "OKP"}, {"alg", "EdDSA"}, {"crv", "Ed25519"}, {"x", base64::encodeUrl(raw_)}};
}

bool ArtifactPublicKey::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kEd25519SignatureBytes) return false;
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  // Ed25519 is a one-shot scheme: no digest is named, the message is hashed inside the algorithm.
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

// --- ArtifactSigningKey ------------------------------------------------------------------------

ArtifactSigningKey::ArtifactSigningKey(std::shared_ptr<EVP_PKEY> pkey, ArtifactPublicKey public_key)
    : pkey_(std::move(pkey)), public_(std::move(public_key)) {}

Result<ArtifactSigningKey> ArtifactSigningKey::adopt(EVP_PKEY* raw) {
  ossl::PkeyPtr owned(raw);
  if (!isEd25519(owned.get())) return fail(Error::validation("The artifact signing key must be an Ed25519 key"));
  FRAUDGOV_ASSIGN_OR_RETURN(auto public_key, ArtifactPublicKey::fromRaw(rawPublicKey(owned.get())));
  return ArtifactSigningKey(share(std::move(owned)), std::move(public_key));
}

Result<ArtifactSigningKey> ArtifactSigningKey::generate() {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) return fail(Error::internal("Ed25519 key generation failed"));
  return adopt(raw);
}

Result<ArtifactSigningKey> ArtifactSigningKey::fromPrivatePem(std::string_view pem) {
  ossl::BioPtr bio = readBio(pem);
  if (!bio) return fail(Error::internal("Out of memory reading a signing key"));
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, nullptr);
  // The message never quotes the input: it is a secret.
  if (raw == nullptr) return fail(Error::validation("The artifact signing key is not an unencrypted PEM private key"));
  return adopt(raw);
}

std::string ArtifactSigningKey::privatePem() const {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    std::abort();  // only allocation failure gets here; an empty "key" would be worse than stopping
  }
  return bioContents(bio.get());
}

std::string ArtifactSigningKey::sign(std::string_view message) const {
  std::string signature(kEd25519SignatureBytes, '\0');
  std::size_t len = signature.size();
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != kEd25519SignatureBytes) {
    std::abort();  // only allocation failure gets here; publishing unsigned is not an option
  }
  return signature;
}

}  // namespace fraudgov::publish
