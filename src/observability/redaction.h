#pragma once
// Keeps credentials out of logs (SPEC §6.5, §7). Code logs only chosen fields, but exception
// texts, library messages and URLs can still carry a token; so every log line passes through
// redactText() in the formatter (log.cpp) as the last line of defence, structured fields with
// sensitive names are masked in Logger::event(), and anything that logs headers or JSON bodies must go
// through redactedHeaders() / redactJson(). Secret values are per runtime: observability/secret_values.h.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fraudgov::observability {

inline constexpr std::string_view kRedacted = "***REDACTED***";

// Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Metrics-Token, X-Health-Token,
// X-Api-Key, X-Auth-Token, and any X-...-Token/-Secret/-Key; case-insensitive.
bool isSensitiveHeader(std::string_view name);
// JSON member / field names: password, secret, token, api_key, access_token, client_secret,
// private_key, authorization, cookie, ... and names ending in _token, _secret, _password and the
// secret kinds of key (api_key, access_key, secret_key, signing_key, hmac_key) — not field_key.
bool isSensitiveKey(std::string_view key);

// Headers as a JSON object for a log line, sensitive values replaced by kRedacted.
boost::json::object redactedHeaders(const std::vector<std::pair<std::string, std::string>>& headers);
// A copy with the values of sensitive members replaced, recursively (arrays included).
boost::json::value redactJson(const boost::json::value& value);

// Free text with credentials masked: "Bearer <x>" / "Basic <x>", anything shaped like a JWT,
// the password in URL userinfo (scheme://user:pass@), sensitive key=value pairs (query strings,
// libpq conninfo) and "<sensitive header>: value". The secret values a runtime has in use are
// masked by its logger (SecretValues in observability/secret_values.h).
std::string redactText(std::string_view text);

}  // namespace fraudgov::observability
