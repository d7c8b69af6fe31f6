#pragma once
// The 26 standard fields of predecessor-spec 4.14 (the seed every deployment starts with) as a
// compiler catalog, for tests of anything that validates or evaluates condition trees.

#include <initializer_list>
#include <string>

#include "compiler/field_catalog.h"

namespace fraudgov::testing {

inline void addField(compiler::FieldCatalog& catalog, int id, std::string key, domain::DataType type,
                     std::initializer_list<domain::Operator> ops, bool multi, bool sensitive) {
  catalog[key] = compiler::FieldSpec{key, id, type, ops, multi, sensitive};
}

inline compiler::FieldCatalog standardCatalog() {
  using domain::DataType;
  using enum domain::Operator;
  const auto kStr = DataType::kString;
  compiler::FieldCatalog c;
  addField(c, 1, "transaction_id", kStr, {kEq, kNe}, false, false);
  addField(c, 2, "card_hash", kStr, {kEq, kIn, kNe}, true, true);
  addField(c, 3, "amount", DataType::kNumber, {kEq, kGt, kGte, kLt, kLte, kBetween}, false, false);
  addField(c, 4, "currency", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 5, "merchant_id", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 6, "merchant_name", kStr, {kEq, kIn, kNe, kContains}, false, false);
  addField(c, 7, "merchant_category", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 8, "merchant_category_code", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 9, "merchant_city", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 10, "card_present", DataType::kBoolean, {kEq, kNe}, false, false);
  addField(c, 11, "transaction_type", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 12, "entry_mode", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 13, "country_code", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 14, "pos_entry_mode", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 15, "ip_address", kStr, {kEq, kIn, kNe}, false, true);
  addField(c, 16, "device_id", kStr, {kEq, kIn, kNe}, false, true);
  addField(c, 17, "email", kStr, {kEq, kIn, kNe}, false, true);
  addField(c, 18, "phone", kStr, {kEq, kIn, kNe}, false, true);
  addField(c, 19, "timestamp", DataType::kDate, {kEq, kGt, kGte, kLt, kLte, kBetween}, false, false);
  addField(c, 20, "billing_city", kStr, {kEq, kIn, kNe}, false, false);
  addField(c, 21, "billing_country", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 22, "billing_postal_code", kStr, {kEq, kIn, kNe}, false, true);
  addField(c, 23, "billing_line1", kStr, {kEq, kIn, kNe}, false, true);
  addField(c, 24, "shipping_city", kStr, {kEq, kIn, kNe}, false, false);
  addField(c, 25, "shipping_country", kStr, {kEq, kIn, kNe}, true, false);
  addField(c, 26, "shipping_postal_code", kStr, {kEq, kIn, kNe}, false, true);
  return c;
}

// The standard fields plus one field per data type that allows every operator its type supports
// (multi-value allowed), so tests can reach operators no standard field permits (REGEX, ENUM, ...).
inline compiler::FieldCatalog extendedCatalog() {
  using domain::DataType;
  using enum domain::Operator;
  compiler::FieldCatalog c = standardCatalog();
  addField(c, 27, "description", DataType::kString, {kEq, kNe, kIn, kNotIn, kContains, kStartsWith, kEndsWith, kRegex},
           true, false);
  addField(c, 28, "score", DataType::kNumber, {kEq, kNe, kIn, kNotIn, kGt, kGte, kLt, kLte, kBetween}, true, false);
  addField(c, 29, "settled_at", DataType::kDate, {kEq, kNe, kIn, kNotIn, kGt, kGte, kLt, kLte, kBetween}, true, false);
  addField(c, 30, "risk_level", DataType::kEnum, {kEq, kNe, kIn, kNotIn}, true, false);
  addField(c, 31, "is_vip", DataType::kBoolean, {kEq, kNe}, false, false);
  return c;
}

}  // namespace fraudgov::testing
