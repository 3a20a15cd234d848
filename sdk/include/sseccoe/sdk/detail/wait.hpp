#pragma once
// Default polling wait, inline so that plugins need no SDK library.
#include <condition_variable>
#include <mutex>

namespace sseccoe::sdk {

inline void Source::wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, timeout, [] { return false; });
}

}  // namespace sseccoe::sdk
