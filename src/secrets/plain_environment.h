#pragma once
// The prod rule of SPEC §6.5: no secret may sit in the plain environment, where it leaks into
// child processes, crash reports and /proc/<pid>/environ. Checked once at startup for every
// known secret, whatever provider is selected, so a variable shadowed by the secrets manager is
// refused too.

#include <string>
#include <vector>

#include "secrets/secret_provider.h"

namespace fraudgov::secrets {

// One message per secret set as a plain variable, naming it and never its value.
std::vector<std::string> plainEnvironmentViolations(const EnvLookup& env, const std::vector<std::string>& secret_names);

// One message per URL setting (DATABASE_URL, REDIS_URL, ...) that embeds a password. settings
// looks a setting up wherever configuration comes from (environment or config file).
std::vector<std::string> passwordInUrlViolations(const EnvLookup& settings);

// One message per secret found in the configuration file (settings has it, env does not): it
// would be silently ignored, since secrets are only read through providers, and an operator
// would believe e.g. the health endpoint protected. Refused in every environment.
std::vector<std::string> configFileSecretViolations(const EnvLookup& env, const EnvLookup& settings,
                                                    const std::vector<std::string>& secret_names);

// True when a URL or libpq connection string carries a password (user:password@ or password=).
bool embedsPassword(std::string_view url);

}  // namespace fraudgov::secrets
