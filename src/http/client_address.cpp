#include "http/client_address.h"

#include <algorithm>

#include "common/text.h"

namespace fraudgov::http {

namespace {

// Bounds the work an attacker-supplied header can cause behind a chain of trusted proxies.
constexpr std::size_t kMaxTrustedHops = 32;

// One X-Forwarded-For element: an address, optionally with a port ("1.2.3.4:80", "[::1]:80").
std::optional<IpAddress> parseHop(std::string_view hop) {
  hop = text::trim(hop);
  if (!hop.empty() && hop.front() == '[') {
    const auto close = hop.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return IpAddress::parse(hop.substr(1, close - 1));
  }
  if (std::count(hop.begin(), hop.end(), ':') == 1) hop = hop.substr(0, hop.find(':'));  // IPv4 with a port
  return IpAddress::parse(hop);
}

// Every X-Forwarded-For element in order, across repeated headers.
std::vector<std::string_view> forwardedHops(const Request& request) {
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers.items()) {
    if (!text::iequals(name, "X-Forwarded-For")) continue;
    std::string_view rest = value;
    while (true) {
      const auto comma = rest.find(',');
      hops.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return hops;
}

}  // namespace

std::optional<IpAddress> clientIp(const Request& request, const TrustedProxies& proxies) {
  auto current = IpAddress::parse(request.peer_address);
  if (!current || proxies.empty() || !proxies.trusts(*current)) return current;
  const auto hops = forwardedHops(request);
  std::size_t walked = 0;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (text::trim(*it).empty()) continue;  // "a,,b" and trailing commas carry no hop
    if (++walked > kMaxTrustedHops) return std::nullopt;
    auto hop = parseHop(*it);
    if (!hop) return std::nullopt;
    current = hop;
    if (!proxies.trusts(*hop)) return hop;
  }
  return current;
}

std::string clientAddress(const Request& request, const TrustedProxies& proxies) {
  const auto ip = clientIp(request, proxies);
  return ip ? ip->toString() : "unknown";
}

Middleware clientAddressMiddleware(TrustedProxies proxies) {
  return [proxies = std::move(proxies)](Request& request, const Next& next) {
    request.client_address = clientAddress(request, proxies);
    return next(request);
  };
}

}  // namespace fraudgov::http
