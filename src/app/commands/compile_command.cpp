#include "app/commands/compile_command.h"

#include <string>

#include "app/commands/command_files.h"
#include "app/commands/error_report.h"
#include "app/commands/exit_codes.h"
#include "app/commands/subcommand.h"
#include "common/json.h"
#include "compiler/ruleset_export.h"

namespace fraudgov::app::commands {

namespace {

constexpr std::string_view kCommand = "compile";

struct CompileOptions {
  std::string export_path;
  std::string output_path;  // empty: stdout
  bool checksum_only = false;
};

Result<compiler::CompiledRuleset> compileText(const std::string& text) {
  FRAUDGOV_ASSIGN_OR_RETURN(const auto document, json::parseStrict(text));
  return compiler::compileExport(document);
}

Status writeOutput(const CompileOptions& options, const std::string& bytes) {
  return options.output_path.empty() ? writeStdout(bytes) : writeFileBytes(options.output_path, bytes);
}

int runCompile(const CompileOptions& options) {
  auto text = readFileBytes(options.export_path);
  if (!text) return reportError(kCommand, text.error(), kExitUsage);
  const auto compiled = compileText(*text);
  if (!compiled) return reportError(kCommand, compiled.error(), kExitRefused);
  const std::string output = options.checksum_only ? compiled->checksum + "\n" : compiled->bytes;
  if (auto written = writeOutput(options, output); !written) return reportError(kCommand, written.error(), kExitUsage);
  return kExitOk;
}

}  // namespace

void addCompileCommand(CLI::App& cli, std::function<int()>& run) {
  const auto cmd = addSubcommand<CompileOptions>(cli, run, kCommand,
                                                 "Compile a ruleset export into its artifact, offline", runCompile);
  cmd.app.add_option("export", cmd.options.export_path, "The ruleset export (JSON)")->required();
  cmd.app.add_option("--output,-o", cmd.options.output_path, "Write the artifact here instead of stdout");
  cmd.app.add_flag("--checksum-only", cmd.options.checksum_only, "Print only sha256:<hex> of the artifact");
}

}  // namespace fraudgov::app::commands
