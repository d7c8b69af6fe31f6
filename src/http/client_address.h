#pragma once
// Who is on the other end of a request. THE function every consumer of a client address uses
// (admin-endpoint allow-lists, rate limiting, logs), so X-Forwarded-For is interpreted in exactly
// one place and only ever believed from a configured proxy.

#include <optional>
#include <string>

#include "http/cidr.h"
#include "http/message.h"
#include "http/pipeline.h"

namespace fraudgov::http {

// TRUSTED_PROXIES: the peers whose X-Forwarded-For is believed. Empty (the default) trusts none.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(CidrList cidrs) : cidrs_(std::move(cidrs)) {}
  bool trusts(const IpAddress& address) const { return cidrs_.contains(address); }
  bool empty() const { return cidrs_.empty(); }

 private:
  CidrList cidrs_;
};

// The client's IP address:
//  * the TCP peer, unless the peer is a trusted proxy;
//  * otherwise the right-most X-Forwarded-For hop that is not itself a trusted proxy (every
//    hop to its right was appended by a proxy we trust; everything to its left is whatever the
//    client chose to send and is ignored). Several X-Forwarded-For headers count as one list in
//    order. If every hop is trusted, the left-most one; if there is no hop, the peer.
// nullopt when the address cannot be determined: an unparsable peer, or an unparsable hop met
// before the first untrusted one (a proxy chain we cannot interpret is not believed). Hops may
// carry a port ("192.0.2.1:4711", "[2001:db8::1]:443"); RFC 7239 `Forwarded` is not read.
std::optional<IpAddress> clientIp(const Request& request, const TrustedProxies& proxies);

// clientIp() as canonical text ("192.0.2.1", "2001:db8::1"), or "unknown". Suitable as a
// rate-limit or log key: one client, one spelling (IPv4-mapped IPv6 is folded to IPv4).
std::string clientAddress(const Request& request, const TrustedProxies& proxies);

// Sets Request::client_address once per request, before anything that keys on the client (rate
// limits, logs) runs.
Middleware clientAddressMiddleware(TrustedProxies proxies);

}  // namespace fraudgov::http
