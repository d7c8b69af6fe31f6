#pragma once
// A test suite sharing one moto_server (S3 and Secrets Manager emulator, started on loopback for
// the suite). moto_server is part of the image: its absence fails every test, never skips one.
#include <gtest/gtest.h>

#include <string>

#include "support/moto_server.h"

namespace fraudgov::testing {

class MotoSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    moto_ = new MotoServer();
    if (auto started = moto_->start(); !started) start_error_ = new std::string(started.error().message);
  }
  static void TearDownTestSuite() {
    delete moto_;
    moto_ = nullptr;
    delete start_error_;
    start_error_ = nullptr;
  }
  // Derived fixtures call this first and return when it failed (HasFatalFailure()).
  void SetUp() override { ASSERT_EQ(start_error_, nullptr) << *start_error_; }

  inline static MotoServer* moto_ = nullptr;
  inline static std::string* start_error_ = nullptr;
};

}  // namespace fraudgov::testing
