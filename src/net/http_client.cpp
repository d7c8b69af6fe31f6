#include "net/http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "common/text.h"

namespace fraudgov::net {

namespace {

constexpr std::chrono::milliseconds kMaxConnectTimeout{3000};

void initCurlOnce() {
  static std::once_flag once;
  // curl_global_init is not thread-safe on every platform, so it runs exactly once, before any handle.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using HeaderSlist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Transfer {
  std::size_t max_bytes = 0;
  bool too_large = false;
  OutboundResponse response;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->response.body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // a short count makes curl abort the transfer
  }
  t->response.body.append(data, n);
  return n;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // interim (1xx) responses must not leak headers into the final one
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  t->response.headers.emplace_back(std::string(text::trim(line.substr(0, colon))),
                                   std::string(text::trim(line.substr(colon + 1))));
  return n;
}

bool hasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool isToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Status validate(const OutboundRequest& r) {
  if (!isToken(r.method)) return fail(Error::internal("Outbound request has an invalid method"));
  if (hasLineBreak(r.url)) return fail(Error::internal("Outbound request has an invalid URL"));
  for (const auto& [name, value] : r.headers) {
    if (!isToken(name) || hasLineBreak(value)) return fail(Error::internal("Outbound request has an invalid header"));
  }
  return {};
}

Result<HeaderSlist> buildHeaders(const OutboundRequest& r) {
  HeaderSlist list;
  auto append = [&list](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next == nullptr) return false;
    list.release();
    list.reset(next);
    return true;
  };
  // An empty "Expect:" stops curl from waiting a second for "100 Continue" before sending a body.
  // Not with SigV4: curl 7.88 signs that removed header as "expect:", and AWS (and moto) then
  // answer SignatureDoesNotMatch. Signed bodies here are small; curl only adds Expect above 1 MiB.
  if (!r.aws_sigv4 && !append("Expect:")) return fail(Error::internal("Out of memory building outbound headers"));
  for (const auto& [name, value] : r.headers) {
    // "Name;" is curl's spelling of a header with an empty value; "Name:" would remove it.
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    if (!append(line)) return fail(Error::internal("Out of memory building outbound headers"));
  }
  return list;
}

void applyMethod(CURL* h, const OutboundRequest& r) {
  if (r.method == "GET" && r.body.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (r.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    return;
  }
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, r.body.data());
  }
}

void applyOptions(CURL* h, const OutboundRequest& r, Transfer& t, curl_slist* headers) {
  const auto connect_timeout = std::min(r.timeout, kMaxConnectTimeout);
  curl_easy_setopt(h, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // signals are process-wide; timeouts must not use them
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_response_bytes));
  curl_easy_setopt(h, CURLOPT_USERAGENT, "fraudgov");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  if (!r.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, r.ca_file.c_str());  // peer verification stays on
  if (r.aws_sigv4) {
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, r.aws_sigv4->c_str());
    curl_easy_setopt(h, CURLOPT_USERPWD, r.user_pwd.c_str());
  }
  applyMethod(h, r);
}

Error transportError(const OutboundRequest& r, CURLcode code, const Transfer& t) {
  // curl_easy_strerror is generic text; the error buffer would name the host and is not used.
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return Error::unavailable(fmt::format("Outbound {} response exceeded {} bytes", r.method, r.max_response_bytes));
  }
  return Error::unavailable(fmt::format("Outbound {} request failed: {}", r.method, curl_easy_strerror(code)));
}

}  // namespace

std::optional<std::string> OutboundResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (text::iequals(n, name)) return v;
  }
  return std::nullopt;
}

CurlHttpClient::CurlHttpClient() { initCurlOnce(); }

Result<OutboundResponse> CurlHttpClient::send(const OutboundRequest& request) {
  if (auto valid = validate(request); !valid) return fail(valid.error());
  EasyHandle handle(curl_easy_init());
  if (!handle) return fail(Error::unavailable("Outbound request failed: cannot create a transfer"));
  auto headers = buildHeaders(request);
  if (!headers) return fail(headers.error());

  Transfer transfer;
  transfer.max_bytes = request.max_response_bytes;
  applyOptions(handle.get(), request, transfer, headers->get());
  const CURLcode code = curl_easy_perform(handle.get());
  if (code != CURLE_OK) return fail(transportError(request, code, transfer));
  curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &transfer.response.status);
  return std::move(transfer.response);
}

}  // namespace fraudgov::net
