#include "http/message.h"

#include <algorithm>

#include "common/enum_names.h"
#include "common/text.h"

namespace fraudgov::http {

constexpr auto kMethodNames = enumNames<Method>({
    {Method::kGet, "GET"},
    {Method::kHead, "HEAD"},
    {Method::kPost, "POST"},
    {Method::kPut, "PUT"},
    {Method::kPatch, "PATCH"},
    {Method::kDelete, "DELETE"},
    {Method::kOptions, "OPTIONS"},
    {Method::kOther, "OTHER"},
});

// Any other method is kOther: no route is registered for it, so it is refused by routing, not here.
Method parseMethod(std::string_view text) { return parseName(kMethodNames, text).value_or(Method::kOther); }

std::string_view methodName(Method m) { return nameOf(kMethodNames, m); }

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  items_.emplace_back(std::string(name), std::move(value));
}

void Headers::add(std::string_view name, std::string value) {
  items_.emplace_back(std::string(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(items_, [&](const auto& kv) { return text::iequals(kv.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (text::iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::pathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::queryParam(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::size_t Request::queryCount(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(query.begin(), query.end(), [&](const auto& kv) { return kv.first == name; }));
}

Response Response::json(unsigned status, std::string body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

Response Response::defer() {
  Response r;
  r.status = 0;
  r.deferred = true;
  return r;
}

Response Response::noContent() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace fraudgov::http
