#pragma once
// How the offline commands report an Error on stderr: "fraudgov <command>: <message>", then one
// indented "<path>: <message>" line per details.errors entry, so every problem of an input shows
// at once instead of one per run.

#include <string_view>

#include "common/error.h"

namespace fraudgov::app::commands {

// Returns exit_code, so a command reports and exits in one statement.
int reportError(std::string_view command, const Error& error, int exit_code);

}  // namespace fraudgov::app::commands
