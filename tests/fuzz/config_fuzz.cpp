// The configuration file loader (FRAUDGOV_CONFIG, TOML) on untrusted bytes: loading never
// crashes or throws, whatever the file holds; problems are reported as lines.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "app/config.h"

namespace {

const std::string& configPath() {
  static const std::string path = [] {
    char name[] = "/tmp/fraudgov-config-fuzz-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0) std::abort();
    ::close(fd);
    return std::string(name);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(configPath(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  // The environment wins over the file: pin the secrets provider so a fuzzed file cannot make
  // loading call out to AWS.
  const std::map<std::string, std::string> env{
      {"FRAUDGOV_CONFIG", configPath()}, {"APP_ENV", "test"}, {"SECRETS_PROVIDER", "file"}};
  const fraudgov::secrets::EnvLookup lookup = [&env](std::string_view name) -> std::optional<std::string> {
    const auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  const auto loaded = fraudgov::app::loadConfig(lookup);
  for (const auto& problem : loaded.problems) {
    if (problem.empty()) std::abort();
  }
  return 0;
}
