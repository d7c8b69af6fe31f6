#include "http/response_head.h"

#include <charconv>

#include "common/text.h"

namespace fraudgov::http {

namespace {

std::string_view reasonPhrase(unsigned status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 425: return "Too Early";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";  // RFC 9112 §4: the reason phrase may be empty
  }
}

// RFC 9110 §5.6.2 token characters.
bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool writableName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

bool writableValue(std::string_view value) {
  for (const char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// Framing fields are the renderer's: a handler's copy would contradict the body actually sent.
bool isFramingField(std::string_view name) {
  return text::iequals(name, "Content-Length") || text::iequals(name, "Transfer-Encoding") ||
         text::iequals(name, "Connection");
}

void appendNumber(std::string& out, std::size_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  (void)ec;
  out.append(digits, end);
}

}  // namespace

bool isWritableField(std::string_view name, std::string_view value) {
  return writableName(name) && writableValue(value);
}

bool sendsBody(const Response& response, const ResponseFraming& framing) {
  return !framing.head_request && response.status != 204 && response.status != 304;
}

std::optional<std::string> renderResponseHead(const Response& response, const ResponseFraming& framing) {
  const SharedFields* shared = response.headers.shared();
  std::size_t size = 64 + (shared ? shared->wire.size() : 0);
  for (const auto& [name, value] : response.headers.items()) size += name.size() + value.size() + 4;
  std::string out;
  out.reserve(size);
  out.append("HTTP/1.1 ");
  appendNumber(out, response.status);
  out.push_back(' ');
  out.append(reasonPhrase(response.status));
  out.append("\r\n");
  for (const auto& [name, value] : response.headers.items()) {
    if (!isWritableField(name, value)) return std::nullopt;
    if (isFramingField(name)) continue;
    out.append(name).append(": ").append(value).append("\r\n");
  }
  // Checked once, when it was made (SharedFields::make).
  if (shared) out.append(shared->wire);
  if (response.status != 204 && response.status != 304) {
    out.append("Content-Length: ");
    appendNumber(out, response.body.size());
    out.append("\r\n");
  }
  if (!framing.keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  return out;
}

}  // namespace fraudgov::http
