#include "ratelimit/redis_connection.h"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <utility>

namespace fraudgov::ratelimit {

namespace {

timeval toTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

// Reply kinds this client never asks for (and nil) read as kNil.
RedisReply::Type replyType(int hiredis_type) {
  using Type = RedisReply::Type;
  constexpr std::pair<int, Type> kTypes[] = {
      {REDIS_REPLY_STRING, Type::kString},
      {REDIS_REPLY_STATUS, Type::kStatus},
      {REDIS_REPLY_ERROR, Type::kError},
      {REDIS_REPLY_INTEGER, Type::kInteger},
      {REDIS_REPLY_ARRAY, Type::kArray},
  };
  for (const auto& [code, type] : kTypes) {
    if (code == hiredis_type) return type;
  }
  return Type::kNil;
}

RedisReply convert(const redisReply& r) {
  RedisReply out;
  out.type = replyType(r.type);
  if (r.str) out.text.assign(r.str, r.len);
  out.integer = r.integer;
  for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
  return out;
}

// hiredis writes with write(2): a Redis that vanished between our write and its reset would
// raise SIGPIPE and kill the whole service. Block it on this thread for the exchange and
// discard one raised meanwhile.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec no_wait{0, 0};
      sigtimedwait(&pipe_, nullptr, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t previous_{};
  bool was_pending_ = false;
};

Error failure(std::string what) { return Error::unavailable("redis: " + std::move(what)); }

}  // namespace

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const Options& options) {
  redisContext* context =
      redisConnectWithTimeout(options.endpoint.host.c_str(), options.endpoint.port, toTimeval(options.timeout));
  if (!context) return fail(failure("cannot allocate a connection"));
  if (context->err) {
    Error e = failure(std::string("connect to ") + options.endpoint.describe() + ": " + context->errstr);
    redisFree(context);
    return fail(std::move(e));
  }
  std::unique_ptr<RedisConnection> conn(new RedisConnection(context));
  if (redisSetTimeout(context, toTimeval(options.timeout)) != REDIS_OK) {
    return fail(failure("cannot set the command timeout"));
  }
  if (options.password && !options.password->empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(RedisReply auth, conn->command({"AUTH", *options.password}));
    // The server's error text names the failure, never the password we sent.
    if (auth.isError()) return fail(failure("AUTH refused: " + auth.text));
  }
  if (options.endpoint.database != 0) {
    const std::string db = std::to_string(options.endpoint.database);
    FRAUDGOV_ASSIGN_OR_RETURN(RedisReply select, conn->command({"SELECT", db}));
    if (select.isError()) return fail(failure("SELECT " + db + " refused: " + select.text));
  }
  return conn;
}

RedisConnection::~RedisConnection() {
  if (context_) redisFree(context_);
}

Result<RedisReply> RedisConnection::command(const std::vector<std::string_view>& args) {
  if (broken_) return fail(failure("connection already failed"));
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (auto a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  SigpipeGuard no_sigpipe;
  auto* reply =
      static_cast<redisReply*>(redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data()));
  if (!reply) {
    broken_ = true;
    return fail(failure(context_->err ? context_->errstr : "no reply"));
  }
  RedisReply out = convert(*reply);
  freeReplyObject(reply);
  return out;
}

}  // namespace fraudgov::ratelimit
