#pragma once
// Use cases of the rule-field catalog. Each mutation is one write transaction that also writes
// its audit rows; validation happens here, at the trusted layer, whatever the caller checked.

#include <optional>
#include <vector>

#include "domain/audit.h"
#include "domain/rule_field.h"
#include "store/database.h"

namespace fraudgov::service {

struct NewField {
  std::string field_key;
  domain::FieldDefinition definition;
};

// Members present in a PATCH body; absent members keep their value.
struct FieldPatch {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::string>> description;  // present-and-null clears it
  std::optional<domain::DataType> data_type;
  std::optional<std::vector<domain::Operator>> allowed_operators;
  std::optional<bool> multi_value_allowed;
  std::optional<bool> is_sensitive;
};

struct MetadataPut {
  domain::FieldMetadata metadata;
  bool created = false;
};

class CatalogService {
 public:
  explicit CatalogService(store::Database& db) : db_(db) {}

  Result<std::vector<domain::RuleField>> listFields();
  Result<domain::RuleField> getField(std::string_view field_key);
  Result<std::vector<domain::FieldVersion>> listVersions(std::string_view field_key);
  Result<domain::RuleField> createField(const domain::Actor& actor, const NewField& input);
  Result<domain::RuleField> patchField(const domain::Actor& actor, std::string_view field_key, const FieldPatch& patch);

  Result<std::vector<domain::FieldMetadata>> listMetadata(std::string_view field_key);
  Result<domain::FieldMetadata> getMetadata(std::string_view field_key, std::string_view meta_key);
  Result<MetadataPut> putMetadata(const domain::Actor& actor, std::string_view field_key, std::string_view meta_key,
                                  boost::json::object meta_value);
  Status deleteMetadata(const domain::Actor& actor, std::string_view field_key, std::string_view meta_key);

  // Inserts the 26 standard fields once (recorded in store metadata); later calls do nothing.
  Status seedStandardFields();

 private:
  store::Database& db_;
};

Error fieldNotFound(std::string_view field_key);

}  // namespace fraudgov::service
