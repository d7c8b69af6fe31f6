#pragma once
// The command line shared by fraudgov and fraudgov-dev: serve (default), migrate, and whatever
// the binary adds (fraudgov-dev adds `token`).

#include <CLI/App.hpp>
#include <functional>

#include "app/runtime.h"

namespace fraudgov::app {

struct CliOptions {
  const char* program = "fraudgov";
  const DevExtension* dev = nullptr;
  // Adds binary-specific subcommands; each sets `run` to its action when selected.
  std::function<void(CLI::App& cli, std::function<int()>& run)> extend;
};

int runCli(int argc, char** argv, const CliOptions& options);

// Loads configuration from the process environment; prints one line per problem to stderr.
std::optional<Config> loadConfigOrReport(const char* program);

}  // namespace fraudgov::app
