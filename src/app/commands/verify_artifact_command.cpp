#include "app/commands/verify_artifact_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "app/commands/artifact_verification.h"
#include "app/commands/command_files.h"
#include "app/commands/error_report.h"
#include "app/commands/exit_codes.h"

namespace fraudgov::app::commands {

namespace {

constexpr std::string_view kCommand = "verify-artifact";

int runVerifyArtifact(const VerificationOptions& options) {
  auto verified = verifyFromFiles(options);
  if (!verified) return reportVerificationError(kCommand, verified.error());
  if (auto written = writeStdout(okLine(*verified)); !written) {
    reportError(kCommand, written.error());
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void addVerifyArtifactCommand(CLI::App& cli, std::function<int()>& run) {
  auto options = std::make_shared<VerificationOptions>();
  auto* cmd = cli.add_subcommand(std::string(kCommand), "Verify a signed manifest and its ruleset artifact");
  addVerificationOptions(*cmd, *options);
  cmd->callback([&run, options] { run = [options] { return runVerifyArtifact(*options); }; });
}

}  // namespace fraudgov::app::commands
