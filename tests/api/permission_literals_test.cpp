// Permission wire names ("rule:read", "ruleset:activate", ...) are spelled once, in
// src/auth/permission.cpp; everything else names auth::Permission enumerators, so a typo is a
// compile error rather than a route nobody can call. This scans src/ for string literals holding a
// wire name anywhere else (comments may mention them; tests may pin them).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/permission.h"
#include "support/test_env.h"

namespace fraudgov {

namespace {

// The contents of the string literals of C++ source `text` (comments, character literals and digit
// separators are skipped; raw strings are read up to their delimiter).
std::vector<std::string> stringLiterals(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "//") == 0) {
      i = text.find('\n', i);
    } else if (text.compare(i, 2, "/*") == 0) {
      i = text.find("*/", i + 2);
      if (i != std::string::npos) i += 2;
    } else if (text.compare(i, 2, "R\"") == 0) {
      const std::size_t open = text.find('(', i + 2);
      const std::string close = ")" + text.substr(i + 2, open - i - 2) + "\"";
      const std::size_t end = text.find(close, open);
      out.push_back(text.substr(open + 1, end - open - 1));
      i = end == std::string::npos ? end : end + close.size();
    } else if (text[i] == '\'' && i > 0 && std::isxdigit(static_cast<unsigned char>(text[i - 1]))) {
      ++i;  // a digit separator (10'000), not a character literal
    } else if (text[i] == '"' || text[i] == '\'') {
      const char quote = text[i];
      std::string literal;
      for (++i; i < text.size() && text[i] != quote; ++i) {
        if (text[i] == '\\') ++i;
        if (i < text.size()) literal += text[i];
      }
      if (quote == '"') out.push_back(std::move(literal));
      ++i;
    } else {
      ++i;
    }
  }
  return out;
}

bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Wire names inside `literal`, as whole words ("permission:rule:read" counts, "rule:reader" not).
std::vector<std::string> wireNamesIn(std::string_view literal) {
  std::vector<std::string> out;
  for (const auto permission : auth::allPermissions()) {
    const std::string_view name = auth::permissionName(permission);
    for (auto at = literal.find(name); at != std::string_view::npos; at = literal.find(name, at + 1)) {
      const bool starts = at == 0 || !isNameChar(literal[at - 1]);
      const bool ends = at + name.size() == literal.size() || !isNameChar(literal[at + name.size()]);
      if (starts && ends) out.emplace_back(name);
    }
  }
  return out;
}

std::vector<std::string> wireNameLiterals(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& literal : stringLiterals(text)) {
    for (auto& name : wireNamesIn(literal)) out.push_back(std::move(name));
  }
  return out;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool isSource(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  return ext == ".h" || ext == ".cpp" || ext == ".in" || ext == ".hpp";
}

}  // namespace

TEST(PermissionLiterals, ScannerFindsLiteralsButNotComments) {
  EXPECT_EQ(wireNameLiterals(R"(auto p = "rule:read"; // "rule:create" in a comment)"),
            std::vector<std::string>{"rule:read"});
  EXPECT_EQ(wireNameLiterals(R"(/* "ruleset:activate" */ f('"', "permission:rule_field:create");)"),
            std::vector<std::string>{"rule_field:create"});
  EXPECT_EQ(wireNameLiterals("auto s = R\"x(ruleset:compile)x\";"), std::vector<std::string>{"ruleset:compile"});
  EXPECT_EQ(wireNameLiterals(R"(ms{10'000}; // it's "x"
g("ruleset:read");)"),
            std::vector<std::string>{"ruleset:read"});
  EXPECT_TRUE(wireNameLiterals(R"(f("rule:reader", "my_rule:read", "a\"rule"))").empty());
}

TEST(PermissionLiterals, NoWireNameLiteralOutsideItsDefinition) {
  const std::filesystem::path src = std::filesystem::path(testing::sourceDir()) / "src";
  ASSERT_TRUE(std::filesystem::is_directory(src)) << src << " (FRAUDGOV_SOURCE_DIR)";
  const auto definition = src / "auth" / "permission.cpp";
  std::size_t scanned = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file() || !isSource(entry.path())) continue;
    ++scanned;
    const auto found = wireNameLiterals(readFile(entry.path()));
    if (entry.path() == definition) {
      EXPECT_EQ(found.size(), auth::allPermissions().size()) << "the definition spells each wire name once";
      continue;
    }
    for (const auto& name : found) {
      ADD_FAILURE() << entry.path().lexically_relative(src.parent_path()).string() << " spells \"" << name
                    << "\": use auth::Permission and auth::permissionName()";
    }
  }
  EXPECT_GT(scanned, 100u);
}

}  // namespace fraudgov
