#include "app/commands/verify_artifact_command.h"

#include <cstdio>
#include <string>

#include "app/commands/artifact_verification.h"
#include "app/commands/command_files.h"
#include "app/commands/error_report.h"
#include "app/commands/exit_codes.h"
#include "app/commands/subcommand.h"

namespace fraudgov::app::commands {

namespace {

constexpr std::string_view kCommand = "verify-artifact";

int runVerifyArtifact(const VerificationOptions& options) {
  auto verified = verifyFromFiles(options);
  if (!verified) return reportVerificationError(kCommand, verified.error());
  if (auto written = writeStdout(okLine(*verified)); !written)
    return reportError(kCommand, written.error(), kExitUsage);
  return kExitOk;
}

}  // namespace

void addVerifyArtifactCommand(CLI::App& cli, std::function<int()>& run) {
  const auto cmd = addSubcommand<VerificationOptions>(
      cli, run, kCommand, "Verify a signed manifest and its ruleset artifact", runVerifyArtifact);
  addVerificationOptions(cmd.app, cmd.options);
}

}  // namespace fraudgov::app::commands
