// Counts the test binary's live heap bytes (global operator new/delete are
// replaced in heap_meter.cpp), so that a test can assert that a parser's
// memory does not grow with its input. Exact, and unaffected by sanitizers
// that hold freed memory back (which makes RSS useless for this).
#pragma once

#include <cstddef>

namespace sseccoe::catalog::testing {

std::size_t live_heap_bytes();
std::size_t peak_heap_bytes();
void reset_peak_heap_bytes();  // peak := live

}  // namespace sseccoe::catalog::testing
