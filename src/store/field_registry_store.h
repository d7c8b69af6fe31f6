#pragma once
// Field-registry manifests: each publication of the approved field catalog, with the exact
// field list it published (so a past registry version is served as it was, not as fields are now).

#include <optional>
#include <vector>

#include "domain/rule_field.h"
#include "store/sql.h"

namespace fraudgov::store {

struct RegistryManifest {
  std::string manifest_id;
  int registry_version = 1;
  std::string artifact_uri;
  std::string checksum;
  int field_count = 0;
  boost::json::value fields;  // the published list
  std::string created_by;
  std::string created_by_issuer;
  Timestamp created_at;
};

class FieldRegistryStore {
 public:
  static Status insert(SqlSession& s, const RegistryManifest& m);
  static Result<std::optional<RegistryManifest>> latest(SqlSession& s);
  static Result<std::optional<RegistryManifest>> find(SqlSession& s, int registry_version);
  static Result<std::vector<RegistryManifest>> list(SqlSession& s, int limit);
};

}  // namespace fraudgov::store
