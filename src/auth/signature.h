#pragma once
// JWS signature checks (RFC 7518 §3.3 RS256, §3.4 ES256) against a cached public key.

#include <string_view>

#include "auth/jwk.h"

namespace fraudgov::auth {

// True only when `signature` is a valid signature of `signing_input` under `key` for the key's
// own algorithm. ES256 signatures must be exactly 64 bytes (r||s).
bool verifyJwsSignature(const VerificationKey& key, std::string_view signing_input, std::string_view signature);

}  // namespace fraudgov::auth
