#include "http/request_head.h"

#include <string>
#include <vector>

#include "common/text.h"

namespace fraudgov::http {

namespace {

std::vector<std::string_view> valuesOf(const Headers& headers, std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& [key, value] : headers.items()) {
    if (text::iequals(key, name)) out.emplace_back(value);
  }
  return out;
}

// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

// The comma-separated codings of every Transfer-Encoding line, in order; empty list elements
// are skipped (RFC 9110 §5.6.1). nullopt when an element is not a bare token: a coding with
// parameters or stray bytes is something we cannot be sure every hop reads the same way.
std::optional<std::vector<std::string>> transferCodings(const std::vector<std::string_view>& lines) {
  std::vector<std::string> codings;
  for (std::string_view line : lines) {
    while (true) {
      const auto comma = line.find(',');
      const std::string_view element = text::trim(line.substr(0, comma));
      if (!element.empty()) {
        if (!isToken(element)) return std::nullopt;
        codings.push_back(text::toLower(element));
      }
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
  }
  return codings;
}

std::optional<Refusal> checkTransferEncoding(const RequestHead& head, const std::vector<std::string_view>& lines) {
  if (lines.empty()) return std::nullopt;
  if (head.version < 11) return Refusal::malformed("Transfer-Encoding is not allowed in HTTP/1.0");
  if (head.headers.has("Content-Length")) {
    return Refusal::malformed("Transfer-Encoding and Content-Length must not be combined");
  }
  const auto codings = transferCodings(lines);
  if (!codings || codings->empty()) return Refusal::malformed("Malformed Transfer-Encoding");
  std::size_t chunked = 0;
  for (const auto& coding : *codings) chunked += coding == "chunked" ? 1 : 0;
  if (chunked > 1) return Refusal::malformed("Transfer-Encoding applies chunked more than once");
  if (chunked == 1 && codings->back() != "chunked") {
    return Refusal::malformed("Transfer-Encoding must end with chunked");
  }
  for (const auto& coding : *codings) {
    if (coding != "chunked") return Refusal::notImplemented("Transfer coding not implemented");
  }
  return std::nullopt;
}

std::optional<Refusal> checkContentLength(const std::vector<std::string_view>& lines) {
  if (lines.empty()) return std::nullopt;
  if (lines.size() > 1) return Refusal::malformed("Duplicate Content-Length header");
  const std::string_view value = text::trim(lines.front());
  if (value.empty() || value.size() > 19) return Refusal::malformed("Malformed Content-Length");
  for (char c : value) {
    if (c < '0' || c > '9') return Refusal::malformed("Malformed Content-Length");
  }
  return std::nullopt;
}

// uri-host [ ":" port ] (RFC 3986 §3.2.2), loosely: the characters of reg-name, IPv4 and
// IP-literal plus the port colon. Enough to keep whitespace, '/', '@' and controls out of a
// value that proxies and our logs treat as an authority.
bool plausibleHost(std::string_view host) {
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("-._~!$&'()*+,;=:[]%").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

std::optional<Refusal> checkHost(const RequestHead& head) {
  const auto hosts = valuesOf(head.headers, "Host");
  if (hosts.empty() && head.version >= 11) return Refusal::malformed("Missing Host header");
  if (hosts.size() > 1) return Refusal::malformed("Duplicate Host header");
  if (!hosts.empty() && !plausibleHost(hosts.front())) return Refusal::malformed("Malformed Host header");
  return std::nullopt;
}

}  // namespace

std::optional<Refusal> checkRequestHead(const RequestHead& head) {
  if (auto refusal = checkHost(head)) return refusal;
  if (valuesOf(head.headers, "Authorization").size() > 1) return Refusal::malformed("Duplicate Authorization header");
  if (auto refusal = checkContentLength(valuesOf(head.headers, "Content-Length"))) return refusal;
  return checkTransferEncoding(head, valuesOf(head.headers, "Transfer-Encoding"));
}

}  // namespace fraudgov::http
