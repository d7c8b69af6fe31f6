#pragma once
// Runs `promtool check metrics` (Debian package `prometheus`) on exposition text: the
// authoritative lint for the Prometheus text format.

#include <sys/wait.h>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "support/test_env.h"

namespace fraudgov::testing {

struct PromtoolResult {
  int exit_code = -1;
  std::string output;
};

inline PromtoolResult promtoolCheck(const std::string& exposition) {
  const std::string dir = makeTempDir("promtool");
  const std::string input = dir + "/metrics.txt";
  const std::string output = dir + "/out.txt";
  std::ofstream(input, std::ios::binary) << exposition;
  const std::string command = "promtool check metrics < '" + input + "' > '" + output + "' 2>&1";
  const int status = std::system(command.c_str());
  PromtoolResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(output);
  result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return result;
}

}  // namespace fraudgov::testing
