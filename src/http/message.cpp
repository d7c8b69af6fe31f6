#include "http/message.h"

#include <algorithm>
#include <stdexcept>

#include "common/enum_names.h"
#include "common/text.h"
#include "http/response_head.h"

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

std::shared_ptr<const SharedFields> SharedFields::make(Fields fields) {
  for (const auto& [name, value] : fields) {
    // Made at startup from constants and configuration: a field that could split a response head
    // is a bug, refused before any response is written.
    if (!isWritableField(name, value)) throw std::invalid_argument("unwritable shared header field: " + name);
  }
  auto block = std::make_shared<SharedFields>();
  for (const auto& [name, value] : fields) block->wire.append(name).append(": ").append(value).append("\r\n");
  block->fields = std::move(fields);
  return block;
}

bool SharedFields::names(std::string_view name) const {
  return std::any_of(fields.begin(), fields.end(), [&](const auto& kv) { return text::iequals(kv.first, name); });
}

void Headers::unshare(std::string_view name) {
  if (!shared_ || !shared_->names(name)) return;
  const auto block = std::move(shared_);
  items_.insert(items_.end(), block->fields.begin(), block->fields.end());
}

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  items_.emplace_back(std::string(name), std::move(value));
}

void Headers::add(std::string_view name, std::string value) {
  unshare(name);
  items_.emplace_back(std::string(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  unshare(name);
  std::erase_if(items_, [&](const auto& kv) { return text::iequals(kv.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (text::iequals(k, name)) return std::string_view(v);
  }
  if (shared_) {
    for (const auto& [k, v] : shared_->fields) {
      if (text::iequals(k, name)) return std::string_view(v);
    }
  }
  return std::nullopt;
}

void Headers::share(std::shared_ptr<const SharedFields> block) {
  if (shared_) {
    const auto previous = std::move(shared_);
    items_.insert(items_.end(), previous->fields.begin(), previous->fields.end());
  }
  std::erase_if(items_, [&](const auto& kv) { return block->names(kv.first); });
  shared_ = std::move(block);
}

Fields Headers::all() const {
  Fields out = items_;
  if (shared_) out.insert(out.end(), shared_->fields.begin(), shared_->fields.end());
  return out;
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
