#include "app/commands/evaluate_command.h"

#include <cstdio>
#include <string>

#include "app/commands/artifact_verification.h"
#include "app/commands/command_files.h"
#include "app/commands/error_report.h"
#include "app/commands/exit_codes.h"
#include "app/commands/field_catalog_file.h"
#include "app/commands/subcommand.h"
#include "app/commands/transaction_lines.h"
#include "common/json.h"
#include "compiler/loaded_ruleset.h"

namespace fraudgov::app::commands {

namespace {

constexpr std::string_view kCommand = "evaluate";

struct EvaluateOptions {
  VerificationOptions verification;
  std::string transactions_path;
  std::string fields_path;  // empty: the standard fields
};

struct Inputs {
  compiler::FieldCatalog catalog;
  std::string transactions;
};

// Everything read before verification, so a usage or I/O problem never looks like a refusal.
Result<Inputs> readInputs(const EvaluateOptions& options) {
  Inputs in;
  FRAUDGOV_ASSIGN_OR_RETURN(in.transactions, readFileBytes(options.transactions_path));
  if (options.fields_path.empty()) {
    in.catalog = standardFieldCatalog();
    return in;
  }
  FRAUDGOV_ASSIGN_OR_RETURN(const std::string fields, readFileBytes(options.fields_path));
  FRAUDGOV_ASSIGN_OR_RETURN(in.catalog, parseFieldDefinitions(fields));
  return in;
}

Status evaluateAll(const compiler::LoadedRuleset& ruleset, std::string_view transactions) {
  return forEachTransaction(transactions, [&ruleset](const TransactionLine& line) -> Status {
    const auto decisions = ruleset.evaluate(line.transaction);
    const std::string out = json::serialize(compiler::decisionLine(transactionId(line), decisions)) + "\n";
    std::fputs(out.c_str(), stdout);  // stdio buffers; the final flush reports write errors
    return {};
  });
}

int runEvaluate(const EvaluateOptions& options) {
  auto inputs = readInputs(options);
  if (!inputs) return reportError(kCommand, inputs.error(), kExitUsage);
  auto verified = verifyFromFiles(options.verification);
  if (!verified) return reportVerificationError(kCommand, verified.error());
  auto ruleset = compiler::LoadedRuleset::load(verified->artifact_bytes, verified->manifest.checksum, inputs->catalog);
  if (!ruleset) return reportError(kCommand, ruleset.error(), kExitRefused);
  const Status evaluated = evaluateAll(*ruleset, inputs->transactions);
  if (auto flushed = writeStdout(""); !flushed) return reportError(kCommand, flushed.error(), kExitUsage);
  if (!evaluated) return reportError(kCommand, evaluated.error(), kExitRefused);
  return kExitOk;
}

}  // namespace

void addEvaluateCommand(CLI::App& cli, std::function<int()>& run) {
  const auto cmd = addSubcommand<EvaluateOptions>(
      cli, run, kCommand, "Verify an artifact, then evaluate transactions against it", runEvaluate);
  addVerificationOptions(cmd.app, cmd.options.verification);
  cmd.app.add_option("--transactions", cmd.options.transactions_path, "JSON Lines, one transaction object per line")
      ->required();
  cmd.app.add_option("--fields", cmd.options.fields_path,
                     "JSON array of field definitions (default: the standard fields)");
}

}  // namespace fraudgov::app::commands
