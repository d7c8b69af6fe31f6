#include "http/conditional.h"

#include "common/text.h"

namespace fraudgov::http {

namespace {

bool isOws(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool ifNoneMatchMatches(std::string_view value, std::string_view etag) {
  // The opaque part of our tag, quotes included: "abc".
  std::size_t i = 0;
  const std::size_t n = value.size();
  for (;;) {
    while (i < n && (isOws(value[i]) || value[i] == ',')) ++i;
    if (i >= n) return false;
    if (value[i] == '*') {
      // "*" alone: any current representation matches (and a 200 is about to be sent).
      std::size_t j = i + 1;
      while (j < n && isOws(value[j])) ++j;
      return j == n || value[j] == ',';
    }
    if (value.compare(i, 2, "W/") == 0) i += 2;
    if (i >= n || value[i] != '"') return false;
    const std::size_t close = value.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    if (value.substr(i, close - i + 1) == etag) return true;
    i = close + 1;
    while (i < n && isOws(value[i])) ++i;
    if (i < n && value[i] != ',') return false;
  }
}

bool ifNoneMatchMatches(const Request& request, std::string_view etag) {
  for (const auto& [name, value] : request.headers.items()) {
    if (text::iequals(name, "If-None-Match") && ifNoneMatchMatches(value, etag)) return true;
  }
  return false;
}

Response notModified(std::string_view etag) {
  Response r;
  r.status = 304;
  r.headers.set("ETag", std::string(etag));
  return r;
}

}  // namespace fraudgov::http
