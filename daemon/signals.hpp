// The service's signals, taken by one thread with sigwait(): SIGTERM and
// SIGINT stop the service, SIGHUP (what `systemctl reload` sends) asks for
// a configuration reload. The main thread waits for either with next().
#pragma once

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace sseccoe::agent {

class Signals {
 public:
  enum class Event { Stop, Reload };

  // Blocks SIGTERM, SIGINT and SIGHUP in the calling thread, so in every
  // thread started after it (the signals must reach sigwait, not kill the
  // process; poco#2978), then starts the waiting thread. Construct it before
  // any other thread. `reload_allowed`: false for `run --once`, where a
  // SIGHUP is logged and ignored.
  explicit Signals(bool reload_allowed);
  // Ends the waiting thread without logging a stop.
  ~Signals();
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;

  // Waits for the next event. Stop wins over a pending reload; several
  // SIGHUPs that arrive before next() is called are one reload.
  Event next();
  // Requested on SIGTERM/SIGINT.
  std::stop_token stop_token() const { return stop_.get_token(); }

 private:
  void wait_loop();

  bool reload_allowed_;
  sigset_t set_{};
  std::stop_source stop_;
  std::atomic<bool> closing_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool reload_ = false;
  std::thread thread_;
};

}  // namespace sseccoe::agent
