#include "devtools/jws_signer.h"

#include <openssl/ec.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "auth/openssl_handles.h"
#include "common/base64.h"

namespace fraudgov::devtools {

namespace ossl = auth::ossl;

namespace {

constexpr int kEs256Half = 32;

// OpenSSL produces DER ECDSA-Sig-Value; JWS (RFC 7518 §3.4) wants fixed-width r||s.
Result<std::string> derToRaw(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ossl::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return fail(Error::internal("ECDSA signature encoding failed"));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string out(2 * kEs256Half, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, bytes, kEs256Half) != kEs256Half ||
      BN_bn2binpad(s, bytes + kEs256Half, kEs256Half) != kEs256Half) {
    return fail(Error::internal("ECDSA signature encoding failed"));
  }
  return out;
}

}  // namespace

Result<std::string> signBytes(const SigningKey& key, std::string_view signing_input) {
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key.pkey(), nullptr) != 1) {
    return fail(Error::internal("Signing failed"));
  }
  const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data, signing_input.size()) != 1) {
    return fail(Error::internal("Signing failed"));
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data, signing_input.size()) != 1) {
    return fail(Error::internal("Signing failed"));
  }
  sig.resize(len);
  if (key.algorithm() == JwsAlgorithm::kEs256) return derToRaw(sig);
  return sig;
}

Result<std::string> signCompactRaw(const SigningKey& key, std::string_view header_json, std::string_view payload_json) {
  std::string input = base64::encodeUrl(header_json) + "." + base64::encodeUrl(payload_json);
  auto sig = signBytes(key, input);
  if (!sig) return fail(sig.error());
  return input + "." + base64::encodeUrl(*sig);
}

Result<std::string> signCompact(const SigningKey& key, const boost::json::object& payload, std::string_view kid,
                                std::string_view typ) {
  boost::json::object header;
  header["alg"] = algorithmName(key.algorithm());
  header["typ"] = typ;
  header["kid"] = kid.empty() ? std::string_view(key.kid()) : kid;
  return signCompactRaw(key, boost::json::serialize(header), boost::json::serialize(payload));
}

std::string jwksJson(const std::vector<const SigningKey*>& keys) {
  boost::json::array list;
  for (const SigningKey* k : keys) list.push_back(k->publicJwk());
  return boost::json::serialize(boost::json::object{{"keys", std::move(list)}});
}

}  // namespace fraudgov::devtools
