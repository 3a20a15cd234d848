// A plugin's message that already names its source is not prefixed twice.
#include <gtest/gtest.h>

#include "util/log.hpp"

namespace sseccoe::util {
namespace {

TEST(SourceMessage, PrefixesOnce) {
  EXPECT_EQ(source_message("rh", "file missing"), "source 'rh': file missing");
  EXPECT_EQ(source_message("rh", "source 'rh': file missing"), "source 'rh': file missing");
  // Another source's name is part of the message, not a prefix to drop.
  EXPECT_EQ(source_message("rh", "source 'rh2': x"), "source 'rh': source 'rh2': x");
  EXPECT_EQ(without_source_prefix("rh", "source 'rh': x"), "x");
  EXPECT_EQ(without_source_prefix("rh", "x source 'rh': y"), "x source 'rh': y");
}

}  // namespace
}  // namespace sseccoe::util
