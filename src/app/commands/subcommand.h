#pragma once
// Registers an offline subcommand: its options outlive parsing because the run it schedules reads
// them after CLI11 returns.

#include <CLI/App.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace fraudgov::app::commands {

template <class Options>
struct Subcommand {
  CLI::App& app;  // the subcommand itself
  Options& options;
};

// On selection, run becomes command(options): the caller adds the subcommand's options.
template <class Options>
Subcommand<Options> addSubcommand(CLI::App& cli, std::function<int()>& run, std::string_view name,
                                  const std::string& description, int (*command)(const Options&)) {
  auto options = std::make_shared<Options>();
  auto* cmd = cli.add_subcommand(std::string(name), description);
  cmd->callback([&run, options, command] { run = [options, command] { return command(*options); }; });
  return {*cmd, *options};
}

}  // namespace fraudgov::app::commands
