#pragma once
// A source scan proving that SQL text in the store is fixed at compile time (SPEC §6.6: "no
// string-built SQL anywhere, checked by a test that greps the store code"). It tokenizes C++
// (comments, raw and ordinary string literals, preprocessor macros) rather than grepping lines,
// so concatenation split across lines or hidden behind a macro is seen too.
//
// A string literal is SQL when it holds an upper-case SQL keyword; adjacent literals and macros
// that expand to literals only form one compile-time run. The scan reports:
//   * a statement holding SQL text and `+`, `+=`, `<<`, or a call to a string builder
//     (format, append, to_string, sprintf, StrCat, ...);
//   * an `Sql` object that is not constexpr, or an `Sql{...}` temporary built from anything but
//     literals;
//   * a statement that reads an Sql's text (textFor) or calls a driver entry point (PQexec,
//     PQprepare, sqlite3_prepare*, sqlite3_exec, ...) and builds a string;
//   * a variable named like SQL (sql, query, stmt, statement, script, clause, where) that is
//     appended to, streamed into, or assigned a concatenation.

#include <string>
#include <vector>

namespace fraudgov::testing {

struct SqlScanFinding {
  std::string file;
  int line = 0;
  std::string rule;
  std::string excerpt;
};

std::vector<SqlScanFinding> scanSqlSource(const std::string& file, const std::string& source);
// Every *.cpp and *.h under dir, recursively.
std::vector<SqlScanFinding> scanSqlTree(const std::string& dir, std::size_t* files_scanned = nullptr);

}  // namespace fraudgov::testing
