#include "api/object_reader.h"

namespace fraudgov::api {

std::optional<std::string> ObjectReader::requiredString(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v) {
    issue(std::string(key), "Field required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    issue(std::string(key), "Input should be a valid string");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::optional<std::string>> ObjectReader::optionalString(std::string_view key, bool nullable) {
  const auto* v = object_.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_null()) {
    if (nullable) return std::optional<std::string>{};
    issue(std::string(key), "Input should be a valid string, not null");
    return std::nullopt;
  }
  if (!v->is_string()) {
    issue(std::string(key), "Input should be a valid string");
    return std::nullopt;
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

std::optional<bool> ObjectReader::optionalBool(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    issue(std::string(key), "Input should be a valid boolean");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::int64_t> ObjectReader::optionalInt(std::string_view key, std::int64_t min, std::int64_t max,
                                                      bool nullable) {
  const auto* v = object_.if_contains(key);
  if (!v || (nullable && v->is_null())) return std::nullopt;
  std::optional<std::int64_t> value;
  if (v->is_int64()) value = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    value = static_cast<std::int64_t>(v->as_uint64());
  }
  if (!value) {
    issue(std::string(key), "Input should be a valid integer");
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    issue(std::string(key),
          std::string(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<boost::json::object> ObjectReader::optionalObject(std::string_view key, bool nullable) {
  const auto* v = object_.if_contains(key);
  if (!v || (nullable && v->is_null())) return std::nullopt;
  if (!v->is_object()) {
    issue(std::string(key), "Input should be a valid object");
    return std::nullopt;
  }
  return v->as_object();
}

std::optional<std::vector<std::string>> ObjectReader::stringArray(std::string_view key, bool required) {
  const auto* v = object_.if_contains(key);
  if (!v) {
    if (required) issue(std::string(key), "Field required");
    return std::nullopt;
  }
  if (!v->is_array()) {
    issue(std::string(key), "Input should be a valid list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const auto& array = v->as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string()) {
      issue(std::string(key) + "[" + std::to_string(i) + "]", "Input should be a valid string");
      return std::nullopt;
    }
    out.emplace_back(array[i].as_string());
  }
  return out;
}

}  // namespace fraudgov::api
