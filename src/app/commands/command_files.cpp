#include "app/commands/command_files.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace fraudgov::app::commands {

namespace {

Error ioError(std::string_view verb, const std::string& path) {
  return Error::unavailable(fmt::format("cannot {} {}: {}", verb, path, std::strerror(errno)));
}

}  // namespace

Result<std::string> readFileBytes(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ioError("read", path));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail(ioError("read", path));
  return bytes;
}

Status writeFileBytes(const std::string& path, std::string_view bytes) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(ioError("write", path));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return fail(ioError("write", path));
  return {};
}

Status writeStdout(std::string_view bytes) {
  errno = 0;
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size();
  if (!written || std::fflush(stdout) != 0) return fail(ioError("write", "standard output"));
  return {};
}

}  // namespace fraudgov::app::commands
