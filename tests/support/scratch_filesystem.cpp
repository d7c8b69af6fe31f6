#include "support/scratch_filesystem.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace fraudgov::testing {

namespace {

std::string makeDir(const char* prefix) {
  std::string tmpl = std::string("/tmp/") + prefix + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) return {};
  return buf.data();
}

bool run(const std::string& command) { return std::system((command + " > /dev/null 2>&1").c_str()) == 0; }

std::string fillerPath(const std::string& dir) { return dir + "/filler"; }

}  // namespace

SizedTmpfs::SizedTmpfs(std::size_t mebibytes) : dir_(makeDir("fraudgov-tmpfs")) {
  if (dir_.empty()) return;
  mounted_ = run("mount -t tmpfs -o size=" + std::to_string(mebibytes) + "m,mode=0755 fraudgov-test '" + dir_ + "'");
}

SizedTmpfs::~SizedTmpfs() {
  if (mounted_) run("umount -l '" + dir_ + "'");
  if (!dir_.empty()) ::rmdir(dir_.c_str());
}

bool SizedTmpfs::fill() {
  const int fd = ::open(fillerPath(dir_).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) return false;
  std::vector<char> block(64 * 1024, 'x');
  bool full = false;
  for (;;) {
    const ssize_t n = ::write(fd, block.data(), block.size());
    if (n < 0) {
      full = errno == ENOSPC;
      break;
    }
    if (static_cast<std::size_t>(n) < block.size()) continue;  // the last partial block; the next write fails
  }
  ::close(fd);
  return full;
}

void SizedTmpfs::release() { ::unlink(fillerPath(dir_).c_str()); }

Ext4Image::Ext4Image(std::size_t mebibytes) : base_(makeDir("fraudgov-ext4")) {
  if (base_.empty()) return;
  const std::string image = base_ + "/image";
  dir_ = base_ + "/mnt";
  ::mkdir(dir_.c_str(), 0755);
  if (!run("truncate -s " + std::to_string(mebibytes) + "M '" + image + "'") ||
      !run("mkfs.ext4 -q -F '" + image + "'")) {
    return;
  }
  mounted_ = run("mount -o loop,errors=remount-ro '" + image + "' '" + dir_ + "'");
}

Ext4Image::~Ext4Image() {
  if (mounted_) run("umount '" + dir_ + "' || umount -l '" + dir_ + "'");
  if (!base_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(base_, ec);
  }
}

bool Ext4Image::triggerError() {
  // /sys/fs/ext4/<device>/trigger_fs_error: the device is the loop device backing the mount.
  std::string device;
  {
    FILE* p = ::popen(("findmnt -n -o SOURCE '" + dir_ + "'").c_str(), "r");
    if (!p) return false;
    char buf[256] = {};
    if (std::fgets(buf, sizeof buf, p)) device = buf;
    ::pclose(p);
  }
  while (!device.empty() && (device.back() == '\n' || device.back() == ' ')) device.pop_back();
  const auto slash = device.rfind('/');
  if (slash == std::string::npos) return false;
  std::ofstream trigger("/sys/fs/ext4/" + device.substr(slash + 1) + "/trigger_fs_error");
  trigger << "fraudgov test: disk went bad\n";
  trigger.close();
  // Read-only now?
  const std::string probe = dir_ + "/.probe";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT, 0600);
  if (fd >= 0) {
    ::close(fd);
    ::unlink(probe.c_str());
    return false;
  }
  return errno == EROFS;
}

}  // namespace fraudgov::testing
