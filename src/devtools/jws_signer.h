#pragma once
// Compact JWS (RFC 7515) signing for development tokens and test fixtures.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "devtools/signing_key.h"

namespace fraudgov::devtools {

// The raw JWS signature over `signing_input`: PKCS#1 v1.5 bytes for RS256, 64-byte r||s for ES256.
Result<std::string> signBytes(const SigningKey& key, std::string_view signing_input);

// base64url(header) "." base64url(payload) "." base64url(signature), with the texts used as given.
Result<std::string> signCompactRaw(const SigningKey& key, std::string_view header_json, std::string_view payload_json);

// Header {"alg":..,"typ":..,"kid":..}; kid defaults to the key's thumbprint.
Result<std::string> signCompact(const SigningKey& key, const boost::json::object& payload, std::string_view kid = {},
                                std::string_view typ = "JWT");

// {"keys":[...]} of the public halves.
std::string jwksJson(const std::vector<const SigningKey*>& keys);

}  // namespace fraudgov::devtools
