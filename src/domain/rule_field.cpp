#include "domain/rule_field.h"

#include <set>

#include "common/text.h"
#include "common/uuid.h"

namespace fraudgov::domain {

std::optional<std::string> checkFieldKey(std::string_view key) {
  if (key.empty() || key.size() > 100) return "field_key must be 1 to 100 characters";
  if (key.front() < 'a' || key.front() > 'z') return "field_key must match ^[a-z][a-z0-9_]*$";
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "field_key must match ^[a-z][a-z0-9_]*$";
  }
  if (key.find("__") != std::string_view::npos) return "field_key cannot contain consecutive underscores";
  if (key.back() == '_') return "field_key cannot start or end with underscore";
  return std::nullopt;
}

std::optional<std::string> checkMetaKey(std::string_view key) {
  if (key.empty() || key.size() > 100) return "meta_key must be 1 to 100 characters";
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == ':' || c == '-';
    if (!ok) return "meta_key may only contain letters, digits, '_', '.', ':' and '-'";
  }
  const char first = key.front();
  if (first == '_' || first == '.' || first == ':' || first == '-') return "meta_key must start with a letter or digit";
  return std::nullopt;
}

std::vector<FieldIssue> checkDefinition(const FieldDefinition& d) {
  std::vector<FieldIssue> issues;
  const std::size_t name_length = text::codePointCount(d.display_name);
  if (name_length == 0 || name_length > 255)
    issues.push_back({"display_name", "display_name must be 1 to 255 characters"});
  if (text::containsNul(d.display_name)) issues.push_back({"display_name", "display_name must not contain NUL"});
  if (d.description) {
    if (text::codePointCount(*d.description) > 1000) {
      issues.push_back({"description", "description must be at most 1000 characters"});
    }
    if (text::containsNul(*d.description)) issues.push_back({"description", "description must not contain NUL"});
  }
  if (d.allowed_operators.empty()) {
    issues.push_back({"allowed_operators", "allowed_operators must contain at least one operator"});
  }
  std::set<Operator> seen;
  for (std::size_t i = 0; i < d.allowed_operators.size(); ++i) {
    const Operator op = d.allowed_operators[i];
    const std::string path = "allowed_operators[" + std::to_string(i) + "]";
    if (!seen.insert(op).second) {
      issues.push_back({path, "Operator '" + std::string(operatorName(op)) + "' is listed twice"});
    } else if (!operatorSupports(d.data_type, op)) {
      issues.push_back({path, "Operator '" + std::string(operatorName(op)) + "' is not supported for data type " +
                                  std::string(dataTypeName(d.data_type))});
    }
  }
  return issues;
}

boost::json::array operatorsJson(const std::vector<Operator>& ops) {
  boost::json::array a;
  for (Operator op : ops) a.emplace_back(operatorName(op));
  return a;
}

boost::json::object auditSnapshot(const RuleField& f) {
  const FieldDefinition& d = f.definition;
  return {
      {"field_key", f.field_key},
      {"field_id", f.field_id},
      {"display_name", d.display_name},
      {"description", d.description ? boost::json::value(*d.description) : boost::json::value(nullptr)},
      {"data_type", dataTypeName(d.data_type)},
      {"allowed_operators", operatorsJson(d.allowed_operators)},
      {"multi_value_allowed", d.multi_value_allowed},
      {"is_sensitive", d.is_sensitive},
      {"current_version", f.current_version},
      {"version", f.version},
  };
}

boost::json::object auditSnapshot(const FieldMetadata& m) {
  return {{"field_key", m.field_key}, {"meta_key", m.meta_key}, {"meta_value", m.meta_value}};
}

std::string fieldAuditId(std::string_view field_key) {
  return uuid::v5(uuid::kNamespaceDns, "rule_field:" + std::string(field_key));
}

std::string metadataAuditId(std::string_view field_key, std::string_view meta_key) {
  return uuid::v5(uuid::kNamespaceDns, "rule_field:" + std::string(field_key) + ":" + std::string(meta_key));
}

const std::vector<StandardField>& standardFields() {
  using O = Operator;
  const std::vector<Operator> kEqNe = {O::kEq, O::kNe};
  const std::vector<Operator> kEqInNe = {O::kEq, O::kIn, O::kNe};
  const std::vector<Operator> kRange = {O::kEq, O::kGt, O::kGte, O::kLt, O::kLte, O::kBetween};
  static const std::vector<StandardField> fields = {
      {1, "transaction_id", "Transaction ID", DataType::kString, kEqNe, false, false},
      {2, "card_hash", "Card Hash", DataType::kString, kEqInNe, true, true},
      {3, "amount", "Amount", DataType::kNumber, kRange, false, false},
      {4, "currency", "Currency", DataType::kString, kEqInNe, true, false},
      {5, "merchant_id", "Merchant ID", DataType::kString, kEqInNe, true, false},
      {6, "merchant_name", "Merchant Name", DataType::kString, {O::kEq, O::kIn, O::kNe, O::kContains}, false, false},
      {7, "merchant_category", "Merchant Category", DataType::kString, kEqInNe, true, false},
      {8, "merchant_category_code", "MCC", DataType::kString, kEqInNe, true, false},
      {9, "merchant_city", "Merchant City", DataType::kString, kEqInNe, true, false},
      {10, "card_present", "Card Present", DataType::kBoolean, kEqNe, false, false},
      {11, "transaction_type", "Transaction Type", DataType::kString, kEqInNe, true, false},
      {12, "entry_mode", "Entry Mode", DataType::kString, kEqInNe, true, false},
      {13, "country_code", "Country Code", DataType::kString, kEqInNe, true, false},
      {14, "pos_entry_mode", "POS Entry Mode", DataType::kString, kEqInNe, true, false},
      {15, "ip_address", "IP Address", DataType::kString, kEqInNe, false, true},
      {16, "device_id", "Device ID", DataType::kString, kEqInNe, false, true},
      {17, "email", "Email", DataType::kString, kEqInNe, false, true},
      {18, "phone", "Phone", DataType::kString, kEqInNe, false, true},
      {19, "timestamp", "Timestamp", DataType::kDate, kRange, false, false},
      {20, "billing_city", "Billing City", DataType::kString, kEqInNe, false, false},
      {21, "billing_country", "Billing Country", DataType::kString, kEqInNe, true, false},
      {22, "billing_postal_code", "Billing Postal Code", DataType::kString, kEqInNe, false, true},
      {23, "billing_line1", "Billing Address Line 1", DataType::kString, kEqInNe, false, true},
      {24, "shipping_city", "Shipping City", DataType::kString, kEqInNe, false, false},
      {25, "shipping_country", "Shipping Country", DataType::kString, kEqInNe, true, false},
      {26, "shipping_postal_code", "Shipping Postal Code", DataType::kString, kEqInNe, false, true},
  };
  return fields;
}

}  // namespace fraudgov::domain
