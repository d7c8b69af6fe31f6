#include "support/mini_http_server.h"
#include "support/poll.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace fraudgov::testing {

namespace {

constexpr auto kSlice = std::chrono::milliseconds(20);
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;
constexpr auto kReadDeadline = std::chrono::seconds(10);

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

void sendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a client that gave up (timeout tests) must not SIGPIPE the test binary.
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool parseHead(std::string_view head, MiniRequest& req, std::size_t& content_length) {
  const auto line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) return false;
  req.method = std::string(request_line.substr(0, sp1));
  req.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  content_length = 0;
  std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    const std::string_view line = head.substr(pos, end - pos);
    pos = end + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(trim(line.substr(0, colon)));
    std::string value(trim(line.substr(colon + 1)));
    if (iequals(name, "Content-Length")) {
      const auto res = std::from_chars(value.data(), value.data() + value.size(), content_length);
      if (res.ec != std::errc() || content_length > kMaxBodyBytes) return false;
    }
    req.headers.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace

std::string MiniRequest::path() const { return target.substr(0, target.find('?')); }

std::optional<std::string> MiniRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return std::nullopt;
}

MiniResponse MiniResponse::json(std::string body, int status) {
  MiniResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

MiniResponse MiniResponse::hang(std::chrono::milliseconds for_how_long) {
  MiniResponse r = json("{}", 200);
  r.delay = for_how_long;
  return r;
}

MiniHttpServer::MiniHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 128) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("MiniHttpServer: cannot listen on 127.0.0.1");
    std::abort();
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

MiniHttpServer::~MiniHttpServer() { stop(); }

std::string MiniHttpServer::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

void MiniHttpServer::setHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

bool MiniHttpServer::waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
  return pollUntil([&] { return requests_.load() >= n; }, timeout);
}

void MiniHttpServer::stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listen_fd_);
  std::list<std::unique_ptr<Connection>> connections;
  {
    std::lock_guard lock(mu_);
    connections.swap(connections_);
  }
  for (auto& c : connections) c->thread.join();
}

void MiniHttpServer::acceptLoop() {
  while (!stopping_.load()) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(kSlice.count())) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    reapFinished();
    auto conn = std::make_unique<Connection>();
    Connection* raw = conn.get();
    std::lock_guard lock(mu_);
    connections_.push_back(std::move(conn));
    raw->thread = std::thread([this, fd, raw] {
      serve(fd);
      ::close(fd);
      raw->done.store(true);
    });
  }
}

void MiniHttpServer::reapFinished() {
  std::lock_guard lock(mu_);
  for (auto it = connections_.begin(); it != connections_.end();) {
    if ((*it)->done.load()) {
      (*it)->thread.join();
      it = connections_.erase(it);
    } else {
      ++it;
    }
  }
}

bool MiniHttpServer::sleepUnlessStopped(std::chrono::milliseconds d) const {
  // A slow or hanging server as the client sees it: real time passes, in slices so stop() is prompt.
  return !pollUntil([&] { return stopping_.load(); }, d, kSlice);
}

MiniResponse MiniHttpServer::dispatch(const MiniRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    handler = handler_;
  }
  return handler ? handler(request) : MiniResponse{404, {}, "", {}};
}

void MiniHttpServer::serve(int fd) {
  std::string data;
  std::size_t head_end = std::string::npos;
  std::size_t content_length = 0;
  MiniRequest request;
  const auto deadline = std::chrono::steady_clock::now() + kReadDeadline;
  char buf[16 * 1024];
  while (true) {
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        if (!parseHead(std::string_view(data).substr(0, head_end), request, content_length)) return;
        head_end += 4;
      } else if (data.size() > kMaxHeaderBytes) {
        return;
      }
    }
    if (head_end != std::string::npos && data.size() >= head_end + content_length) break;
    if (stopping_.load() || std::chrono::steady_clock::now() > deadline) return;
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(kSlice.count())) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return;
    data.append(buf, static_cast<std::size_t>(n));
  }
  request.body = data.substr(head_end, content_length);
  requests_.fetch_add(1);

  const MiniResponse response = dispatch(request);
  if (response.delay.count() > 0 && !sleepUnlessStopped(response.delay)) return;
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reasonPhrase(response.status) + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\nConnection: close\r\n";
  for (const auto& [n, v] : response.headers) out += n + ": " + v + "\r\n";
  out += "\r\n";
  if (request.method != "HEAD") out += response.body;
  sendAll(fd, out);
  ::shutdown(fd, SHUT_WR);
}

}  // namespace fraudgov::testing
