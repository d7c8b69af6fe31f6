#include "store/postgres/change_listener.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

#include "store/postgres/pq_io.h"

namespace fraudgov::store {

namespace {
constexpr std::chrono::milliseconds kFirstRetry{100};
constexpr std::chrono::milliseconds kLongestRetry{5000};
}  // namespace

ChangeListener::ChangeListener(std::function<PGconn*()> connect, std::chrono::milliseconds deadline)
    : connect_(std::move(connect)), deadline_(deadline), wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

ChangeListener::~ChangeListener() {
  stopping_.store(true);
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

std::optional<std::uint64_t> ChangeListener::stamp() {
  std::call_once(started_, [this] {
    if (wake_fd_ >= 0) thread_ = std::thread([this] { run(); });
  });
  // Every change of listening_ is paired with a stamp move, so a stamp read here while
  // listening can only match entries made while listening (see the header).
  if (!listening_.load(std::memory_order_acquire)) return std::nullopt;
  return stamp_.load(std::memory_order_acquire);
}

void ChangeListener::run() {
  auto retry = kFirstRetry;
  bool lost = false;
  while (!stopping_.load()) {
    PGconn* conn = connect_();
    if (conn && listen(conn)) {
      if (lost) spdlog::info("change listener reconnected; read caches resume");
      retry = kFirstRetry;
      stamp_.fetch_add(1, std::memory_order_acq_rel);  // whatever happened while deaf is unknown
      listening_.store(true, std::memory_order_release);
      waitForNotifications(conn);
      listening_.store(false, std::memory_order_release);
      stamp_.fetch_add(1, std::memory_order_acq_rel);
      if (!stopping_.load()) {
        spdlog::warn("change listener lost its database connection; read caches are bypassed until it is back");
        lost = true;
      }
    }
    if (conn) PQfinish(conn);
    if (stopping_.load()) break;
    pause(retry);
    retry = std::min(retry * 2, kLongestRetry);
  }
}

bool ChangeListener::listen(PGconn* conn) {
  // The channel migration 3's triggers notify; within the deadline like every database call.
  pq::ResultPtr res(nullptr, &PQclear);
  const bool sent = PQsendQuery(conn, "LISTEN fraudgov_changes") == 1;
  const auto outcome = sent ? pq::finish(conn, Deadline::after(deadline_), res) : pq::Outcome::kLost;
  const bool ok = outcome == pq::Outcome::kOk && res && PQresultStatus(res.get()) == PGRES_COMMAND_OK;
  if (!ok) {
    spdlog::error("change listener: LISTEN failed: {}",
                  outcome == pq::Outcome::kExpired ? "no answer before the deadline" : PQerrorMessage(conn));
  }
  return ok;
}

void ChangeListener::waitForNotifications(PGconn* conn) {
  while (!stopping_.load()) {
    pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;  // stopping
    if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) return;
    bool heard = false;
    while (PGnotify* notice = PQnotifies(conn)) {
      heard = true;
      PQfreemem(notice);
    }
    if (heard) stamp_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void ChangeListener::pause(std::chrono::milliseconds how_long) {
  pollfd wake{wake_fd_, POLLIN, 0};
  (void)::poll(&wake, 1, static_cast<int>(how_long.count()));
}

}  // namespace fraudgov::store
