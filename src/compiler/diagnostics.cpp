#include "compiler/diagnostics.h"

#include <fmt/format.h>
#include <boost/json/array.hpp>

namespace fraudgov::compiler {

Diagnostics::Segment Diagnostics::member(std::string_view key) {
  const std::size_t restore = path_.size();
  path_ += '.';
  path_ += key;
  return Segment(*this, restore);
}

Diagnostics::Segment Diagnostics::element(std::string_view key, std::size_t i) {
  const std::size_t restore = path_.size();
  path_ += '.';
  path_ += key;
  path_ += '[';
  path_ += std::to_string(i);
  path_ += ']';
  return Segment(*this, restore);
}

Diagnostics::Segment Diagnostics::index(std::size_t i) {
  const std::size_t restore = path_.size();
  path_ += '[';
  path_ += std::to_string(i);
  path_ += ']';
  return Segment(*this, restore);
}

void Diagnostics::report(std::string message) {
  if (errors_.size() >= max_errors_) {
    truncated_ = true;
    return;
  }
  errors_.push_back({path_, std::move(message)});
}

void Diagnostics::abort(std::string message) {
  report(std::move(message));
  aborted_ = true;
}

Error Diagnostics::toError() const {
  boost::json::array list;
  for (const auto& e : errors_) {
    list.push_back(boost::json::object{{"path", e.path}, {"message", e.message}});
  }
  boost::json::object details{{"errors", std::move(list)}};
  if (truncated_) details["truncated"] = true;
  std::string message =
      errors_.empty() ? std::string("Invalid condition tree")
                      : fmt::format("Invalid condition tree: {} at {}", errors_.front().message, errors_.front().path);
  return Error::validation(std::move(message), std::move(details));
}

}  // namespace fraudgov::compiler
