// The process-wide registry: build information and process statistics (the standard
// process_* names, so stock dashboards work), read from /proc at scrape time.
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "observability/metrics.h"

#ifndef FRAUDGOV_VERSION
#define FRAUDGOV_VERSION "unknown"
#endif

namespace fraudgov::observability {

namespace {

// Taken during static initialization, i.e. when the process starts.
const double kProcessStart = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();

double residentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double cpuSeconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double openFds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return 0;
  double n = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  ::closedir(dir);
  return n - 1;  // the descriptor opendir itself holds
}

void registerProcessMetrics(Registry& r) {
  r.gauge("fraudgov_build_info", "Build of this fraudgov process (value is always 1).", {"version", "compiler"})
      .labels({FRAUDGOV_VERSION, __VERSION__})
      .set(1);
  r.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.")
      .get()
      .set(kProcessStart);
  r.callbackGauge("process_resident_memory_bytes", "Resident memory size, in bytes.", residentBytes);
  r.callback("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", MetricType::kCounter, {}, [] {
    return std::vector<Sample>{{{}, cpuSeconds()}};
  });
  r.callbackGauge("process_open_fds", "Open file descriptors.", openFds);
}

}  // namespace

Registry& processRegistry() {
  static Registry* registry = [] {
    auto* r = new Registry();  // never destroyed: metrics may be recorded during static destruction
    registerProcessMetrics(*r);
    return r;
  }();
  return *registry;
}

}  // namespace fraudgov::observability
