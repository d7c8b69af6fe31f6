#include "support/test_env.h"

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include "common/uuid.h"

namespace fraudgov::testing {

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

struct TempDirs {
  std::mutex mu;
  std::vector<std::filesystem::path> dirs;
  ~TempDirs() {
    std::error_code ec;
    for (auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};
TempDirs& tempDirs() {
  static TempDirs dirs;
  return dirs;
}
}  // namespace

Backend currentBackend() {
  const std::string b = env("FRAUDGOV_TEST_BACKEND");
  if (b == "postgres") return Backend::kPostgres;
  if (b == "sqlite" || b.empty()) return Backend::kSqlite;
  return Backend::kNone;
}

std::string backendName() { return currentBackend() == Backend::kPostgres ? "postgres" : "sqlite"; }
std::string postgresAdminUrl() { return env("FRAUDGOV_TEST_PG_URL"); }

std::string buildDir() {
  const std::string d = env("FRAUDGOV_BUILD_DIR");
  return d.empty() ? std::filesystem::current_path().string() : d;
}

std::string sourceDir() {
  const std::string d = env("FRAUDGOV_SOURCE_DIR");
  return d.empty() ? std::filesystem::current_path().parent_path().string() : d;
}

std::string makeTempDir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() / ("fraudgov-" + prefix + "-" + uuid::v4());
  std::filesystem::create_directories(dir);
  std::lock_guard lock(tempDirs().mu);
  tempDirs().dirs.push_back(dir);
  return dir.string();
}

}  // namespace fraudgov::testing
