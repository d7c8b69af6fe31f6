#pragma once
// `fraudgov compile <export.json> [--output FILE] [--checksum-only]` (SPEC §2): compiles a ruleset
// export (compiler::parseExport format) offline and writes the exact artifact bytes (RFC 8785, no
// trailing newline), byte-identical to the online compile of the same data, to stdout or FILE;
// --checksum-only prints "sha256:<hex>" and a newline instead.
// Exit 1: the export is invalid or does not compile; 2: usage or I/O.

#include <CLI/App.hpp>
#include <functional>

namespace fraudgov::app::commands {

void addCompileCommand(CLI::App& cli, std::function<int()>& run);

}  // namespace fraudgov::app::commands
