#pragma once
// A throwaway PostgreSQL 15 cluster of a test's own (not the suite's shared one, which other
// tests use at the same time): initdb as the `postgres` user in a temporary directory, served on
// a free loopback port, stopped and removed when the object goes away. freeze() stops the
// postmaster and every backend with SIGSTOP (the kernel still accepts connections and ACKs
// data, so nothing but a client-side deadline notices); thaw() resumes them. The destructor
// always thaws before stopping the cluster.

#include <sys/types.h>

#include <string>
#include <vector>

namespace fraudgov::testing {

class PostgresCluster {
 public:
  PostgresCluster();
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  bool running() const { return running_; }
  // Why it is not running (initdb/pg_ctl output), for the test's failure message.
  const std::string& problem() const { return problem_; }
  // postgresql://fraudgov@127.0.0.1:<port>/postgres
  std::string url() const;

  void freeze();
  void thaw();
  bool frozen() const { return !stopped_.empty(); }

 private:
  pid_t postmasterPid() const;

  std::string dir_;
  unsigned short port_ = 0;
  bool running_ = false;
  std::string problem_;
  std::vector<pid_t> stopped_;
};

// The direct children of `parent` (from /proc).
std::vector<pid_t> childProcesses(pid_t parent);

}  // namespace fraudgov::testing
