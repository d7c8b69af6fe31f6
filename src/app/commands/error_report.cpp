#include "app/commands/error_report.h"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <cstdio>
#include <string>

namespace fraudgov::app::commands {

namespace {

std::string_view stringMember(const boost::json::value& entry, std::string_view key) {
  const auto* object = entry.if_object();
  const auto* member = object != nullptr ? object->if_contains(key) : nullptr;
  return member != nullptr && member->is_string() ? std::string_view(member->get_string()) : std::string_view();
}

}  // namespace

int reportError(std::string_view command, const Error& error, int exit_code) {
  std::string text = fmt::format("fraudgov {}: {}\n", command, error.message);
  const auto* errors = error.details.if_contains("errors");
  if (errors != nullptr && errors->is_array()) {
    for (const auto& entry : errors->get_array()) {
      text += fmt::format("  {}: {}\n", stringMember(entry, "path"), stringMember(entry, "message"));
    }
  }
  std::fputs(text.c_str(), stderr);
  return exit_code;
}

}  // namespace fraudgov::app::commands
