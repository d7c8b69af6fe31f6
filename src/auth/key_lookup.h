#pragma once
// How JWT verification asks for the key named by a token's kid, without knowing where keys live.

#include <functional>
#include <memory>
#include <string_view>

#include "auth/jwk.h"

namespace fraudgov::auth {

enum class KeyLookupOutcome {
  kFound,
  kUnknownKid,  // we have keys, just not this one: the token is not ours (401)
  kNoKeys,      // we have no usable keys at all: we cannot judge any token (503)
};

struct KeyLookup {
  KeyLookupOutcome outcome = KeyLookupOutcome::kUnknownKid;
  std::shared_ptr<const VerificationKey> key;  // set when kFound
};

using KeyLookupFn = std::function<KeyLookup(std::string_view kid)>;

}  // namespace fraudgov::auth
