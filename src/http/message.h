#pragma once
// Transport-neutral HTTP request and response. Handlers and middleware see only these types;
// Beast stays inside server.cpp so the rest of the code base compiles fast.

#include <any>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fraudgov::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

Method parseMethod(std::string_view text);
std::string_view methodName(Method m);

using Fields = std::vector<std::pair<std::string, std::string>>;

// Fields that every response of a kind carries with the same values (the security headers),
// rendered once as wire text and shared by all of those responses instead of being built, looked
// up and serialised again for each.
struct SharedFields {
  Fields fields;
  std::string wire;  // "Name: value\r\n" per field, in order

  static std::shared_ptr<const SharedFields> make(Fields fields);
  bool names(std::string_view name) const;
};

// Ordered header list with case-insensitive names (responses carry a dozen headers at most,
// so a vector beats a map), plus at most one shared block. Lookups see both; changing a field
// of the shared block first copies the block into the response's own fields.
class Headers {
 public:
  void set(std::string_view name, std::string value);
  void add(std::string_view name, std::string value);
  void remove(std::string_view name);
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // The response's own fields (the shared block not included).
  const Fields& items() const { return items_; }
  // Replaces the response's own fields of the same names, as set() would.
  void share(std::shared_ptr<const SharedFields> block);
  const SharedFields* shared() const { return shared_.get(); }
  // Every field, own then shared (for tests and diagnostics, not the hot path).
  Fields all() const;

 private:
  void unshare(std::string_view name);

  Fields items_;
  std::shared_ptr<const SharedFields> shared_;
};

using Params = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::kOther;
  std::string method_text;
  std::string target;                 // as received
  std::string path;                   // percent-decoded path
  std::vector<std::string> segments;  // decoded path segments
  Params query;                       // decoded query parameters, in order
  Headers headers;
  std::string body;
  std::string peer_address;    // TCP peer IP
  std::string client_address;  // the client as http::clientAddress() sees it (proxy-aware); set early
  bool keep_alive = true;
  // Set while the request is answered on an I/O thread, which must never wait (for a database, a
  // key-set refresh, Redis): whatever would wait answers Response::defer() instead, and the
  // request runs again from the start on the worker pool (RequestHandler::tryWithoutWaiting).
  bool no_blocking = false;

  // Filled in while the request moves through the pipeline.
  std::string request_id;         // always ours (http/request_id.h)
  std::string client_request_id;  // the client's X-Request-ID, bounded and sanitised; access log only
  std::string route_template;     // e.g. /api/v1/rule-fields/{field_key}; empty when unmatched
  Params path_params;
  std::string principal_label;  // who made the request, for logs; set by authentication
  // Per-request state owned by the layer above (e.g. the authentication outcome, computed once
  // and shared by middleware and handlers). Opaque here.
  std::any app_state;

  std::optional<std::string_view> pathParam(std::string_view name) const;
  // The single value of a query parameter; repeated parameters are the caller's concern.
  std::optional<std::string_view> queryParam(std::string_view name) const;
  std::size_t queryCount(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  Headers headers;
  std::string body;
  bool close_connection = false;
  // What went wrong behind a 5xx, for the access log only (never written to the client): e.g. the
  // table, row id and column of an undecodable stored value.
  std::string log_detail;
  // Not an answer: producing one would wait (Request::no_blocking). Nothing is written, logged,
  // counted or charged for it; the request runs again where waiting is allowed.
  bool deferred = false;

  static Response json(unsigned status, std::string body);
  static Response noContent();
  static Response defer();
};

}  // namespace fraudgov::http
