// Identity over HTTP: the JWT checks of SPEC §6.2 against a local JWKS endpoint, and the
// non-blocking key cache (a hanging IdP does not slow down requests whose key is cached).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include <boost/json/serialize.hpp>

#include "support/api_harness.h"
#include "support/poll.h"

namespace fraudgov {

using testing::ApiHarness;
using testing::TestKey;
using testing::TokenFactory;

namespace {

// The problem body without the per-request id, to compare 401s with each other.
std::string problemWithoutRequestId(const testing::HttpResult& r) {
  auto body = r.json();
  if (!body.is_object()) return r.body;
  body.as_object().erase("request_id");
  return boost::json::serialize(body);
}

}  // namespace

TEST(AuthApi, AcceptsValidRs256AndEs256Tokens) {
  ApiHarness api;
  const auto& tf = TokenFactory::get();
  auto claims = api.claims("user-rs");
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount", tf.rs256(claims)).status, 200);
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount", tf.es256(api.claims("user-es"))).status, 200);
}

TEST(AuthApi, RefusesEveryForgedOrInvalidTokenWithTheSame401) {
  ApiHarness api;
  const auto& tf = TokenFactory::get();
  const auto good = api.claims("user-1");
  auto with = [&](const char* key, boost::json::value v) {
    auto c = good;
    c[key] = std::move(v);
    return c;
  };
  auto without = [&](const char* key) {
    auto c = good;
    c.erase(key);
    return c;
  };
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"alg none", tf.algNone(good)},
      {"HS256 signed with the public key (PEM)", tf.hs256WithPublicKey(good)},
      {"HS256 signed with the public key (DER)", tf.hs256WithPublicKey(good, TokenFactory::SecretForm::kDer)},
      {"wrong issuer", tf.rs256(with("iss", "https://evil.example/"))},
      {"issuer without trailing slash", tf.rs256(with("iss", "https://idp.fraudgov.test"))},
      {"wrong audience", tf.rs256(with("aud", "https://other-api"))},
      {"expired", tf.rs256(with("exp", now - 3600))},
      {"not yet valid", tf.rs256(with("nbf", now + 3600))},
      {"issued in the future", tf.rs256(with("iat", now + 3600))},
      {"missing exp", tf.rs256(without("exp"))},
      {"missing sub", tf.rs256(without("sub"))},
      {"unknown kid", tf.unknownKid(good)},
      {"tampered payload", tf.tamperedPayload(good)},
      {"tampered signature", tf.tamperedSignature(good)},
      {"oversized token", tf.oversized(good)},
      {"ES256 header on an RSA key", tf.es256HeaderWithRsaKid(good)},
      {"RS256 header on an EC key", tf.rs256HeaderWithEcKid(good)},
      {"duplicate claim",
       tf.signRaw(
           TestKey::kRsa, R"({"alg":"RS256","kid":"test-rsa","typ":"JWT"})",
           R"({"sub":"a","sub":"admin","iss":"https://idp.fraudgov.test/","aud":"https://fraudgov-api.test","exp":)" +
               std::to_string(now + 600) + "}")},
      {"garbage", "not.a.jwt"},
      {"two parts", "abc.def"},
  };
  std::string reference;
  for (const auto& [name, token] : cases) {
    auto r = api.get("/api/v1/rule-fields/amount", token);
    EXPECT_EQ(r.status, 401) << name;
    EXPECT_EQ(r.header("WWW-Authenticate").value_or(""), "Bearer realm=\"fraudgov\"") << name;
    const std::string body = problemWithoutRequestId(r);
    if (reference.empty()) reference = body;
    EXPECT_EQ(body, reference) << name << ": the body must not reveal which check failed";
  }
  for (const char* header : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer", "Token abc"}) {
    auto r = api.send("GET", "/api/v1/rule-fields", "", {{"Authorization", header}});
    EXPECT_EQ(r.status, 401) << header;
  }
}

TEST(AuthApi, ForbiddenBodiesRevealNothing) {
  ApiHarness api;
  auto a = api.post("/api/v1/rule-fields", boost::json::object{}, api.token("u1", {"rule:read"}));
  auto b = api.post("/api/v1/rule-fields", boost::json::object{}, api.token("u2", {}));
  ASSERT_EQ(a.status, 403);
  ASSERT_EQ(b.status, 403);
  EXPECT_EQ(problemWithoutRequestId(a), problemWithoutRequestId(b));
  EXPECT_TRUE(a.json().at("details").as_object().empty());
}

namespace {
// A one-second cooldown on a clock the test moves.
ApiHarness::Options shortCooldown() {
  ApiHarness::Options options;
  options.env["JWKS_UNKNOWN_KID_COOLDOWN_SECONDS"] = "1";
  options.manual_clock = true;
  return options;
}
}  // namespace

TEST(AuthApi, UnknownKidRefreshesOnceThenCoolsDown) {
  ApiHarness api(shortCooldown());
  const auto& tf = TokenFactory::get();
  api.clock().advance(std::chrono::milliseconds(1100));  // past the cooldown of the startup fetch
  api.idp().resetRequestCount();
  EXPECT_EQ(api.get("/api/v1/rule-fields", tf.unknownKid(api.claims("x"))).status, 401);
  EXPECT_EQ(api.idp().requestCount(), 1u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(api.get("/api/v1/rule-fields", tf.unknownKid(api.claims("x"))).status, 401);
  EXPECT_EQ(api.idp().requestCount(), 1u) << "forged kids must not hammer the identity provider";
}

// Key rotation: the IdP starts signing with a new key; the first token with its kid triggers one
// refresh and is accepted, without waiting for the TTL.
TEST(AuthApi, RotatedKeyIsPickedUpOnFirstUse) {
  ApiHarness api(shortCooldown());
  const auto& tf = TokenFactory::get();
  api.idp().setHandler([](const testing::MiniRequest&) {
    return testing::MiniResponse::json(TokenFactory::get().jwks({TestKey::kRsa, TestKey::kEc, TestKey::kRsaNext}));
  });
  api.clock().advance(std::chrono::milliseconds(1100));  // past the cooldown of the startup fetch
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount", tf.rs256(api.claims("rotated"), TestKey::kRsaNext)).status, 200);
}

// SPEC §6.2: a JWKS endpoint that hangs does not change the latency of requests whose key is
// cached. While the IdP hangs, an unknown kid triggers a refresh that blocks on the network;
// requests with a known key keep flowing.
TEST(AuthApi, HangingJwksEndpointDoesNotDelayCachedKeys) {
  ApiHarness api(shortCooldown());
  api.clock().advance(std::chrono::milliseconds(1100));  // past the cooldown of the startup fetch
  const auto& tf = TokenFactory::get();
  const std::string token = tf.rs256(api.claims("steady"));
  ASSERT_EQ(api.get("/api/v1/rule-fields/amount", token).status, 200);
  api.idp().setHandler(
      [](const testing::MiniRequest&) { return testing::MiniResponse::hang(std::chrono::seconds(20)); });
  api.idp().resetRequestCount();
  auto unknown = std::async(std::launch::async, [&] {
    return api.get("/api/v1/rule-fields/amount", tf.unknownKid(api.claims("probe"))).status;
  });
  ASSERT_TRUE(api.idp().waitForRequests(1, std::chrono::seconds(5))) << "the unknown kid should start a refresh";
  std::chrono::milliseconds worst{0};
  for (int i = 0; i < 100; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(api.get("/api/v1/rule-fields/amount", token).status, 200);
    worst = std::max(worst,
                     std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start));
  }
  EXPECT_LT(worst.count(), 500) << "a cached key must not wait for the identity provider";
  EXPECT_EQ(unknown.get(), 401);
}

TEST(AuthApi, ColdStartWithoutKeysIs503ThenRecovers) {
  ApiHarness::Options options;
  options.idp_available = false;
  options.manual_clock = true;
  ApiHarness api(options);
  const std::string token = TokenFactory::get().rs256(api.claims("early"));
  auto r = api.get("/api/v1/rule-fields", token);
  EXPECT_EQ(r.status, 503);
  EXPECT_GE(std::stoi(r.header("Retry-After").value_or("0")), 1);
  auto ready = api.get("/api/v1/readyz", "");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.json().at("keys").as_string(), "unavailable");

  api.setIdpAvailable(true);
  // The key cache retries after its backoff, which passes only as the clock moves.
  long status = 0;
  EXPECT_TRUE(testing::pollUntil(
      [&] {
        api.clock().advance(std::chrono::seconds(1));
        status = api.get("/api/v1/rule-fields", token).status;
        return status == 200;
      },
      std::chrono::seconds(20), std::chrono::milliseconds(5)));
  EXPECT_EQ(status, 200) << "keys should arrive once the identity provider is back";
  EXPECT_EQ(api.get("/api/v1/readyz", "").status, 200);
}

}  // namespace fraudgov
