#pragma once
// What `fraudgov --version` reports: the CMake project version, the git commit the build was
// configured from ("unknown" outside a git checkout) and the build type. Operators compare these
// with the package they think they installed.

#include <string>
#include <string_view>

namespace fraudgov::app::build_info {

std::string_view version();
std::string_view gitCommit();
std::string_view buildType();

// "<program> <version> (commit <commit>, <build type> build)"
std::string versionLine(std::string_view program);

}  // namespace fraudgov::app::build_info
