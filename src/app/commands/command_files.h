#pragma once
// Whole-file reads and writes for the offline commands. Errors name the path and the system's
// reason, so the one line a command prints is enough to fix the call.

#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::app::commands {

Result<std::string> readFileBytes(const std::string& path);
// Writes exactly `bytes` (no newline added), replacing the file.
Status writeFileBytes(const std::string& path, std::string_view bytes);
// Writes exactly `bytes` to stdout and flushes, reporting a closed pipe or full disk.
Status writeStdout(std::string_view bytes);

}  // namespace fraudgov::app::commands
