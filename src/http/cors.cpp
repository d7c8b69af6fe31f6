#include "http/cors.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>

#include "common/text.h"
#include "http/problem.h"

namespace fraudgov::http {

namespace {

constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
constexpr std::string_view kRequestHeaders[] = {"authorization", "content-type", "idempotency-key", "x-request-id"};

bool isHostChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
bool isIpv6Char(char c) { return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.'; }

Result<std::string> hostPart(std::string_view host) {
  if (host.empty()) return fail(Error::validation("it has no host"));
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']' || !std::all_of(host.begin() + 1, host.end() - 1, isIpv6Char)) {
      return fail(Error::validation("its IPv6 host is malformed"));
    }
    return std::string(host);
  }
  if (!std::all_of(host.begin(), host.end(), isHostChar) || host.front() == '.' || host.back() == '.') {
    return fail(Error::validation("its host is malformed"));
  }
  return std::string(host);
}

// The port as written, or nullopt when absent or the scheme's default.
Result<std::optional<unsigned>> portPart(std::string_view port, unsigned default_port) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return fail(Error::validation("its port is malformed"));
  }
  if (value == default_port) return std::optional<unsigned>{};
  return std::optional<unsigned>{value};
}

bool contains(const auto& list, std::string_view value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

// A preflight never has a body. Checking it also keeps requests the transport refused (413 for a
// declared body, malformed chunking) from being answered here as if they were fine.
bool isPreflight(const Request& request) {
  if (request.method != Method::kOptions || !request.headers.has("Access-Control-Request-Method")) return false;
  const auto length = request.headers.get("Content-Length");
  return request.body.empty() && !request.headers.has("Transfer-Encoding") && (!length || *length == "0");
}

void addVary(Response& response, std::string_view names) {
  const auto existing = response.headers.get("Vary");
  if (!existing || existing->empty()) {
    response.headers.set("Vary", std::string(names));
    return;
  }
  if (*existing == "*") return;
  response.headers.set("Vary", std::string(*existing) + ", " + std::string(names));
}

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {}

  Response handle(Request& request, const Next& next) const {
    if (origins_.empty()) return next(request);
    const auto origin = request.headers.get("Origin");
    if (origin && isPreflight(request)) {
      Response response = preflight(request, *origin);
      addVary(response, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
      return response;
    }
    Response response = next(request);
    if (origin && allows(*origin)) {
      response.headers.set("Access-Control-Allow-Origin", std::string(*origin));
      response.headers.set("Access-Control-Expose-Headers", std::string(kCorsExposedHeaders));
    }
    addVary(response, "Origin");
    return response;
  }

 private:
  bool allows(std::string_view origin) const { return contains(origins_, origin); }

  Response preflight(const Request& request, std::string_view origin) const {
    if (!allows(origin)) return refuse(request, "CORS preflight refused: origin not allowed");
    const std::string_view method = *request.headers.get("Access-Control-Request-Method");
    if (!contains(kMethods, method)) return refuse(request, "CORS preflight refused: method not allowed");
    if (const auto requested = request.headers.get("Access-Control-Request-Headers")) {
      for (const auto& name : text::splitTrimmed(*requested, ',')) {
        if (!contains(kRequestHeaders, text::toLower(name))) {
          return refuse(request,
                        fmt::format("CORS preflight refused: request headers are limited to {}", kCorsAllowedHeaders));
        }
      }
    }
    Response response;
    response.status = 204;
    response.headers.set("Access-Control-Allow-Origin", std::string(origin));
    response.headers.set("Access-Control-Allow-Methods", std::string(kCorsAllowedMethods));
    response.headers.set("Access-Control-Allow-Headers", std::string(kCorsAllowedHeaders));
    response.headers.set("Access-Control-Max-Age", std::to_string(kCorsMaxAgeSeconds));
    return response;
  }

  static Response refuse(const Request& request, std::string message) {
    return problemResponse(Error::make(ErrorCode::kPermissionDenied, std::move(message)), request.request_id);
  }

  std::vector<std::string> origins_;
};

}  // namespace

Result<std::string> normalizeOrigin(std::string_view text) {
  const std::string origin = text::toLower(text::trim(text));
  if (origin.find('*') != std::string::npos) {
    return fail(Error::validation("wildcards are not supported; list each origin exactly"));
  }
  if (origin == "null") return fail(Error::validation("'null' is shared by every sandboxed document and file: page"));
  std::string_view scheme;
  unsigned default_port = 0;
  if (origin.starts_with("https://")) {
    scheme = "https";
    default_port = 443;
  } else if (origin.starts_with("http://")) {
    scheme = "http";
    default_port = 80;
  } else {
    return fail(Error::validation("it must start with https:// or http://"));
  }
  std::string_view rest = std::string_view(origin).substr(scheme.size() + 3);
  if (rest.ends_with('/')) rest.remove_suffix(1);  // a common way of writing an origin; nothing follows it
  if (rest.find_first_of("/?#@\\ ") != std::string_view::npos) {
    return fail(Error::validation("an origin is scheme://host[:port], with no user, path, query or fragment"));
  }
  // The port separator is the last ':' outside an IPv6 literal's brackets.
  const auto bracket = rest.rfind(']');
  const auto colon = rest.rfind(':');
  const bool has_port = colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  FRAUDGOV_ASSIGN_OR_RETURN(std::string host, hostPart(has_port ? rest.substr(0, colon) : rest));
  std::optional<unsigned> port;
  if (has_port) {
    FRAUDGOV_ASSIGN_OR_RETURN(port, portPart(rest.substr(colon + 1), default_port));
  }
  std::string out = std::string(scheme) + "://" + host;
  if (port) out += ":" + std::to_string(*port);
  return out;
}

std::vector<std::string> parseOriginList(std::string_view list, std::string_view setting,
                                         std::vector<std::string>& problems) {
  std::vector<std::string> origins;
  for (const auto& item : text::splitTrimmed(list, ',')) {
    auto origin = normalizeOrigin(item);
    if (!origin) {
      problems.push_back(fmt::format("{}: '{}' is refused: {}", setting, item, origin.error().message));
      continue;
    }
    if (!contains(origins, *origin)) origins.push_back(std::move(*origin));
  }
  return origins;
}

Middleware corsMiddleware(std::vector<std::string> allowed_origins) {
  auto policy = std::make_shared<const CorsPolicy>(std::move(allowed_origins));
  return [policy](Request& request, const Next& next) { return policy->handle(request, next); };
}

}  // namespace fraudgov::http
