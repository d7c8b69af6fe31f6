#pragma once
// Persistence of the rule-field catalog: fields, their immutable versions, and metadata.

#include <optional>
#include <vector>

#include "domain/rule_field.h"
#include "store/sql.h"

namespace fraudgov::store {

class RuleFieldStore {
 public:
  static Result<std::vector<domain::RuleField>> list(SqlSession& s);
  static Result<std::optional<domain::RuleField>> find(SqlSession& s, std::string_view field_key);
  static Result<int> maxFieldId(SqlSession& s);  // 0 when the catalog is empty
  static Status insert(SqlSession& s, const domain::RuleField& f);
  // Writes f if the stored optimistic counter still equals expected_version; false otherwise.
  static Result<bool> update(SqlSession& s, const domain::RuleField& f, int expected_version);

  static Status insertVersion(SqlSession& s, const domain::FieldVersion& v);
  static Result<std::vector<domain::FieldVersion>> listVersions(SqlSession& s, std::string_view field_key);
  // The newest APPROVED version of every field, ordered by field_id: what a registry publishes.
  static Result<std::vector<domain::FieldVersion>> latestApprovedVersions(SqlSession& s);

  static Result<std::vector<domain::FieldMetadata>> listMetadata(SqlSession& s, std::string_view field_key);
  static Result<std::optional<domain::FieldMetadata>> findMetadata(SqlSession& s, std::string_view field_key,
                                                                   std::string_view meta_key);
  static Status insertMetadata(SqlSession& s, const domain::FieldMetadata& m);
  static Status updateMetadata(SqlSession& s, const domain::FieldMetadata& m);
  static Status deleteMetadata(SqlSession& s, std::string_view field_key, std::string_view meta_key);
};

// Small key/value table for store-level facts (e.g. "the standard fields were seeded").
class StoreMetadata {
 public:
  static Result<std::optional<std::string>> get(SqlSession& s, std::string_view key);
  static Status put(SqlSession& s, std::string_view key, std::string_view value);
};

}  // namespace fraudgov::store
