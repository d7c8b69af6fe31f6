#include "auth/jwk.h"

#include <openssl/bn.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <set>

#include "common/base64.h"
#include "common/json.h"

namespace fraudgov::auth {

namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;  // bounds the cost of one verification
constexpr int kMaxRsaExponentBits = 32;
constexpr std::size_t kP256CoordinateBytes = 32;

// A key that cannot be used, with the reason; parsing carries on with the next key.
using KeyOutcome = tl::expected<std::shared_ptr<const VerificationKey>, std::string>;

tl::unexpected<std::string> skip(std::string reason) { return tl::unexpected<std::string>(std::move(reason)); }

std::optional<std::string> member(const boost::json::object& jwk, std::string_view name) {
  const auto* v = jwk.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<std::string> decodedMember(const boost::json::object& jwk, std::string_view name) {
  auto text = member(jwk, name);
  if (!text || text->empty()) return std::nullopt;
  return base64::decodeUrl(*text);
}

ossl::BignumPtr toBignum(std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  return ossl::BignumPtr(BN_bin2bn(data, static_cast<int>(bytes.size()), nullptr));
}

ossl::PkeyPtr fromParams(const char* type, OSSL_PARAM_BLD* bld) {
  ossl::ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return ossl::PkeyPtr(raw);
}

KeyOutcome rsaKey(const std::string& kid, const boost::json::object& jwk) {
  const auto n_bytes = decodedMember(jwk, "n");
  const auto e_bytes = decodedMember(jwk, "e");
  if (!n_bytes || !e_bytes) return skip("RSA key without valid n/e");
  ossl::BignumPtr n = toBignum(*n_bytes);
  ossl::BignumPtr e = toBignum(*e_bytes);
  if (!n || !e) return skip("RSA key without valid n/e");
  const int bits = BN_num_bits(n.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) return skip("RSA modulus size outside 2048..8192 bits");
  if (!BN_is_odd(n.get()) || !BN_is_odd(e.get()) || BN_num_bits(e.get()) < 2 ||
      BN_num_bits(e.get()) > kMaxRsaExponentBits) {
    return skip("RSA key with an implausible modulus or exponent");
  }
  ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return skip("RSA key could not be built");
  }
  ossl::PkeyPtr pkey = fromParams("RSA", bld.get());
  if (!pkey) return skip("RSA key could not be built");
  return std::make_shared<const VerificationKey>(kid, JwsAlg::kRs256, std::move(pkey));
}

bool publicKeyIsValid(EVP_PKEY* pkey) {
  ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  return ctx && EVP_PKEY_public_check(ctx.get()) == 1;
}

KeyOutcome ecKey(const std::string& kid, const boost::json::object& jwk) {
  if (member(jwk, "crv") != "P-256") return skip("EC key on a curve other than P-256");
  const auto x = decodedMember(jwk, "x");
  const auto y = decodedMember(jwk, "y");
  if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return skip("EC key without 32-byte x/y");
  }
  const std::string point = std::string(1, '\x04') + *x + *y;  // SEC 1 uncompressed point
  ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return skip("EC key could not be built");
  }
  ossl::PkeyPtr pkey = fromParams("EC", bld.get());
  // An off-curve point would let an attacker probe for invalid-curve weaknesses; refuse it.
  if (!pkey || !publicKeyIsValid(pkey.get())) return skip("EC key is not a valid P-256 point");
  return std::make_shared<const VerificationKey>(kid, JwsAlg::kEs256, std::move(pkey));
}

bool allowsVerify(const boost::json::object& jwk) {
  const auto* ops = jwk.if_contains("key_ops");
  if (!ops) return true;
  if (!ops->is_array()) return false;
  for (const auto& op : ops->get_array()) {
    if (op.is_string() && op.get_string() == "verify") return true;
  }
  return false;
}

KeyOutcome parseKey(const boost::json::value& value) {
  if (!value.is_object()) return skip("key entry is not an object");
  const auto& jwk = value.get_object();
  const auto kid = member(jwk, "kid");
  if (!kid || kid->empty()) return skip("key without kid");
  if (jwk.contains("use") && member(jwk, "use") != "sig") return skip("key " + *kid + ": use is not sig");
  if (!allowsVerify(jwk)) return skip("key " + *kid + ": key_ops exclude verify");
  const auto kty = member(jwk, "kty");
  const auto alg = member(jwk, "alg");
  if (kty == "RSA") {
    if (jwk.contains("alg") && alg != "RS256") return skip("key " + *kid + ": alg is not RS256");
    return rsaKey(*kid, jwk).map_error([&](std::string r) { return "key " + *kid + ": " + r; });
  }
  if (kty == "EC") {
    if (jwk.contains("alg") && alg != "ES256") return skip("key " + *kid + ": alg is not ES256");
    return ecKey(*kid, jwk).map_error([&](std::string r) { return "key " + *kid + ": " + r; });
  }
  return skip("key " + *kid + ": unsupported kty");
}

}  // namespace

std::optional<JwsAlg> parseJwsAlg(std::string_view name) {
  if (name == "RS256") return JwsAlg::kRs256;
  if (name == "ES256") return JwsAlg::kEs256;
  return std::nullopt;
}

Result<KeySet> parseJwks(std::string_view json) {
  auto doc = json::parseStrict(json, {.max_depth = 8});
  if (!doc) return fail(doc.error());
  const auto* root = doc->if_object();
  const auto* keys = root ? root->if_contains("keys") : nullptr;
  if (!keys || !keys->is_array()) return fail(Error::malformed("JWKS document has no keys array"));

  KeySet set;
  std::set<std::string> ambiguous;
  for (const auto& entry : keys->get_array()) {
    auto key = parseKey(entry);
    if (!key) {
      set.skipped.push_back(std::move(key.error()));
      continue;
    }
    const std::string& kid = (*key)->kid();
    if (ambiguous.contains(kid) || !set.keys.emplace(kid, *key).second) {
      ambiguous.insert(kid);
      set.skipped.push_back("key " + kid + ": kid appears more than once");
    }
  }
  for (const auto& kid : ambiguous) set.keys.erase(kid);
  return set;
}

}  // namespace fraudgov::auth
