#include "app/cli.h"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/build_info.h"
#include "app/commands/compile_command.h"
#include "app/commands/evaluate_command.h"
#include "app/commands/verify_artifact_command.h"
#include "app/commands/verify_audit_command.h"
#include "doctor/doctor.h"
#include "observability/log.h"
#include "store/migrations.h"

namespace fraudgov::app {

namespace {

constexpr int kConfigError = 2;  // also usage errors
constexpr int kStartupError = 1;

std::optional<Config> takeOrReport(const char* program, LoadedConfig loaded) {
  if (!loaded.ok()) {
    for (const auto& problem : loaded.problems) {
      std::fprintf(stderr, "%s: configuration: %s\n", program, problem.c_str());
    }
    return std::nullopt;
  }
  return std::move(loaded.config);
}

// fraudgov-dev refuses prod in main() from the environment; this also catches APP_ENV=prod given
// in a FRAUDGOV_CONFIG file, with that one line instead of the list of everything else amiss.
std::optional<Config> loadServingConfig(const CliOptions& options) {
  LoadedConfig loaded = loadConfig(secrets::processEnvironment());
  if (options.dev && loaded.config.env == AppEnv::kProd) {
    std::fprintf(stderr, "%s: configuration: APP_ENV=prod is refused by the development binary; use fraudgov\n",
                 options.program);
    return std::nullopt;
  }
  return takeOrReport(options.program, std::move(loaded));
}

int serve(const CliOptions& options) {
  auto config = loadServingConfig(options);
  if (!config) return kConfigError;
  observability::initLogging(config->log_level);
  auto runtime = Runtime::create(std::move(*config), options.dev);
  if (!runtime) {
    std::fprintf(stderr, "%s: cannot start: %s\n", options.program, runtime.error().message.c_str());
    return kStartupError;
  }
  (*runtime)->runUntilSignalled();
  return 0;
}

int migrate(const CliOptions& options) {
  auto config = loadServingConfig(options);
  if (!config) return kConfigError;
  observability::initLogging(config->log_level);
  // A schema change may rewrite a large table: migrations get a budget of minutes, not the
  // request-sized DATABASE_DEADLINE_MS (still a deadline: nothing waits forever).
  config->database.deadline = std::max<std::chrono::milliseconds>(config->database.deadline, std::chrono::minutes(15));
  auto db = store::openDatabase(config->database_url, config->database);
  if (!db) {
    std::fprintf(stderr, "%s: cannot open database: %s\n", options.program, db.error().message.c_str());
    return kStartupError;
  }
  auto applied = store::applyMigrations(**db);
  if (!applied) {
    std::fprintf(stderr, "%s: migration failed: %s\n", options.program, applied.error().message.c_str());
    return kStartupError;
  }
  if (auto seeded = service::CatalogService(**db).seedStandardFields(); !seeded) {
    std::fprintf(stderr, "%s: seeding failed: %s\n", options.program, seeded.error().message.c_str());
    return kStartupError;
  }
  std::printf("%d migration(s) applied; schema is current\n", *applied);
  return 0;
}

}  // namespace

std::optional<Config> loadConfigOrReport(const char* program) {
  return takeOrReport(program, loadConfig(secrets::processEnvironment()));
}

int runCli(int argc, char** argv, const CliOptions& options) {
  CLI::App cli{"fraudgov: fraud-rule governance control plane", options.program};
  cli.require_subcommand(0, 1);
  cli.set_version_flag("--version", build_info::versionLine(options.program));
  std::function<int()> run = [&] { return serve(options); };
  cli.add_subcommand("serve", "Serve the HTTP API (default)")->callback([&] { run = [&] { return serve(options); }; });
  cli.add_subcommand("migrate", "Apply database migrations and seed the standard fields")->callback([&] {
    run = [&] { return migrate(options); };
  });
  doctor::addDoctorCommand(cli, run);
  commands::addCompileCommand(cli, run);
  commands::addVerifyArtifactCommand(cli, run);
  commands::addVerifyAuditCommand(cli, run);
  commands::addEvaluateCommand(cli, run);
  if (options.extend) options.extend(cli, run);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);  // prints help or the error
    return code == 0 ? 0 : kConfigError;
  }
  return run();
}

}  // namespace fraudgov::app
