// The reader's failures. Every message says what is wrong with the workbook
// in words an operator can act on; the source adds the file's name.
#pragma once

#include <stdexcept>
#include <string>

namespace sseccoe::xlsx {

// The workbook cannot be read (or not to its end): not a ZIP, truncated, a
// zip bomb, a duplicate entry, XML with a DTD, a missing sheet, ...
struct XlsxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown out of a sheet being read when the harvest's stop token fires, so
// that a long sheet stops between two rows.
struct StopRequested : std::exception {
  const char* what() const noexcept override { return "stop requested"; }
};

}  // namespace sseccoe::xlsx
