#include "signals.hpp"

#include <spdlog/spdlog.h>

namespace sseccoe::agent {

Signals::Signals(bool reload_allowed) : reload_allowed_(reload_allowed) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  thread_ = std::thread([this] { wait_loop(); });
}

Signals::~Signals() {
  if (thread_.joinable()) {
    closing_ = true;
    // The signal is blocked everywhere, so it stays pending for this thread
    // and its sigwait() returns it; closing_ says it is not an operator's.
    pthread_kill(thread_.native_handle(), SIGTERM);
    thread_.join();
  }
}

void Signals::wait_loop() {
  for (;;) {
    int sig = 0;
    if (sigwait(&set_, &sig) != 0) continue;
    if (closing_) return;
    if (sig == SIGHUP) {
      if (!reload_allowed_) {
        spdlog::info("received SIGHUP: ignored by 'run --once' (it reads the configuration when it starts)");
        continue;
      }
      spdlog::info("received SIGHUP: reloading the configuration");
      {
        std::lock_guard lock(mu_);
        reload_ = true;
      }
      cv_.notify_all();
      continue;
    }
    spdlog::info("received {}: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    {
      // Under the lock, so that next() cannot miss the wake-up between its
      // check and its wait.
      std::lock_guard lock(mu_);
      stop_.request_stop();
    }
    cv_.notify_all();
    return;
  }
}

Signals::Event Signals::next() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return reload_ || stop_.stop_requested(); });
  if (stop_.stop_requested()) return Event::Stop;
  reload_ = false;
  return Event::Reload;
}

}  // namespace sseccoe::agent
