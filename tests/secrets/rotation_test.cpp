// Rotation without restart (SPEC §6.5, issue 4 item 3): the health token is a file; rewriting it
// and sending SIGHUP to a running build/bin/fraudgov switches tokens at once, while a request
// held open across the signal and a stream of concurrent requests are all answered.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "common/uuid.h"
#include "fraudgov_process.h"
#include "support/poll.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using testing::FraudgovProcess;
using testing::RawConnection;

std::string healthRequest(const std::string& token, bool close = false) {
  return "GET /api/v1/health HTTP/1.1\r\nHost: fraudgov\r\nX-Health-Token: " + token + "\r\n" +
         (close ? "Connection: close\r\n" : "") + "\r\n";
}

// Polls until the token is accepted; returns whether it happened in time.
bool becomesValid(FraudgovProcess& server, const std::string& token) {
  return testing::pollUntil([&] { return server.health(token).status == 200; }, std::chrono::seconds(10),
                            std::chrono::milliseconds(20));
}

TEST(SecretRotation, SighupSwitchesTheHealthTokenWithoutRestartOrDroppedRequests) {
  const std::string dir = testing::makeTempDir("rotation");
  const std::string token_file = dir + "/health-token";
  const std::string old_token = "rotation-old-" + uuid::v4();
  const std::string new_token = "rotation-new-" + uuid::v4();
  testing::writeAtomically(token_file, old_token);

  // The concurrent 403s below would drain the failed-authentication budget (SPEC §6.4) and turn
  // into 429s; rate limiting has its own tests, here every answer must be about the token.
  FraudgovProcess server({{"HEALTH_TOKEN_FILE", token_file}, {"RATE_LIMIT_ENABLED", "false"}});
  ASSERT_EQ(server.startError(), "");
  EXPECT_EQ(server.health("").status, 401);
  EXPECT_EQ(server.health(new_token).status, 403);
  EXPECT_EQ(server.health(old_token).status, 200);

  // A keep-alive connection that stays idle across the signal...
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.sendText(healthRequest(old_token)));
  ASSERT_EQ(idle.readResponse().status, 200);
  // ...and a request whose headers are only half sent when the signal arrives.
  RawConnection in_flight(server.port());
  ASSERT_TRUE(in_flight.sendText("GET /api/v1/health HTTP/1.1\r\nHost: fraudgov\r\n"));

  // Concurrent traffic throughout: every request gets an answer, 200 before and 403 after.
  std::atomic<bool> stop{false};
  std::atomic<int> answered_200{0};
  std::atomic<int> answered_403{0};
  auto traffic = std::async(std::launch::async, [&] {
    std::map<long, int> statuses;
    net::CurlHttpClient client;
    while (!stop) {
      net::OutboundRequest r;
      r.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/health";
      r.headers = {{"X-Health-Token", old_token}};
      r.timeout = std::chrono::seconds(10);
      auto response = client.send(r);
      const long status = response ? response->status : -1;
      ++statuses[status];
      if (status == 200) ++answered_200;
      if (status == 403) ++answered_403;
    }
    return statuses;
  });
  // Traffic is flowing before the signal...
  ASSERT_TRUE(testing::pollUntil([&] { return answered_200 >= 5; }, std::chrono::seconds(10)));

  const auto running_before = server.child().running();
  testing::writeAtomically(token_file, new_token);
  server.child().signal(SIGHUP);
  ASSERT_TRUE(becomesValid(server, new_token)) << server.child().stdoutText();
  EXPECT_EQ(server.health(old_token).status, 403);
  // ...and keeps flowing after it.
  EXPECT_TRUE(testing::pollUntil([&] { return answered_403 >= 5; }, std::chrono::seconds(10)));
  stop = true;
  const auto statuses = traffic.get();

  ASSERT_TRUE(in_flight.sendText("X-Health-Token: " + new_token + "\r\n\r\n"));
  EXPECT_EQ(in_flight.readResponse().status, 200) << "the request open during SIGHUP is answered";
  ASSERT_TRUE(in_flight.sendText(healthRequest(old_token)));
  EXPECT_EQ(in_flight.readResponse().status, 403) << "same connection, old token refused";
  ASSERT_TRUE(idle.sendText(healthRequest(new_token, true)));
  EXPECT_EQ(idle.readResponse().status, 200) << "the idle keep-alive connection survived the reload";

  EXPECT_EQ(statuses.count(-1), 0u) << "a concurrent request failed at the transport level";
  EXPECT_GT(statuses.count(200), 0u);
  EXPECT_GT(statuses.count(403), 0u);
  for (const auto& [status, n] : statuses) EXPECT_TRUE(status == 200 || status == 403) << status << " x" << n;
  EXPECT_TRUE(running_before && server.child().running()) << "same process throughout";
  EXPECT_NE(server.child().stdoutText().find("secrets reloaded"), std::string::npos);

  // A rotation that breaks the source keeps the previous values (and says so).
  std::filesystem::remove(token_file);
  server.child().signal(SIGHUP);
  EXPECT_TRUE(testing::waitForOutput(server.child(), "secret reload failed; keeping the previous values",
                                     std::chrono::seconds(10)))
      << server.child().stdoutText();
  EXPECT_EQ(server.health(new_token).status, 200);
  EXPECT_EQ(server.terminate(), 0) << server.child().stderrText();
}

}  // namespace
}  // namespace fraudgov
