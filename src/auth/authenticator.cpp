#include "auth/authenticator.h"

#include "common/text.h"

namespace fraudgov::auth {

namespace {
constexpr std::string_view kScheme = "Bearer";
}  // namespace

std::optional<std::string_view> bearerToken(std::string_view header) {
  if (header.size() <= kScheme.size() + 1 || !text::iequals(header.substr(0, kScheme.size()), kScheme) ||
      header[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  const std::string_view token = header.substr(kScheme.size() + 1);
  // Tokens are base64url and dots; whitespace here means a second space or a smuggled value.
  // (A plain loop: find_first_of runs one memchr per token byte, on every request.)
  for (const char c : token) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::nullopt;
  }
  return token;
}

Authenticator::Authenticator(AuthSettings settings, std::shared_ptr<JwksCache> keys, const Clock& clock)
    : verifier_(std::move(settings)), keys_(std::move(keys)), clock_(clock) {
  JwksCache* cache = keys_.get();
  lookup_ = [cache](std::string_view kid) {
    return cache ? cache->find(kid) : KeyLookup{KeyLookupOutcome::kNoKeys, nullptr};
  };
  cached_lookup_ = [cache](std::string_view kid) {
    return cache ? cache->findCached(kid) : KeyLookup{KeyLookupOutcome::kNoKeys, nullptr};
  };
}

Status Authenticator::precheck(std::optional<std::string_view> authorization_header) const {
  const auto token = authorization_header ? bearerToken(*authorization_header) : std::nullopt;
  if (!token) return fail(Error::unauthenticated());
  const Timestamp now = clock_.now();
  if (verified_.find(*token, now)) return {};
  return verifier_.precheck(*token, cached_lookup_, now);
}

std::optional<Result<Principal>> Authenticator::authenticateWithoutWaiting(
    std::optional<std::string_view> authorization_header) const {
  const auto token = authorization_header ? bearerToken(*authorization_header) : std::nullopt;
  if (!token) return Result<Principal>(fail(Error::unauthenticated()));
  const Timestamp now = clock_.now();
  if (auto cached = verified_.find(*token, now)) return Result<Principal>(std::move(*cached));
  JwtRejection why = JwtRejection::kNone;
  Status cheap = verifier_.precheck(*token, cached_lookup_, now, &why);
  if (cheap || why == JwtRejection::kUnknownKid || why == JwtRejection::kNoKeys) return std::nullopt;
  return Result<Principal>(fail(std::move(cheap.error())));
}

Result<Principal> Authenticator::authenticate(std::optional<std::string_view> authorization_header,
                                              JwtRejection* why) const {
  return authenticateAt(authorization_header, clock_.now(), why);
}

Result<Principal> Authenticator::authenticateAt(std::optional<std::string_view> authorization_header, Timestamp now,
                                                JwtRejection* why) const {
  const auto token = authorization_header ? bearerToken(*authorization_header) : std::nullopt;
  if (!token) {
    if (why) *why = JwtRejection::kMalformed;
    return fail(Error::unauthenticated());
  }
  if (auto cached = verified_.find(*token, now)) return std::move(*cached);
  auto verified = verifier_.verify(*token, lookup_, now, why);
  if (!verified) {
    Error error = std::move(verified.error());
    if (error.code == ErrorCode::kUnavailable && keys_) error.retry_after_seconds = keys_->retryAfterSeconds();
    return fail(std::move(error));
  }
  const auto& settings = verifier_.settings();
  Principal principal =
      principalFromClaims(verified->claims, settings.audiences,
                          settings.scope_grants_permissions ? ScopeClaim::kGrantsPermissions : ScopeClaim::kIgnored);
  // exp is required and numeric (the verifier checked); the cache honours it with the same leeway.
  const double exp = verified->claims.at("exp").to_number<double>();
  const auto leeway = std::chrono::duration_cast<std::chrono::microseconds>(verifier_.settings().leeway).count();
  verified_.remember(*token, principal, Timestamp{static_cast<std::int64_t>(exp * 1'000'000) + leeway}, now);
  return principal;
}

}  // namespace fraudgov::auth
