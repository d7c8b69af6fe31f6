#include "observability/redaction.h"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <memory>
#include <mutex>

#include "common/text.h"

namespace fraudgov::observability {

namespace {

// Shorter credentials after an auth scheme are left alone: masking them would mangle ordinary text.
constexpr std::size_t kMinRedactedValue = 8;

bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool isBase64Url(char c) { return isAlnum(c) || c == '-' || c == '_'; }
bool isToken68(char c) { return isBase64Url(c) || c == '.' || c == '~' || c == '+' || c == '/'; }
bool isKeyChar(char c) { return isAlnum(c) || c == '_' || c == '-' || c == '.'; }
// Where a value embedded in text ends: whitespace, separators, quotes, JSON escapes.
bool endsValue(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == ';' || c == ',' || c == '"' || c == '\'' ||
         c == '\\' || c == ')' || c == '}' || c == ']';
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Replaces text[from, to) with the marker; returns the index just after the marker.
std::size_t mask(std::string& text, std::size_t from, std::size_t to) {
  text.replace(from, to - from, kRedacted);
  return from + kRedacted.size();
}

// "Bearer <token68>" and "Basic <token68>" (as written in headers: capitalized).
void maskAuthSchemes(std::string& text) {
  for (std::string_view scheme : {"Bearer ", "Basic "}) {
    std::size_t pos = 0;
    while ((pos = text.find(scheme, pos)) != std::string::npos) {
      std::size_t start = pos + scheme.size();
      while (start < text.size() && text[start] == ' ') ++start;
      std::size_t end = start;
      while (end < text.size() && isToken68(text[end])) ++end;
      while (end < text.size() && text[end] == '=') ++end;
      pos = end - start >= kMinRedactedValue ? mask(text, start, end) : end;
    }
  }
}

// JWS compact serialization: three base64url parts; every JOSE header starts with `{"` = "eyJ".
void maskJwts(std::string& text) {
  std::size_t pos = 0;
  while ((pos = text.find("eyJ", pos)) != std::string::npos) {
    if (pos > 0 && isBase64Url(text[pos - 1])) {
      pos += 3;
      continue;
    }
    std::size_t end = pos;
    int dots = 0;
    while (end < text.size() && (isBase64Url(text[end]) || text[end] == '.')) dots += text[end++] == '.';
    pos = dots >= 1 && end - pos >= 16 ? mask(text, pos, end) : end;
  }
}

// scheme://user:password@host -> scheme://user:***REDACTED***@host
void maskUserinfo(std::string& text) {
  std::size_t pos = 0;
  while ((pos = text.find("://", pos)) != std::string::npos) {
    pos += 3;
    std::size_t end = pos;
    while (end < text.size() && text[end] != '@' && text[end] != '/' && !endsValue(text[end])) ++end;
    if (end >= text.size() || text[end] != '@') continue;
    const auto colon = text.find(':', pos);
    if (colon != std::string::npos && colon < end && colon + 1 < end) pos = mask(text, colon + 1, end);
  }
}

// key=value with a sensitive key (query strings, libpq conninfo, AWS presigned URLs), and
// "<sensitive header>: value".
void maskPairs(std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char sep = text[i];
    if (sep != '=' && sep != ':') continue;
    std::size_t key_start = i;
    while (key_start > 0 && isKeyChar(text[key_start - 1])) --key_start;
    if (key_start == i) continue;
    const std::string_view key(text.data() + key_start, i - key_start);
    if (sep == '=' ? !isSensitiveKey(key) : !isSensitiveHeader(key)) continue;
    std::size_t start = i + 1;
    while (start < text.size() && text[start] == ' ') ++start;
    std::size_t end = start;
    if (sep == ':') {
      // A header value runs to the end of the line or string.
      while (end < text.size() && text[end] != '\n' && text[end] != '\r' && text[end] != '"' && text[end] != '\\') {
        ++end;
      }
    } else {
      while (end < text.size() && !endsValue(text[end])) ++end;
    }
    if (end > start && text.compare(start, end - start, kRedacted) != 0) i = mask(text, start, end) - 1;
  }
}

}  // namespace

bool isSensitiveHeader(std::string_view name) {
  const std::string n = text::toLower(name);
  static constexpr std::array<std::string_view, 8> kExact = {"authorization", "proxy-authorization", "cookie",
                                                             "set-cookie",    "x-metrics-token",     "x-health-token",
                                                             "x-api-key",     "x-auth-token"};
  if (std::find(kExact.begin(), kExact.end(), n) != kExact.end()) return true;
  return n.starts_with("x-") && (endsWith(n, "-token") || endsWith(n, "-secret") || endsWith(n, "-key"));
}

bool isSensitiveKey(std::string_view key) {
  const std::string k = text::toLower(key);
  static constexpr std::array<std::string_view, 14> kExact = {
      "password",      "passwd", "pwd",        "secret",      "token",       "api_key",         "apikey",
      "authorization", "cookie", "set-cookie", "private_key", "sslpassword", "x-amz-signature", "signature"};
  if (std::find(kExact.begin(), kExact.end(), k) != kExact.end()) return true;
  // Not every "_key" is secret (field_key, ruleset_key, idempotency_key), so only key kinds that are.
  for (std::string_view suffix : {"_token", "-token", "_secret", "-secret", "_password", "-password", "api_key",
                                  "api-key", "access_key", "secret_key", "private_key", "signing_key", "hmac_key"}) {
    if (endsWith(k, suffix)) return true;
  }
  return false;
}

boost::json::object redactedHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  boost::json::object out;
  for (const auto& [name, value] : headers) {
    out[text::toLower(name)] = isSensitiveHeader(name) ? boost::json::string(kRedacted) : boost::json::string(value);
  }
  return out;
}

boost::json::value redactJson(const boost::json::value& value) {
  if (const auto* object = value.if_object()) {
    boost::json::object out;
    for (const auto& member : *object) {
      out[member.key()] = isSensitiveKey(member.key()) ? boost::json::value(boost::json::string(kRedacted))
                                                       : redactJson(member.value());
    }
    return out;
  }
  if (const auto* array = value.if_array()) {
    boost::json::array out;
    out.reserve(array->size());
    for (const auto& item : *array) out.push_back(redactJson(item));
    return out;
  }
  return value;
}

std::string redactText(std::string_view input) {
  std::string text(input);
  maskAuthSchemes(text);
  maskJwts(text);
  maskUserinfo(text);
  maskPairs(text);
  return text;
}

}  // namespace fraudgov::observability
