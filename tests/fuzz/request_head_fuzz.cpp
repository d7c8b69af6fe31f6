// An HTTP request head from untrusted bytes up to routing, as server.cpp does it: Beast's
// parser, then checkRequestHead (framing, Host, Authorization), the target and the router.
// Beyond "never crash": every head we accept has exactly the framing Beast will use, so the
// body cannot be read differently by a proxy in front of us (issue 11 item 7).
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>

#include "http/request_head.h"
#include "http/router.h"
#include "http/target.h"

namespace {

namespace bhttp = boost::beast::http;
using namespace fraudgov::http;

const Router& router() {
  static const Router r = [] {
    Router built;
    const Handler none = [](Request&) { return Response::noContent(); };
    built.add(Method::kGet, "/api/v1/rule-fields", "public", none);
    built.add(Method::kPost, "/api/v1/rule-fields", "public", none);
    built.add(Method::kGet, "/api/v1/rule-fields/{field_key}", "public", none);
    built.add(Method::kPost, "/api/v1/rule-versions/{rule_version_id}/approve", "public", none);
    built.add(Method::kPost, "/api/v1/rules/simulate", "public", none);
    return built;
  }();
  return r;
}

void requireAgreementWithBeast(const bhttp::request_parser<bhttp::string_body>& parser, const Request& request) {
  const bool has_te = request.headers.has("Transfer-Encoding");
  if (has_te != parser.chunked()) std::abort();  // accepted TE is exactly "chunked", and Beast agrees
  if (has_te && request.headers.has("Content-Length")) std::abort();
  if (parser.get().version() >= 11 && !request.headers.has("Host")) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kHeaderLimit = 16 * 1024;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(kHeaderLimit + 1024);
  parser.body_limit(1024 * 1024);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  Request request;
  const auto& msg = parser.get();
  request.method_text = std::string(msg.method_string());
  request.method = parseMethod(request.method_text);
  request.target = std::string(msg.target());
  for (const auto& field : msg) request.headers.add(field.name_string(), std::string(field.value()));
  if (!headerWithinLimit(used, kHeaderLimit)) return 0;
  if (checkRequestHead({msg.version(), request.headers})) return 0;
  requireAgreementWithBeast(parser, request);
  if (!parseTarget(request.target, request)) return 0;
  const RouteMatch match = router().match(request.method, request.segments);
  if (match.kind == RouteMatch::Kind::kFound && match.route == nullptr) std::abort();
  return 0;
}
