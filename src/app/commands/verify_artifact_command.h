#pragma once
// `fraudgov verify-artifact --manifest M --artifact A (--public-key PEM | --key-set JSON)
// [--environment E] [--min-sequence N]` (SPEC §2): what a runtime checks before loading an
// artifact (publish::verifyArtifact), for operators and deployment scripts.
// Exit 0 with "OK <kind> <env>/<region>/<country>/<ruleset_key> v<N> [sequence <n>] <checksum>"
// on stdout; exit 1 with "FAIL <reason>: <message>" on stderr; exit 2 for usage and I/O.

#include <CLI/App.hpp>
#include <functional>

namespace fraudgov::app::commands {

void addVerifyArtifactCommand(CLI::App& cli, std::function<int()>& run);

}  // namespace fraudgov::app::commands
