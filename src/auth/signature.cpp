#include "auth/signature.h"

#include <openssl/ec.h>

#include <array>

#include "auth/openssl_handles.h"

namespace fraudgov::auth {

namespace {

constexpr std::size_t kEs256SignatureBytes = 64;
constexpr std::size_t kMaxDerSignatureBytes = 80;  // SEQUENCE of two INTEGERs up to 33 bytes each

// Fetched once: an implicit fetch by name per call costs a global lock and a property query.
const EVP_MD* sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

bool digestVerify(EVP_PKEY* pkey, std::string_view input, const unsigned char* sig, std::size_t sig_len) {
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || sha256() == nullptr || EVP_DigestVerifyInit(ctx.get(), nullptr, sha256(), nullptr, pkey) != 1) {
    return false;
  }
  // EVP_DigestVerify returns 1 for a good signature, 0 for a bad one and negative for errors.
  return EVP_DigestVerify(ctx.get(), sig, sig_len, reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

// JWS carries ECDSA as fixed-width r||s; OpenSSL verifies the DER ECDSA-Sig-Value form.
bool verifyEs256(EVP_PKEY* pkey, std::string_view input, std::string_view signature) {
  if (signature.size() != kEs256SignatureBytes) return false;
  const auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
  ossl::EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw, 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  std::array<unsigned char, kMaxDerSignatureBytes> der{};
  if (i2d_ECDSA_SIG(sig.get(), nullptr) > static_cast<int>(der.size())) return false;
  unsigned char* out = der.data();
  const int der_len = i2d_ECDSA_SIG(sig.get(), &out);
  if (der_len <= 0) return false;
  return digestVerify(pkey, input, der.data(), static_cast<std::size_t>(der_len));
}

}  // namespace

bool verifyJwsSignature(const VerificationKey& key, std::string_view signing_input, std::string_view signature) {
  if (key.alg() == JwsAlg::kEs256) return verifyEs256(key.pkey(), signing_input, signature);
  return digestVerify(key.pkey(), signing_input, reinterpret_cast<const unsigned char*>(signature.data()),
                      signature.size());
}

}  // namespace fraudgov::auth
