#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "auth_fixtures.h"
#include "fake_idp.h"

namespace fraudgov::auth {
namespace {

using namespace std::chrono_literals;
using namespace test;
using fraudgov::testing::TestKey;
using fraudgov::testing::TokenFactory;

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    idp_.serve(tokens().jwks());
    settings_ = testSettings(idp_.jwksUrl());
    cache_ = std::make_shared<JwksCache>(settings_, std::make_shared<net::CurlHttpClient>());
    cache_->start();
    ASSERT_TRUE(cache_->waitForFirstAttempt(5s));
    authenticator_ = std::make_unique<Authenticator>(settings_, cache_);
  }

  Result<Principal> withHeader(std::optional<std::string_view> header) { return authenticator_->authenticate(header); }
  Result<Principal> withToken(const std::string& token) { return withHeader("Bearer " + token); }

  FakeIdp idp_;
  AuthSettings settings_;
  std::shared_ptr<JwksCache> cache_;
  std::unique_ptr<Authenticator> authenticator_;
};

TEST_F(AuthenticatorTest, BuildsThePrincipalFromAValidRs256Token) {
  auto claims = goodClaims("auth0|maker");
  claims["email"] = "maker@bank.test";
  claims["name"] = "Mia Maker";
  claims[kAudience + "/roles"] = boost::json::array{"RULE_MAKER"};
  claims["permissions"] = boost::json::array{"rule:create", "rule:read"};
  claims["scope"] = "rule:update rule:read";
  auto p = withToken(tokens().rs256(claims));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->issuer, kIssuer);
  EXPECT_EQ(p->subject, "auth0|maker");
  EXPECT_EQ(p->email, "maker@bank.test");
  EXPECT_EQ(p->name, "Mia Maker");
  EXPECT_EQ(p->roles, std::vector<std::string>{"RULE_MAKER"});
  // `scope` grants nothing by default (SPEC §6.2): only the permissions claim counts.
  EXPECT_EQ(p->permissions, (std::vector<std::string>{"rule:create", "rule:read"}));
  EXPECT_FALSE(p->hasPermission(auth::Permission::kRuleUpdate));
  EXPECT_FALSE(p->hasPermission(auth::Permission::kRuleApprove));
  EXPECT_FALSE(p->machine);
}

TEST_F(AuthenticatorTest, ScopeGrantsPermissionsOnlyWhenTheOperatorOptsIn) {
  auto claims = goodClaims("auth0|scoped");
  claims["permissions"] = boost::json::array{"rule:read"};
  claims["scope"] = "openid rule:update";
  const std::string token = tokens().rs256(claims);
  auto plain = withToken(token);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_FALSE(plain->hasPermission(auth::Permission::kRuleUpdate));

  auto opted_in = settings_;
  opted_in.scope_grants_permissions = true;
  Authenticator widened(opted_in, cache_);
  auto p = widened.authenticate("Bearer " + token);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->hasPermission(auth::Permission::kRuleUpdate));
  EXPECT_EQ(p->permissions, (std::vector<std::string>{"openid", "rule:read", "rule:update"}));
}

TEST_F(AuthenticatorTest, AcceptsEs256AndMachineTokens) {
  auto claims = goodClaims("engine@clients");
  claims["gty"] = "client-credentials";
  claims["roles"] = boost::json::array{"PLATFORM_ADMIN"};
  auto p = withToken(tokens().es256(claims));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->machine);
  EXPECT_TRUE(p->isPlatformAdmin());
  EXPECT_TRUE(p->hasPermission(auth::Permission::kRulesetActivate));
}

TEST_F(AuthenticatorTest, BearerSchemeIsCaseInsensitiveWithExactlyOneSpace) {
  const std::string token = tokens().rs256(goodClaims());
  EXPECT_TRUE(withHeader("Bearer " + token));
  EXPECT_TRUE(withHeader("bearer " + token));
  EXPECT_TRUE(withHeader("BEARER " + token));
  for (const std::string& bad : {"Bearer  " + token, "Bearer\t" + token, "Basic " + token, "Token " + token,
                                 std::string("Bearer"), std::string("Bearer "), std::string(""), token,
                                 "Bearer " + token + " x", "Bearer " + token + "\r\nX-Evil: 1"}) {
    auto r = withHeader(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << bad;
  }
  auto missing = withHeader(std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AuthenticatorTest, HostileTokensAreAllTheSame401) {
  const auto c = goodClaims();
  auto wrong_iss = c;
  wrong_iss["iss"] = "https://evil.example/";
  auto wrong_aud = c;
  wrong_aud["aud"] = "https://other-api";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"alg none", tokens().algNone(c)},
      {"hs256 pem", tokens().hs256WithPublicKey(c)},
      {"hs256 der", tokens().hs256WithPublicKey(c, TokenFactory::SecretForm::kDer)},
      {"unknown kid", tokens().unknownKid(c)},
      {"tampered payload", tokens().tamperedPayload(c)},
      {"tampered signature", tokens().tamperedSignature(c)},
      {"oversized", tokens().oversized(c)},
      {"es256 header rsa kid", tokens().es256HeaderWithRsaKid(c)},
      {"rs256 header ec kid", tokens().rs256HeaderWithEcKid(c)},
      {"wrong issuer", tokens().rs256(wrong_iss)},
      {"wrong audience", tokens().rs256(wrong_aud)},
      {"expired", tokens().rs256(TokenFactory::claims(kIssuer, kAudience, "u", -1h))},
      {"garbage", "not-a-jwt"},
  };
  for (const auto& [name, token] : cases) {
    JwtRejection why = JwtRejection::kNone;
    auto r = authenticator_->authenticate("Bearer " + token, &why);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << name;
    EXPECT_EQ(r.error().message, "Invalid or expired token") << name;
    EXPECT_TRUE(r.error().details.empty()) << name;
    EXPECT_NE(why, JwtRejection::kNone) << name;
  }
}

TEST_F(AuthenticatorTest, NoKeySourceIsUnavailableNotUnauthenticated) {
  const Authenticator keyless(settings_, nullptr);
  auto r = keyless.authenticate("Bearer " + tokens().rs256(goodClaims()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().message, "Identity provider keys unavailable");
  EXPECT_GE(r.error().retry_after_seconds, 1);
}

TEST(BearerToken, ExtractsOnlyWellFormedBearerCredentials) {
  EXPECT_EQ(bearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(bearerToken("bEaReR x"), "x");
  EXPECT_FALSE(bearerToken("Bearer"));
  EXPECT_FALSE(bearerToken("Bearer "));
  EXPECT_FALSE(bearerToken("Bearerx abc"));
  EXPECT_FALSE(bearerToken("Bearer a b"));
  EXPECT_FALSE(bearerToken(" Bearer abc"));
}

}  // namespace
}  // namespace fraudgov::auth
