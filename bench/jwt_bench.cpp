// JWT verification with a warm key cache (SPEC §8: <= 25 us per request). Measures the whole
// verifier — base64url, strict JSON, claim checks and the signature — for RS256 and ES256.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>

#include "auth/jwk.h"
#include "auth/jwt.h"
#include "devtools/jws_signer.h"
#include "devtools/signing_key.h"

namespace {

using fraudgov::auth::KeyLookup;
using fraudgov::auth::KeyLookupOutcome;

struct Setup {
  fraudgov::auth::AuthSettings settings;
  fraudgov::auth::KeySet keys;
  std::string token;
};

Setup makeSetup(bool rsa) {
  auto key = rsa ? fraudgov::devtools::SigningKey::generateRs256() : fraudgov::devtools::SigningKey::generateEs256();
  if (!key) std::abort();
  Setup s;
  s.settings.issuer = "https://idp.bench/";
  s.settings.audiences = {"https://api.bench"};
  auto keys = fraudgov::auth::parseJwks(fraudgov::devtools::jwksJson({&*key}));
  if (!keys) std::abort();
  s.keys = std::move(*keys);
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  boost::json::object claims{{"iss", s.settings.issuer},
                             {"sub", "bench-user"},
                             {"aud", s.settings.audiences[0]},
                             {"iat", now},
                             {"exp", now + 3600},
                             {"permissions", {"rule:read", "rule:create", "rule:update", "rule:submit"}},
                             {"https://api.bench/roles", {"RULE_MAKER"}}};
  auto token = fraudgov::devtools::signCompact(*key, claims, key->kid());
  if (!token) std::abort();
  s.token = *token;
  return s;
}

void verify(benchmark::State& state, bool rsa) {
  const Setup s = makeSetup(rsa);
  const fraudgov::auth::JwtVerifier verifier(s.settings);
  auto lookup = [&s](std::string_view kid) {
    auto key = s.keys.find(kid);
    return KeyLookup{key ? KeyLookupOutcome::kFound : KeyLookupOutcome::kUnknownKid, key};
  };
  for (auto _ : state) {
    auto verified = verifier.verify(s.token, lookup, fraudgov::nowUtc());
    if (!verified) state.SkipWithError("token refused");
    benchmark::DoNotOptimize(verified);
  }
}

void BM_VerifyRs256(benchmark::State& state) { verify(state, true); }
void BM_VerifyEs256(benchmark::State& state) { verify(state, false); }

}  // namespace

BENCHMARK(BM_VerifyRs256)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_VerifyEs256)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
