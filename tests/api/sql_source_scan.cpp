#include "api/sql_source_scan.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace fraudgov::testing {

namespace {

enum class Kind { kIdentifier, kString, kNumber, kPunct };

struct Token {
  Kind kind;
  std::string text;  // a string literal's content, without quotes or prefix
  int line;
};

const std::regex& sqlKeyword() {
  static const std::regex re(
      R"(\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|WHERE|FROM|VALUES|JOIN|PRAGMA|BEGIN|COMMIT|)"
      R"(ROLLBACK|SAVEPOINT|GRANT|LIMIT|ORDER BY)\b)");
  return re;
}

const std::set<std::string> kStringBuilders = {"format",    "vformat", "format_to", "sprintf",   "snprintf",
                                               "to_string", "append",  "StrCat",    "StrAppend", "concat"};
const std::set<std::string> kDriverCalls = {
    "PQexec",       "PQexecParams",    "PQprepare",          "PQsendQuery",        "PQsendQueryParams", "PQsendPrepare",
    "sqlite3_exec", "sqlite3_prepare", "sqlite3_prepare_v2", "sqlite3_prepare_v3", "sqlite3_prepare16"};
const std::vector<std::string> kSqlNames = {"sql", "query", "stmt", "statement", "script", "clause", "where"};
const std::set<std::string> kConcatenators = {"+", "+=", "<<"};

class Lexer {
 public:
  explicit Lexer(const std::string& src) : s_(src) {}

  // Tokens outside preprocessor lines; object-like macros whose bodies are literals only are
  // recorded (name -> concatenated content), so they count as literals where they are used.
  std::vector<Token> run(std::map<std::string, std::string>& literal_macros) {
    std::vector<Token> out;
    bool line_start = true;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '\n') {
        ++line_;
        ++i_;
        line_start = true;
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i_;
        continue;
      }
      if (c == '#' && line_start) {
        directive(literal_macros);
        continue;
      }
      line_start = false;
      if (skipComment()) continue;
      out.push_back(next());
    }
    return out;
  }

 private:
  bool skipComment() {
    if (s_.compare(i_, 2, "//") == 0) {
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      return true;
    }
    if (s_.compare(i_, 2, "/*") == 0) {
      const auto end = s_.find("*/", i_ + 2);
      const std::size_t stop = end == std::string::npos ? s_.size() : end + 2;
      line_ +=
          static_cast<int>(std::count(s_.begin() + static_cast<long>(i_), s_.begin() + static_cast<long>(stop), '\n'));
      i_ = stop;
      return true;
    }
    return false;
  }

  void directive(std::map<std::string, std::string>& literal_macros) {
    std::string text;
    while (i_ < s_.size() && s_[i_] != '\n') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') {
        i_ += 2;
        ++line_;
        text.push_back(' ');
        continue;
      }
      text.push_back(s_[i_++]);
    }
    static const std::regex define(R"(^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\s.*)?$)");
    std::smatch m;
    if (!std::regex_match(text, m, define)) return;
    std::map<std::string, std::string> none;
    const std::vector<Token> body = Lexer(m[2].str()).run(none);
    std::string content;
    for (const auto& t : body) {
      if (t.kind == Kind::kString)
        content += t.text;
      else if (t.kind == Kind::kIdentifier && literal_macros.contains(t.text))
        content += literal_macros[t.text];
      else
        return;  // not a literal-only macro
    }
    if (!body.empty()) literal_macros[m[1].str()] = content;
  }

  Token next() {
    const int line = line_;
    const char c = s_[i_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i_;
      while (j < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '_')) ++j;
      std::string word = s_.substr(i_, j - i_);
      static const std::set<std::string> prefixes = {"u8", "u", "U", "L", "R", "u8R", "uR", "UR", "LR"};
      if (j < s_.size() && s_[j] == '"' && prefixes.contains(word)) {
        i_ = j;
        return {Kind::kString, word.back() == 'R' ? rawString() : quoted('"'), line};
      }
      i_ = j;
      return {Kind::kIdentifier, std::move(word), line};
    }
    if (c == '"') return {Kind::kString, quoted('"'), line};
    if (c == '\'') return {Kind::kNumber, quoted('\''), line};
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i_;
      while (j < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '.' || s_[j] == '\'' || s_[j] == '_')) {
        ++j;
      }
      Token t{Kind::kNumber, s_.substr(i_, j - i_), line};
      i_ = j;
      return t;
    }
    static const std::vector<std::string> operators = {">>=", "<<=", "->*", "...", "::", "->", "++", "--", "+=",
                                                       "-=",  "*=",  "/=",  "%=",  "&=", "|=", "^=", "<<", ">>",
                                                       "==",  "!=",  "<=",  ">=",  "&&", "||", "##"};
    for (const auto& op : operators) {
      if (s_.compare(i_, op.size(), op) == 0) {
        i_ += op.size();
        return {Kind::kPunct, op, line};
      }
    }
    ++i_;
    return {Kind::kPunct, std::string(1, c), line};
  }

  std::string quoted(char quote) {
    std::string content;
    ++i_;  // opening quote
    while (i_ < s_.size() && s_[i_] != quote) {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
        content.push_back(s_[i_ + 1]);
        i_ += 2;
        continue;
      }
      if (s_[i_] == '\n') ++line_;
      content.push_back(s_[i_++]);
    }
    ++i_;  // closing quote
    return content;
  }

  std::string rawString() {
    const auto open = s_.find('(', i_);
    const std::string delimiter = ")" + s_.substr(i_ + 1, open - i_ - 1) + "\"";
    const auto close = s_.find(delimiter, open);
    const std::size_t end = close == std::string::npos ? s_.size() : close;
    std::string content = s_.substr(open + 1, end - open - 1);
    line_ += static_cast<int>(std::count(content.begin(), content.end(), '\n'));
    i_ = std::min(s_.size(), end + delimiter.size());
    return content;
  }

  const std::string& s_;
  std::size_t i_ = 0;
  int line_ = 1;
};

bool isSqlName(const std::string& identifier) {
  if (identifier.empty() || !std::islower(static_cast<unsigned char>(identifier[0]))) return false;  // not types
  std::string lower = identifier;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(kSqlNames.begin(), kSqlNames.end(),
                     [&](const std::string& n) { return lower.find(n) != std::string::npos; });
}

class Scanner {
 public:
  Scanner(std::string file, const std::string& source) : file_(std::move(file)) {
    tokens_ = Lexer(source).run(macros_);
    markSqlRuns();
  }

  std::vector<SqlScanFinding> run() {
    statements();
    sqlObjects();
    return std::move(findings_);
  }

 private:
  bool isLiteral(const Token& t) const {
    return t.kind == Kind::kString || (t.kind == Kind::kIdentifier && macros_.contains(t.text));
  }
  std::string content(const Token& t) const { return t.kind == Kind::kString ? t.text : macros_.at(t.text); }

  // sql_[i]: token i belongs to a run of adjacent literals that holds SQL.
  void markSqlRuns() {
    sql_.assign(tokens_.size(), false);
    for (std::size_t i = 0; i < tokens_.size();) {
      if (!isLiteral(tokens_[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      std::string text;
      while (j < tokens_.size() && isLiteral(tokens_[j])) text += content(tokens_[j++]);
      if (std::regex_search(text, sqlKeyword()))
        std::fill(sql_.begin() + static_cast<long>(i), sql_.begin() + static_cast<long>(j), true);
      i = j;
    }
  }

  void report(std::size_t at, std::string rule) {
    std::string excerpt;
    for (std::size_t k = at; k < tokens_.size() && k < at + 12 && tokens_[k].text != ";"; ++k) {
      excerpt +=
          (tokens_[k].kind == Kind::kString ? "\"" + tokens_[k].text.substr(0, 40) + "\"" : tokens_[k].text) + " ";
    }
    findings_.push_back({file_, tokens_[at].line, std::move(rule), excerpt});
  }

  // Statements end at ';'. Coarse on purpose: a statement that mixes SQL text with string
  // building is refused even when the building looks unrelated.
  void statements() {
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= tokens_.size(); ++i) {
      if (i < tokens_.size() && tokens_[i].text != ";") continue;
      statement(begin, i);
      begin = i + 1;
    }
  }

  void statement(std::size_t begin, std::size_t end) {
    bool has_sql = false, reads_sql = false, calls_driver = false;
    std::optional<std::size_t> builds;
    for (std::size_t k = begin; k < end; ++k) {
      const Token& t = tokens_[k];
      has_sql = has_sql || sql_[k];
      if (t.kind == Kind::kIdentifier) {
        reads_sql = reads_sql || t.text == "textFor";
        calls_driver = calls_driver || kDriverCalls.contains(t.text);
        if (kStringBuilders.contains(t.text) && k + 1 < end && tokens_[k + 1].text == "(" && !builds) builds = k;
        sqlNamedVariable(k, end);
      }
      if (t.kind == Kind::kPunct && kConcatenators.contains(t.text) && !builds) builds = k;
    }
    if (!builds) return;
    // Shown from a little before the first building token, on that token's line.
    const std::size_t at = std::max(begin, *builds >= 6 ? *builds - 6 : 0);
    if (has_sql) {
      report(at, "SQL text is concatenated or formatted at run time");
    } else if (reads_sql) {
      report(at, "an Sql statement's text is concatenated or formatted");
    } else if (calls_driver) {
      report(at, "a driver call receives text built at run time");
    }
  }

  // name += ..., name << ..., name.append(...), name = ... + ...
  void sqlNamedVariable(std::size_t k, std::size_t end) {
    if (!isSqlName(tokens_[k].text) || k + 1 >= end) return;
    if (k > 0 && (tokens_[k - 1].text == "." || tokens_[k - 1].text == "->")) return;  // a member, e.g. sql.name
    const std::string& next = tokens_[k + 1].text;
    const bool appends =
        next == "+=" || next == "<<" ||
        (next == "." && k + 2 < end && (tokens_[k + 2].text == "append" || tokens_[k + 2].text == "insert"));
    bool assigns_concatenation = false;
    if (next == "=") {
      for (std::size_t j = k + 2; j < end; ++j) assigns_concatenation = assigns_concatenation || tokens_[j].text == "+";
    }
    if (appends || assigns_concatenation) report(k, "a variable named like SQL is built by concatenation");
  }

  // `Sql name{...}` must be constexpr; `Sql{...}` temporaries may hold literals only.
  void sqlObjects() {
    static const std::set<std::string> specifiers = {"static", "inline", "const",   "constexpr",
                                                     "::",     "store",  "fraudgov"};
    static const std::set<std::string> members = {"name", "text", "postgres"};
    // Literals, commas and designators (.text = "...") only.
    const auto allowed = [&](std::size_t j) {
      const Token& t = tokens_[j];
      if (isLiteral(t) || t.text == ",") return true;
      if (t.text == ".") return j + 1 < tokens_.size() && members.contains(tokens_[j + 1].text);
      if (members.contains(t.text)) return tokens_[j - 1].text == ".";
      return t.text == "=" && members.contains(tokens_[j - 1].text) && tokens_[j - 2].text == ".";
    };
    for (std::size_t k = 0; k + 1 < tokens_.size(); ++k) {
      if (tokens_[k].kind != Kind::kIdentifier || tokens_[k].text != "Sql") continue;
      if (k > 0 && (tokens_[k - 1].text == "struct" || tokens_[k - 1].text == "class")) continue;  // the definition
      const Token& after = tokens_[k + 1];
      if (after.kind == Kind::kIdentifier && k + 2 < tokens_.size() &&
          (tokens_[k + 2].text == "{" || tokens_[k + 2].text == "=" || tokens_[k + 2].text == "(")) {
        bool is_constexpr = false;
        for (std::size_t j = k; j-- > 0 && specifiers.contains(tokens_[j].text);) {
          is_constexpr = is_constexpr || tokens_[j].text == "constexpr";
        }
        if (!is_constexpr) report(k, "an Sql object is not constexpr");
      } else if (after.text == "{" || after.text == "(") {
        const std::string close = after.text == "{" ? "}" : ")";
        for (std::size_t j = k + 2; j < tokens_.size() && tokens_[j].text != close; ++j) {
          if (!allowed(j)) {
            report(k, "an Sql temporary is built from something other than literals");
            break;
          }
        }
      }
    }
  }

  std::string file_;
  std::map<std::string, std::string> macros_;
  std::vector<Token> tokens_;
  std::vector<bool> sql_;
  std::vector<SqlScanFinding> findings_;
};

}  // namespace

std::vector<SqlScanFinding> scanSqlSource(const std::string& file, const std::string& source) {
  return Scanner(file, source).run();
}

std::vector<SqlScanFinding> scanSqlTree(const std::string& dir, std::size_t* files_scanned) {
  std::vector<SqlScanFinding> findings;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const auto extension = entry.path().extension();
    if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".h")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string source{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto found = scanSqlSource(entry.path().string(), source);
    findings.insert(findings.end(), found.begin(), found.end());
    ++files;
  }
  if (files_scanned) *files_scanned = files;
  return findings;
}

}  // namespace fraudgov::testing
