#pragma once
// Seeded random condition trees over a catalog: each comes as the input, written in a random mix of
// the three notations, and the normalized tree it must produce.

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/time.h"
#include "compiler/field_catalog.h"

namespace fraudgov::testing {

class TreeGenerator {
 public:
  struct Sample {
    boost::json::value input;
    boost::json::value expected;
  };

  TreeGenerator(const compiler::FieldCatalog& catalog, std::uint64_t seed) : rng_(seed) {
    for (const auto& [key, spec] : catalog) fields_.push_back(&spec);
    // Iteration order of the map is not part of the seed: sort so the sequence is reproducible.
    std::sort(fields_.begin(), fields_.end(), [](auto* a, auto* b) { return a->field_id < b->field_id; });
  }

  Sample tree(int depth_budget) {
    if (depth_budget == 0 || chance(30)) return leaf();
    return logical(depth_budget);
  }

  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return below(100) < percent; }

 private:
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
  }

  std::string text() {
    static const std::vector<std::string> pool = {
        "USD",      "EUR",  "Caf\xc3\xa9", "\xe6\x9d\xb1\xe4\xba\xac", "a\"b\\c", "line\nbreak", "",
        " spaced ", "7995", "POS"};
    if (chance(50)) return pick(pool);
    std::string out;
    for (int i = below(12); i >= 0; --i) out += static_cast<char>('a' + below(26));
    return out;
  }

  boost::json::value number() {
    switch (below(3)) {
      case 0:
        return std::int64_t{below(2'000'001) - 1'000'000};
      case 1:
        return (below(2'000'001) - 1'000'000) / 8.0;
      default:
        return std::uint64_t{18'000'000'000'000'000'000ull} + static_cast<std::uint64_t>(below(1000));
    }
  }

  std::string date() {
    static const std::vector<std::string> offsets = {"Z", "+02:00", "-0530", "", "+00:00"};
    // One draw per statement: argument evaluation order is unspecified, the sequence must not be.
    const int year = 2020 + below(10);
    const int month = 1 + below(12);
    const int day = 1 + below(28);
    const std::string date = fmt::format("{}-{:02}-{:02}", year, month, day);
    if (chance(25)) return date;
    const char separator = chance(50) ? 'T' : ' ';
    const int h = below(24);
    const int m = below(60);
    const int s = below(60);
    const char* fraction = chance(30) ? ".123456" : "";
    return fmt::format("{}{}{:02}:{:02}:{:02}{}{}", date, separator, h, m, s, fraction, pick(offsets));
  }

  boost::json::value scalar(domain::DataType type) {
    switch (type) {
      case domain::DataType::kNumber:
        return number();
      case domain::DataType::kBoolean:
        return chance(50);
      case domain::DataType::kDate:
        return boost::json::value(date());
      default:
        return boost::json::value(text());
    }
  }

  boost::json::value between(domain::DataType type) {
    boost::json::value low = scalar(type), high = scalar(type);
    const bool swap = type == domain::DataType::kDate
                          ? parseIso(low.as_string().c_str())->micros > parseIso(high.as_string().c_str())->micros
                          : low.to_number<double>() > high.to_number<double>();
    if (swap) std::swap(low, high);
    return boost::json::array{low, high};
  }

  boost::json::value operand(const compiler::FieldSpec& field, domain::Operator op) {
    if (op == domain::Operator::kBetween) return between(field.data_type);
    if (!domain::isMultiValueOperator(op)) return scalar(field.data_type);
    boost::json::array list;
    for (int i = below(5); i >= 0; --i) list.push_back(scalar(field.data_type));
    return list;
  }

  Sample leaf() {
    const compiler::FieldSpec& field = *pick(fields_);
    std::vector<domain::Operator> ops;
    for (auto op : field.allowed_operators) {
      if (!domain::isMultiValueOperator(op) || field.multi_value_allowed) ops.push_back(op);
    }
    const domain::Operator op = pick(ops);
    const std::string name(domain::operatorName(op));
    boost::json::value value = operand(field, op);
    boost::json::object in;
    if (chance(40)) in["type"] = pick(std::vector<std::string>{"CONDITION", "condition", "Condition"});
    if (chance(70)) {
      in["field"] = field.field_key;
    } else {
      in["field"] = boost::json::object{{"field_key", field.field_key}};
    }
    const int op_form = below(3);
    if (op_form != 1) in["op"] = name;
    if (op_form != 0) in["operator"] = name;
    in["value"] = value;
    return {in, boost::json::object{{"field", field.field_key}, {"op", name}, {"value", value}}};
  }

  Sample logical(int depth_budget) {
    static const std::vector<std::string> kinds = {"and", "or", "not"};
    const std::string kind = pick(kinds);
    if (kind == "not") {
      Sample child = tree(depth_budget - 1);
      return {negation(std::move(child.input)), boost::json::object{{"not", std::move(child.expected)}}};
    }
    boost::json::array inputs, expected;
    for (int i = below(4); i >= 0; --i) {
      Sample child = tree(depth_budget - 1);
      inputs.push_back(std::move(child.input));
      expected.push_back(std::move(child.expected));
    }
    boost::json::object in;
    switch (below(3)) {
      case 0:
        in[kind] = std::move(inputs);
        break;
      case 1:
        in["type"] = chance(50) ? upper(kind) : kind;
        in["conditions"] = std::move(inputs);
        break;
      default:
        in["logicalOperator"] = upper(kind);
        in["conditions"] = std::move(inputs);
        break;
    }
    return {in, boost::json::object{{kind, std::move(expected)}}};
  }

  boost::json::value negation(boost::json::value child) {
    switch (below(5)) {
      case 0:
        return boost::json::object{{"not", std::move(child)}};
      case 1:
        return boost::json::object{{"type", "NOT"}, {"condition", std::move(child)}};
      case 2:
        return boost::json::object{{"type", "not"}, {"conditions", boost::json::array{std::move(child)}}};
      case 3:
        return boost::json::object{{"logicalOperator", "NOT"}, {"conditions", boost::json::array{std::move(child)}}};
      default:
        return boost::json::object{{"logicalOperator", "NOT"}, {"condition", std::move(child)}};
    }
  }

  static std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(c - 'a' + 'A');
    return s;
  }

  std::mt19937_64 rng_;
  std::vector<const compiler::FieldSpec*> fields_;
};

}  // namespace fraudgov::testing
