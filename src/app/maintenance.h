#pragma once
// Periodic housekeeping of one runtime, off the request path: a background thread that runs its
// task every `interval` on the runtime's clock (so tests move a ManualClock instead of waiting).
// Today's task purges Idempotency-Keys older than their 24-hour retention (issue 11 item 6: a
// request never pays for it).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "observability/telemetry.h"
#include "store/database.h"

namespace fraudgov::app {

class Maintenance {
 public:
  struct Options {
    std::chrono::seconds interval{300};
    // How often the idle thread looks at the clock again. The system clock wakes it exactly when
    // the task is due; a clock moved by hand needs a short interval to be noticed.
    std::chrono::milliseconds clock_recheck{std::chrono::hours(1)};
  };

  // `db` and `telemetry` must outlive this object. The first run is one interval after start().
  Maintenance(store::Database& db, observability::Telemetry& telemetry, Options options);
  ~Maintenance();  // stops
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  void start();
  void stop();  // joins; idempotent
  // One run of the task now (also what the thread does when due).
  void runOnce();

 private:
  void loop();

  store::Database& db_;
  observability::Telemetry& telemetry_;
  const Options options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fraudgov::app
