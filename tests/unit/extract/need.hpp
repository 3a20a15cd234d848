// A tool a test needs (qpdf, pdftotext, python3, the reader itself): where
// it is missing the test is skipped with the reason, except under CI=true,
// where scripts/deps.sh test installs everything and a missing tool means
// the check silently did not run: there it fails.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace sseccoe::core::extract::testing {

inline bool under_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::strcmp(ci, "true") == 0;
}

}  // namespace sseccoe::core::extract::testing

#define SSECCOE_MISSING(reason)                                                                       \
  do {                                                                                                \
    if (::sseccoe::core::extract::testing::under_ci())                                                \
      GTEST_FAIL() << reason << " (CI=true: scripts/deps.sh test installs it)";                     \
    GTEST_SKIP() << reason;                                                                           \
  } while (0)
