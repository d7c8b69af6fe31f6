#include "compiler/scope_matcher.h"

#include <boost/json/array.hpp>

namespace fraudgov::compiler {

ScopeMatcher::ScopeMatcher(const boost::json::object& scope) {
  for (const auto& kv : scope) {
    StringSet accepted;
    if (const auto* one = kv.value().if_string()) accepted.insert(std::string(*one));
    if (const auto* list = kv.value().if_array()) {
      for (const auto& v : *list) {
        if (const auto* s = v.if_string()) accepted.insert(std::string(*s));
      }
    }
    dimensions_.emplace_back(std::string(kv.key()), std::move(accepted));
  }
}

bool ScopeMatcher::applies(const boost::json::object& transaction) const {
  for (const auto& [key, accepted] : dimensions_) {
    const auto* value = transaction.if_contains(key);
    const auto* text = value == nullptr ? nullptr : value->if_string();
    if (text == nullptr || !accepted.contains(*text)) return false;
  }
  return true;
}

}  // namespace fraudgov::compiler
