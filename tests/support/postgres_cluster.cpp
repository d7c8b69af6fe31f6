#include "support/postgres_cluster.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/child_process.h"

namespace fraudgov::testing {

namespace {

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `command` as the postgres user; its output goes to `log`.
bool asPostgres(const std::string& command, const std::string& log) {
  const std::string line = "su postgres -s /bin/sh -c \"" + command + "\" > '" + log + "' 2>&1";
  return std::system(line.c_str()) == 0;
}

}  // namespace

std::vector<pid_t> childProcesses(pid_t parent) {
  std::vector<pid_t> out;
  DIR* proc = ::opendir("/proc");
  if (!proc) return out;
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    const std::string stat = slurp("/proc/" + std::string(entry->d_name) + "/stat");
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ')'.
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(proc);
  return out;
}

PostgresCluster::PostgresCluster() {
  char tmpl[] = "/tmp/fraudgov-pgcluster-XXXXXX";
  if (!::mkdtemp(tmpl)) {
    problem_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  ::chmod(dir_.c_str(), 0755);
  if (std::system(("chown postgres:postgres '" + dir_ + "'").c_str()) != 0) {
    problem_ = "cannot chown the cluster directory to postgres (tests run as root through `make test`)";
    return;
  }
  port_ = freePort();
  const std::string data = dir_ + "/data";
  if (!asPostgres(std::string(kPgBin) + "/initdb -D '" + data + "' -A trust -U fraudgov --no-sync -E UTF8 --locale=C.UTF-8",
                  dir_ + "/initdb.log")) {
    problem_ = "initdb failed: " + slurp(dir_ + "/initdb.log");
    return;
  }
  const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k '" + dir_ +
                              "' -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  if (!asPostgres(std::string(kPgBin) + "/pg_ctl -D '" + data + "' -l '" + dir_ + "/server.log' -w -t 60 -o \\\"" +
                      options + "\\\" start",
                  dir_ + "/pg_ctl.log")) {
    problem_ = "pg_ctl start failed: " + slurp(dir_ + "/pg_ctl.log") + slurp(dir_ + "/server.log");
    return;
  }
  running_ = true;
}

PostgresCluster::~PostgresCluster() {
  thaw();
  if (running_) {
    asPostgres(std::string(kPgBin) + "/pg_ctl -D '" + dir_ + "/data' -m immediate -w stop", dir_ + "/stop.log");
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string PostgresCluster::url() const {
  return "postgresql://fraudgov@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

pid_t PostgresCluster::postmasterPid() const {
  std::istringstream in(slurp(dir_ + "/data/postmaster.pid"));
  long pid = 0;
  in >> pid;
  return static_cast<pid_t>(pid);
}

void PostgresCluster::freeze() {
  const pid_t postmaster = postmasterPid();
  if (postmaster <= 0 || !stopped_.empty()) return;
  // The postmaster first, so it cannot start a backend after the children were listed.
  ::kill(postmaster, SIGSTOP);
  stopped_.push_back(postmaster);
  for (pid_t child : childProcesses(postmaster)) {
    ::kill(child, SIGSTOP);
    stopped_.push_back(child);
  }
}

void PostgresCluster::thaw() {
  for (pid_t pid : stopped_) ::kill(pid, SIGCONT);
  stopped_.clear();
}

}  // namespace fraudgov::testing
