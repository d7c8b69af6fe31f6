#include "devtools/signing_key.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>

#include "auth/openssl_handles.h"
#include "common/base64.h"
#include "common/crypto.h"

namespace fraudgov::devtools {

namespace ossl = auth::ossl;

namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kEcCoordinateBytes = 32;

std::string bnBytes(const EVP_PKEY* pkey, const char* param, int pad_to = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, param, &raw) != 1) return {};
  ossl::BignumPtr bn(raw);
  const int len = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(len), '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), len) != len) return {};
  return out;
}

bool isP256(EVP_PKEY* pkey) {
  std::array<char, 64> group{};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &len) != 1) {
    return false;
  }
  const std::string_view name(group.data(), len);
  return name == "prime256v1" || name == "P-256";
}

std::string bioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

// Refuses to prompt: PEM_read_* would otherwise ask the terminal for a passphrase.
int noPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

std::string_view algorithmName(JwsAlgorithm alg) { return alg == JwsAlgorithm::kEs256 ? "ES256" : "RS256"; }

SigningKey::SigningKey(std::shared_ptr<EVP_PKEY> pkey, JwsAlgorithm alg) : pkey_(std::move(pkey)), alg_(alg) {
  const auto jwk = publicJwk("-");
  std::string canonical;
  // RFC 7638 §3.2: only the required members, in lexicographic order, no whitespace.
  auto member = [&jwk](const char* k) { return std::string(jwk.at(k).as_string()); };
  if (alg_ == JwsAlgorithm::kEs256) {
    canonical =
        R"({"crv":")" + member("crv") + R"(","kty":"EC","x":")" + member("x") + R"(","y":")" + member("y") + R"("})";
  } else {
    canonical = R"({"e":")" + member("e") + R"(","kty":"RSA","n":")" + member("n") + R"("})";
  }
  kid_ = base64::encodeUrl(crypto::sha256(canonical));
}

Result<SigningKey> SigningKey::adopt(EVP_PKEY* raw) {
  ossl::PkeyPtr owned(raw);
  if (!owned) return fail(Error::internal("Signing key generation or parsing failed"));
  JwsAlgorithm alg;
  if (EVP_PKEY_is_a(owned.get(), "EC") && isP256(owned.get())) {
    alg = JwsAlgorithm::kEs256;
  } else if (EVP_PKEY_is_a(owned.get(), "RSA") && EVP_PKEY_get_bits(owned.get()) >= kMinRsaBits) {
    alg = JwsAlgorithm::kRs256;
  } else {
    return fail(Error::internal("Signing key must be EC P-256 or RSA of at least 2048 bits"));
  }
  return SigningKey(std::shared_ptr<EVP_PKEY>(owned.release(), EVP_PKEY_free), alg);
}

Result<SigningKey> SigningKey::generateEs256() { return adopt(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }

Result<SigningKey> SigningKey::generateRs256(int bits) {
  return adopt(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
}

Result<SigningKey> SigningKey::fromPrivatePem(std::string_view pem) {
  ossl::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return fail(Error::internal("Out of memory reading a signing key"));
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, nullptr);
  if (raw == nullptr) return fail(Error::internal("Signing key file is not an unencrypted PEM private key"));
  return adopt(raw);
}

Result<std::string> SigningKey::privatePem() const {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return fail(Error::internal("Cannot encode the signing key"));
  }
  return bioContents(bio.get());
}

Result<std::string> SigningKey::publicPem() const {
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) {
    return fail(Error::internal("Cannot encode the public key"));
  }
  return bioContents(bio.get());
}

Result<std::string> SigningKey::publicDer() const {
  const int len = i2d_PUBKEY(pkey_.get(), nullptr);
  if (len <= 0) return fail(Error::internal("Cannot encode the public key"));
  std::string out(static_cast<std::size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (i2d_PUBKEY(pkey_.get(), &p) != len) return fail(Error::internal("Cannot encode the public key"));
  return out;
}

boost::json::object SigningKey::publicJwk(std::string_view kid) const {
  boost::json::object jwk;
  if (alg_ == JwsAlgorithm::kEs256) {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = base64::encodeUrl(bnBytes(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X, kEcCoordinateBytes));
    jwk["y"] = base64::encodeUrl(bnBytes(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, kEcCoordinateBytes));
  } else {
    jwk["kty"] = "RSA";
    jwk["n"] = base64::encodeUrl(bnBytes(pkey_.get(), OSSL_PKEY_PARAM_RSA_N));
    jwk["e"] = base64::encodeUrl(bnBytes(pkey_.get(), OSSL_PKEY_PARAM_RSA_E));
  }
  jwk["use"] = "sig";
  jwk["alg"] = algorithmName(alg_);
  jwk["kid"] = kid.empty() ? std::string_view(kid_) : kid;
  return jwk;
}

}  // namespace fraudgov::devtools
