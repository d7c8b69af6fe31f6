#pragma once
// What the test runner told us about the environment: which database backend to use, where
// the build and source trees are.

#include <optional>
#include <string>

namespace fraudgov::testing {

enum class Backend { kNone, kSqlite, kPostgres };

Backend currentBackend();
std::string backendName();
// postgresql://... of the throwaway cluster (FRAUDGOV_TEST_PG_URL); empty when not running.
std::string postgresAdminUrl();
std::string buildDir();
std::string sourceDir();
// A fresh directory under the build tree, removed at process exit.
std::string makeTempDir(const std::string& prefix);

}  // namespace fraudgov::testing
