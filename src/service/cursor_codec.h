#pragma once
// Opaque, tamper-evident keyset cursors: the sort key of a row, HMAC-bound to the list and the
// filters it came from, so a forged, edited or foreign cursor is refused (400).

#include <boost/json/array.hpp>
#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::service {

class CursorCodec {
 public:
  explicit CursorCodec(std::string hmac_key) : key_(std::move(hmac_key)) {}
  // scope names the list and its filters, e.g. "audit-log|{\"entity_type\":\"RULE\"}".
  std::string encode(std::string_view scope, const boost::json::array& keys) const;
  Result<boost::json::array> decode(std::string_view scope, std::string_view token) const;

 private:
  std::string key_;
};

Error invalidCursor();

}  // namespace fraudgov::service
