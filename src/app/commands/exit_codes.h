#pragma once
// Exit codes shared by the offline commands (compile, verify-artifact, evaluate), so scripts can
// tell "the input was refused" from "the command was called wrongly or a file was unreadable".

namespace fraudgov::app::commands {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // invalid input, failed verification
inline constexpr int kExitUsage = 2;    // usage and I/O errors (CLI11 parse errors map here too)

}  // namespace fraudgov::app::commands
