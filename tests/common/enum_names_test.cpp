#include "common/enum_names.h"

#include <gtest/gtest.h>

namespace fraudgov {
namespace {

enum class Colour { kRed, kGreen, kBlue };

constexpr auto kColours = enumNames<Colour>({
    {Colour::kRed, "red"},
    {Colour::kGreen, "green"},
    {Colour::kBlue, "blue"},
});

}  // namespace

TEST(EnumNames, NameAndParseAreInverse) {
  for (const auto& [value, name] : kColours) {
    EXPECT_EQ(nameOf(kColours, value), name);
    EXPECT_EQ(parseName(kColours, name), value);
  }
  static_assert(nameOf(kColours, Colour::kGreen) == "green");
}

TEST(EnumNames, ParseIsExactAndStrict) {
  EXPECT_EQ(parseName(kColours, "Red"), std::nullopt);
  EXPECT_EQ(parseName(kColours, "red "), std::nullopt);
  EXPECT_EQ(parseName(kColours, ""), std::nullopt);
  EXPECT_EQ(parseName(kColours, "purple"), std::nullopt);
}

TEST(EnumNames, ValueOutsideTheEnumHasNoName) {
  EXPECT_EQ(nameOf(kColours, static_cast<Colour>(3)), "");
  EXPECT_EQ(nameOf(kColours, static_cast<Colour>(-1)), "");
}

}  // namespace fraudgov
