#include "observability/secret_values.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "observability/redaction.h"

namespace fraudgov::observability {

namespace {

constexpr std::size_t kMinRedactedValue = 8;

void maskAll(std::string& text, const std::string& value) {
  std::size_t pos = 0;
  while ((pos = text.find(value, pos)) != std::string::npos) {
    text.replace(pos, value.size(), kRedacted);
    pos += kRedacted.size();
  }
}

}  // namespace

void SecretValues::set(std::vector<std::string> values) {
  auto next = std::make_shared<Values>();
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (auto& v : values) {
    if (v.size() < kMinRedactedValue) continue;
    std::string escaped = boost::json::serialize(boost::json::string(v));
    escaped = escaped.substr(1, escaped.size() - 2);
    if (escaped != v) next->json_escaped.push_back(std::move(escaped));
    next->raw.push_back(std::move(v));
  }
  std::lock_guard lock(mu_);
  values_ = std::move(next);
}

std::shared_ptr<const SecretValues::Values> SecretValues::current() const {
  std::lock_guard lock(mu_);
  return values_;
}

std::string SecretValues::redact(std::string_view input) const {
  std::string text(input);
  const auto values = current();
  // Values first: the patterns could otherwise cut a secret in two and leave half of it.
  for (const auto* list : {&values->raw, &values->json_escaped}) {
    for (const auto& v : *list) maskAll(text, v);
  }
  return redactText(text);
}

}  // namespace fraudgov::observability
