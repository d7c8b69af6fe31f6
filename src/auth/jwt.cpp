#include "auth/jwt.h"

#include <boost/json/value.hpp>
#include <cmath>

#include "auth/signature.h"
#include "common/base64.h"
#include "common/enum_names.h"
#include "common/json.h"
#include "common/text.h"

namespace fraudgov::auth {

namespace {

namespace bj = boost::json;

template <class T>
using Checked = tl::expected<T, JwtRejection>;
using Check = tl::expected<void, JwtRejection>;

constexpr std::size_t kMaxKidBytes = 256;
constexpr json::ParseLimits kJoseLimits{.max_depth = 16};
// Seconds since the epoch beyond year 5000 are nonsense; refusing them keeps the arithmetic finite.
constexpr double kMaxNumericDate = 1e11;

struct CompactParts {
  std::string_view signing_input;  // header "." payload, exactly as received
  std::string header;
  std::string payload;
  std::string signature;
};

Checked<CompactParts> splitCompact(std::string_view token) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return tl::unexpected(JwtRejection::kMalformed);
  }
  const std::string_view h = token.substr(0, dot1);
  const std::string_view p = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view s = token.substr(dot2 + 1);
  if (h.empty() || p.empty() || s.empty()) return tl::unexpected(JwtRejection::kMalformed);
  auto header = base64::decodeUrl(h);
  auto payload = base64::decodeUrl(p);
  auto signature = base64::decodeUrl(s);
  if (!header || !payload || !signature) return tl::unexpected(JwtRejection::kMalformed);
  return CompactParts{token.substr(0, dot2), std::move(*header), std::move(*payload), std::move(*signature)};
}

Checked<bj::object> parseObject(std::string_view text) {
  auto v = json::parseStrict(text, kJoseLimits);
  if (!v || !v->is_object()) return tl::unexpected(JwtRejection::kMalformed);
  return std::move(v->get_object());
}

const bj::string* stringMember(const bj::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && v->is_string() ? &v->get_string() : nullptr;
}

struct HeaderFacts {
  JwsAlg alg;
  std::string kid;
};

Check checkTyp(const bj::object& header) {
  if (!header.contains("typ")) return {};
  const auto* typ = stringMember(header, "typ");
  if (typ && (text::iequals(*typ, "JWT") || text::iequals(*typ, "at+jwt"))) return {};
  return tl::unexpected(JwtRejection::kBadHeader);
}

Check checkNoForbiddenParams(const bj::object& header) {
  // crit would oblige us to understand extensions we do not implement (RFC 7515 §4.1.11); the
  // key-carrying parameters would let the token choose its own verification key.
  for (std::string_view name : {"crit", "jku", "x5u", "jwk", "x5c", "zip"}) {
    if (header.contains(name)) return tl::unexpected(JwtRejection::kBadHeader);
  }
  return {};
}

}  // namespace

constexpr auto kRejectionNames = enumNames<JwtRejection>({
    {JwtRejection::kNone, "none"},
    {JwtRejection::kTooLarge, "too_large"},
    {JwtRejection::kMalformed, "malformed"},
    {JwtRejection::kAlgorithmNotAllowed, "algorithm_not_allowed"},
    {JwtRejection::kBadHeader, "bad_header"},
    {JwtRejection::kUnknownKid, "unknown_kid"},
    {JwtRejection::kNoKeys, "no_keys"},
    {JwtRejection::kKeyAlgorithmMismatch, "key_algorithm_mismatch"},
    {JwtRejection::kBadSignature, "bad_signature"},
    {JwtRejection::kBadClaims, "bad_claims"},
    {JwtRejection::kExpired, "expired"},
    {JwtRejection::kNotYetValid, "not_yet_valid"},
    {JwtRejection::kIssuedInFuture, "issued_in_future"},
    {JwtRejection::kWrongIssuer, "wrong_issuer"},
    {JwtRejection::kWrongAudience, "wrong_audience"},
    {JwtRejection::kMissingSubject, "missing_subject"},
});

std::string_view rejectionName(JwtRejection r) { return nameOf(kRejectionNames, r); }

JwtVerifier::JwtVerifier(AuthSettings settings) : settings_(std::move(settings)) {
  for (const auto& name : settings_.algorithms) {
    const auto alg = parseJwsAlg(name);
    if (alg == JwsAlg::kRs256) allow_rs256_ = true;
    if (alg == JwsAlg::kEs256) allow_es256_ = true;
  }
}

namespace {

class Verification {
 public:
  Verification(const AuthSettings& settings, bool rs256, bool es256, Timestamp now)
      : settings_(settings), allow_rs256_(rs256), allow_es256_(es256), now_seconds_(now.micros / 1e6) {}

  Checked<HeaderFacts> checkHeader(const bj::object& header) const {
    const auto* alg_name = stringMember(header, "alg");
    const auto alg = alg_name ? parseJwsAlg(*alg_name) : std::nullopt;
    // parseJwsAlg knows only RS256/ES256, so none and HS* can never get past here, whatever
    // the configuration says.
    if (!alg || (*alg == JwsAlg::kRs256 && !allow_rs256_) || (*alg == JwsAlg::kEs256 && !allow_es256_)) {
      return tl::unexpected(JwtRejection::kAlgorithmNotAllowed);
    }
    const auto* kid = stringMember(header, "kid");
    if (!kid || kid->empty() || kid->size() > kMaxKidBytes) return tl::unexpected(JwtRejection::kBadHeader);
    if (auto ok = checkNoForbiddenParams(header); !ok) return tl::unexpected(ok.error());
    if (auto ok = checkTyp(header); !ok) return tl::unexpected(ok.error());
    return HeaderFacts{*alg, std::string(*kid)};
  }

  Check checkClaims(const bj::object& claims) const {
    if (auto ok = checkTimes(claims); !ok) return ok;
    const auto* iss = stringMember(claims, "iss");
    if (!iss || settings_.issuer.empty() || *iss != settings_.issuer) return tl::unexpected(JwtRejection::kWrongIssuer);
    if (auto ok = checkAudience(claims); !ok) return ok;
    const auto* sub = stringMember(claims, "sub");
    if (!sub || sub->empty()) return tl::unexpected(JwtRejection::kMissingSubject);
    return {};
  }

 private:
  // A NumericDate (RFC 7519 §2); absent -> nullopt, present but not a sane number -> rejection.
  static Checked<std::optional<double>> numericDate(const bj::object& claims, std::string_view name) {
    const auto* v = claims.if_contains(name);
    if (!v) return std::optional<double>();
    if (!v->is_number()) return tl::unexpected(JwtRejection::kBadClaims);
    const double d = v->to_number<double>();
    if (!std::isfinite(d) || d < 0 || d > kMaxNumericDate) return tl::unexpected(JwtRejection::kBadClaims);
    return std::optional<double>(d);
  }

  Check checkTimes(const bj::object& claims) const {
    const auto exp = numericDate(claims, "exp");
    const auto nbf = numericDate(claims, "nbf");
    const auto iat = numericDate(claims, "iat");
    if (!exp || !nbf || !iat || !*exp) return tl::unexpected(JwtRejection::kBadClaims);
    const double leeway = static_cast<double>(settings_.leeway.count());
    if (!(now_seconds_ < **exp + leeway)) return tl::unexpected(JwtRejection::kExpired);
    if (*nbf && now_seconds_ + leeway < **nbf) return tl::unexpected(JwtRejection::kNotYetValid);
    if (*iat && **iat > now_seconds_ + leeway) return tl::unexpected(JwtRejection::kIssuedInFuture);
    return {};
  }

  bool audienceConfigured(const bj::value& v) const {
    if (!v.is_string()) return false;
    for (const auto& a : settings_.audiences) {
      if (v.get_string() == a) return true;
    }
    return false;
  }

  Check checkAudience(const bj::object& claims) const {
    const auto* aud = claims.if_contains("aud");
    if (aud && aud->is_string() && audienceConfigured(*aud)) return {};
    if (aud && aud->is_array()) {
      bool matched = false;
      for (const auto& item : aud->get_array()) {
        if (!item.is_string()) return tl::unexpected(JwtRejection::kBadClaims);
        matched = matched || audienceConfigured(item);
      }
      if (matched) return {};
    }
    return tl::unexpected(JwtRejection::kWrongAudience);
  }

  const AuthSettings& settings_;
  bool allow_rs256_;
  bool allow_es256_;
  double now_seconds_;
};

Error errorFor(JwtRejection r) {
  if (r == JwtRejection::kNoKeys) return Error::unavailable("Identity provider keys unavailable", 1);
  return Error::unauthenticated();
}

}  // namespace

Result<VerifiedJwt> JwtVerifier::verify(std::string_view token, const KeyLookupFn& lookup, Timestamp now,
                                        JwtRejection* why) const {
  return check(token, lookup, now, why, Signature::kVerify);
}

Status JwtVerifier::precheck(std::string_view token, const KeyLookupFn& lookup, Timestamp now,
                             JwtRejection* why) const {
  FRAUDGOV_RETURN_IF_ERROR(check(token, lookup, now, why, Signature::kSkip));
  return {};
}

Result<VerifiedJwt> JwtVerifier::check(std::string_view token, const KeyLookupFn& lookup, Timestamp now,
                                       JwtRejection* why, Signature signature) const {
  auto reject = [why](JwtRejection r) {
    if (why) *why = r;
    return fail(errorFor(r));
  };
  if (why) *why = JwtRejection::kNone;
  // Bound the work an anonymous client can cause before decoding anything.
  if (token.size() > settings_.max_token_bytes) return reject(JwtRejection::kTooLarge);
  auto parts = splitCompact(token);
  if (!parts) return reject(parts.error());
  auto header = parseObject(parts->header);
  if (!header) return reject(header.error());

  const Verification v(settings_, allow_rs256_, allow_es256_, now);
  auto facts = v.checkHeader(*header);
  if (!facts) return reject(facts.error());
  const KeyLookup found = lookup(facts->kid);
  if (found.outcome == KeyLookupOutcome::kNoKeys) return reject(JwtRejection::kNoKeys);
  if (found.outcome != KeyLookupOutcome::kFound || !found.key) return reject(JwtRejection::kUnknownKid);
  // The key's type decides the algorithm: an RSA key never checks ES256 (or HMAC) and vice versa.
  if (found.key->alg() != facts->alg) return reject(JwtRejection::kKeyAlgorithmMismatch);
  if (signature == Signature::kVerify) {
    signature_checks_->fetch_add(1, std::memory_order_relaxed);
    if (!verifyJwsSignature(*found.key, parts->signing_input, parts->signature)) {
      return reject(JwtRejection::kBadSignature);
    }
  }

  // Without a verified signature (precheck) the claims are only a reason to refuse, never believed.
  auto claims = parseObject(parts->payload);
  if (!claims) return reject(claims.error());
  if (auto ok = v.checkClaims(*claims); !ok) return reject(ok.error());
  return VerifiedJwt{facts->alg, std::move(facts->kid), std::move(*claims)};
}

}  // namespace fraudgov::auth
