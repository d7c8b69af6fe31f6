#pragma once
// Periodic work of one runtime, off the request path: one background thread runs every task
// when it is due, on the runtime's clock (so tests move a ManualClock instead of waiting). The
// tasks today: the Idempotency-Key purge (issue 11 item 6: a request never pays for it) and the
// audit checkpoints (app/audit_checkpoint_tasks.h). A task reports its own failures; the next
// turn simply runs it again.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"

namespace fraudgov::app {

class Maintenance {
 public:
  struct Task {
    std::string name;
    std::chrono::milliseconds interval;  // > 0; the first run is one interval after start()
    std::function<void()> run;
  };

  // `clock` must outlive this object. `clock_recheck`: how often the idle thread looks at the
  // clock again. The system clock wakes it exactly when a task is due; a clock moved by hand
  // needs a short recheck to be noticed.
  Maintenance(const Clock& clock, std::chrono::milliseconds clock_recheck);
  ~Maintenance();  // stops
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  void add(Task task);  // before start()
  void start();
  void stop();  // joins; idempotent

 private:
  void loop();

  const Clock& clock_;
  const std::chrono::milliseconds clock_recheck_;
  std::vector<Task> tasks_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fraudgov::app
