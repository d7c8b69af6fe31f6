#include "service/cursor_codec.h"

#include <boost/json/serialize.hpp>

#include "common/base64.h"
#include "common/crypto.h"
#include "common/json.h"

namespace fraudgov::service {

namespace {
constexpr std::size_t kMaxCursorBytes = 2048;

std::string mac(const std::string& key, std::string_view scope, std::string_view payload) {
  std::string input(scope);
  input += '\n';
  input += payload;
  return crypto::hmacSha256(key, input);
}
}  // namespace

Error invalidCursor() { return Error::malformed("Invalid cursor", {{"parameter", "cursor"}}); }

std::string CursorCodec::encode(std::string_view scope, const boost::json::array& keys) const {
  const std::string payload = boost::json::serialize(keys);
  return base64::encodeUrl(payload) + "." + base64::encodeUrl(mac(key_, scope, payload));
}

Result<boost::json::array> CursorCodec::decode(std::string_view scope, std::string_view token) const {
  if (token.size() > kMaxCursorBytes) return fail(invalidCursor());
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return fail(invalidCursor());
  const auto payload = base64::decodeUrl(token.substr(0, dot));
  const auto signature = base64::decodeUrl(token.substr(dot + 1));
  if (!payload || !signature) return fail(invalidCursor());
  if (!crypto::constantTimeEquals(*signature, mac(key_, scope, *payload))) return fail(invalidCursor());
  auto keys = json::parseStrict(*payload);
  if (!keys || !keys->is_array()) return fail(invalidCursor());
  return std::move(keys->as_array());
}

}  // namespace fraudgov::service
