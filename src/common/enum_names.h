#pragma once

// The names an enum has outside the process (JSON, SQL, logs, metric labels), written once as a
// table and read both ways, so a name and its parse can never drift apart.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace fraudgov {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

template <class E, std::size_t N>
using EnumNames = std::array<EnumName<E>, N>;

// Builds a table whose entries are the enumerators in declaration order, from the first: a table
// that skips, repeats or reorders one does not compile, so nameOf can index it. (Nothing can see
// an enumerator appended after the table's last entry: add its name with it.)
template <class E, std::size_t N>
consteval EnumNames<E, N> enumNames(const EnumName<E> (&entries)[N]) {
  EnumNames<E, N> table{};
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(static_cast<std::underlying_type_t<E>>(entries[i].value)) != i) {
      throw "an enum name table lists every enumerator once, in declaration order";
    }
    table[i] = entries[i];
  }
  return table;
}

// Empty only for a value no enumerator has (a cast from outside the enum).
template <class E, std::size_t N>
constexpr std::string_view nameOf(const EnumNames<E, N>& table, E value) {
  const auto index = static_cast<std::size_t>(static_cast<std::underlying_type_t<E>>(value));
  return index < N ? table[index].name : std::string_view{};
}

// Exact match only: a name the table does not hold is nullopt, never a default.
template <class E, std::size_t N>
constexpr std::optional<E> parseName(const EnumNames<E, N>& table, std::string_view text) {
  for (const auto& entry : table) {
    if (entry.name == text) return entry.value;
  }
  return std::nullopt;
}

// Every enumerator, in declaration order.
template <class E, std::size_t N>
constexpr std::array<E, N> enumValues(const EnumNames<E, N>& table) {
  std::array<E, N> values{};
  for (std::size_t i = 0; i < N; ++i) values[i] = table[i].value;
  return values;
}

}  // namespace fraudgov
