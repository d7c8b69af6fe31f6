#pragma once
// Real filesystems a test can break on purpose (needs root, which `make test` runs as; tests
// skip when the mount is refused):
//  * SizedTmpfs: a tmpfs of a few MiB; fill() takes every free byte (writes then fail with
//    ENOSPC, as on a full disk), release() gives the space back.
//  * Ext4Image: an ext4 filesystem in a loop-mounted image file with errors=remount-ro;
//    triggerError() makes the kernel record a filesystem error, upon which it remounts the
//    filesystem read-only at once, open file descriptors included (writes fail with EROFS): what
//    a server sees when its disk goes bad. chmod cannot do this here (root ignores modes), and a
//    plain `mount -o remount,ro` is refused while files are open for writing.

#include <string>

namespace fraudgov::testing {

class SizedTmpfs {
 public:
  explicit SizedTmpfs(std::size_t mebibytes);
  ~SizedTmpfs();
  SizedTmpfs(const SizedTmpfs&) = delete;
  SizedTmpfs& operator=(const SizedTmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& path() const { return dir_; }
  // Writes a filler file until the filesystem is full; true when ENOSPC was reached.
  bool fill();
  void release();

 private:
  std::string dir_;
  bool mounted_ = false;
};

class Ext4Image {
 public:
  explicit Ext4Image(std::size_t mebibytes);
  ~Ext4Image();
  Ext4Image(const Ext4Image&) = delete;
  Ext4Image& operator=(const Ext4Image&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& path() const { return dir_; }
  // The kernel remounts the filesystem read-only (errors=remount-ro); true when it did.
  bool triggerError();

 private:
  std::string base_;
  std::string dir_;
  bool mounted_ = false;
};

}  // namespace fraudgov::testing
