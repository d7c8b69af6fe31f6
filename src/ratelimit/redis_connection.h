#pragma once
// One blocking hiredis connection with connect and command timeouts. hiredis stays inside
// redis_connection.cpp; callers see plain replies.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "ratelimit/redis_url.h"

struct redisContext;

namespace fraudgov::ratelimit {

struct RedisReply {
  enum class Type { kString, kStatus, kError, kInteger, kNil, kArray };
  Type type = Type::kNil;
  std::string text;  // string, status and error replies
  long long integer = 0;
  std::vector<RedisReply> elements;

  bool isError() const { return type == Type::kError; }
};

class RedisConnection {
 public:
  struct Options {
    RedisEndpoint endpoint;
    std::optional<std::string> password;     // AUTH after connecting; never logged
    std::chrono::milliseconds timeout{250};  // connect, and each command
  };

  // Connects, authenticates and selects the database.
  static Result<std::unique_ptr<RedisConnection>> open(const Options& options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // An error reply from the server is a reply (type kError); a failed exchange (refused, reset,
  // timed out) is an Error, after which the connection is broken() and must be discarded.
  Result<RedisReply> command(const std::vector<std::string_view>& args);
  bool broken() const { return broken_; }

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}
  redisContext* context_;
  bool broken_ = false;
};

}  // namespace fraudgov::ratelimit
