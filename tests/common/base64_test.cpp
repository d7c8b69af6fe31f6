#include "common/base64.h"

#include <gtest/gtest.h>

namespace fraudgov {

TEST(Base64, RoundTripsAllLengths) {
  std::string data;
  for (int i = 0; i < 64; ++i) {
    data.push_back(static_cast<char>(i * 37));
    EXPECT_EQ(base64::decode(base64::encode(data)), data);
    EXPECT_EQ(base64::decodeUrl(base64::encodeUrl(data)), data);
  }
}

TEST(Base64, KnownVectors) {
  EXPECT_EQ(base64::encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64::encode("fo"), "Zm8=");
  EXPECT_EQ(base64::encodeUrl("\xfb\xff"), "-_8");
}

TEST(Base64, RefusesGarbage) {
  EXPECT_FALSE(base64::decode("Zm9v!mFy"));
  EXPECT_FALSE(base64::decode("Zm8"));       // missing padding
  EXPECT_FALSE(base64::decodeUrl("Zm9v+"));  // wrong alphabet
  EXPECT_FALSE(base64::decodeUrl("Zm9"));    // non-canonical trailing bits? "Zm9" decodes "fo" + bits
  EXPECT_FALSE(base64::decodeUrl("A"));
}

}  // namespace fraudgov
