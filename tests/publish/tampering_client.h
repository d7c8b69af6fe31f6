#pragma once
// An HttpClient that forwards every request but replaces one header's value before curl signs
// it: how the tests make the store send a checksum that does not match the bytes.

#include <memory>
#include <string>
#include <utility>

#include "common/text.h"
#include "net/http_client.h"

namespace fraudgov::testing {

class TamperingClient final : public net::HttpClient {
 public:
  TamperingClient(std::string header, std::string value)
      : header_(std::move(header)), value_(std::move(value)), inner_(std::make_shared<net::CurlHttpClient>()) {}

  Result<net::OutboundResponse> send(const net::OutboundRequest& request) override {
    net::OutboundRequest copy = request;
    for (auto& [name, value] : copy.headers) {
      if (text::iequals(name, header_)) value = value_;
    }
    return inner_->send(copy);
  }

 private:
  std::string header_, value_;
  std::shared_ptr<net::HttpClient> inner_;
};

}  // namespace fraudgov::testing
