#pragma once
// Small helpers shared by the compiler tests.

#include <gtest/gtest.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/json.h"
#include "compiler/condition_tree.h"

namespace fraudgov::testing {

inline boost::json::value parseJson(std::string_view text) {
  auto parsed = json::parseStrict(text);
  EXPECT_TRUE(parsed) << "bad test JSON: " << text;
  return parsed ? *parsed : boost::json::value();
}

// The {"path","message"} findings of a failed normalization, rendered for failure messages.
inline std::string findings(const Error& e) { return json::serialize(e.details); }

// True when the error is kValidation and lists a finding at `path` whose message contains `fragment`.
inline ::testing::AssertionResult hasFinding(const Error& e, std::string_view path, std::string_view fragment) {
  if (e.code != ErrorCode::kInvalidArgument) return ::testing::AssertionFailure() << "not kValidation: " << e.message;
  const auto* errors = e.details.if_contains("errors");
  if (errors == nullptr || !errors->is_array()) return ::testing::AssertionFailure() << "no details.errors";
  for (const auto& f : errors->get_array()) {
    const auto& o = f.as_object();
    if (o.at("path").as_string() == path &&
        std::string_view(o.at("message").as_string()).find(fragment) != std::string_view::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no finding at " << path << " containing '" << fragment << "' in "
                                       << findings(e);
}

}  // namespace fraudgov::testing
