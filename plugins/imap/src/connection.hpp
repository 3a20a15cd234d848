// One TCP connection to a mail server, optionally upgraded to TLS (at once
// for imaps://, after STARTTLS for imap://). TLS is OpenSSL, always verified:
// the chain against `ca_file` or the system trust store, and the name (or IP
// address) the user configured against the certificate.
//
// Every wait (connect, handshake, read, write) polls the socket together with
// a cancel descriptor (an eventfd the source signals when a stop is
// requested) and gives up after the inactivity timeout, so a stalled server
// never holds the agent and a stop is immediate.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace sseccoe::imap {

struct TlsSettings {
  std::string host;     // the name (or IP literal) the certificate must be valid for
  std::string ca_file;  // PEM file of trusted CAs (or a pinned certificate); empty: system store
};

class Connection {
 public:
  // Resolves `host` and connects to the first of its addresses that accepts
  // within `timeout`. `cancel_fd` (or -1) aborts any wait with Cancelled once
  // readable. Throws NetworkError naming the host and port.
  static std::unique_ptr<Connection> open(const std::string& host, std::uint16_t port,
                                          std::chrono::milliseconds timeout, int cancel_fd);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Performs the TLS handshake on the open connection and verifies the
  // server. Throws TlsError with what was wrong and what to do.
  void start_tls(const TlsSettings& tls);
  bool secure() const { return tls_ != nullptr; }
  // "TLSv1.3" once secure.
  std::string tls_version() const;

  // The peer is 127.0.0.0/8 or ::1 (plaintext IMAP is allowed only there).
  bool peer_is_loopback() const { return loopback_; }
  // "host:port" as configured, for messages.
  const std::string& where() const { return where_; }

  // Reads what is available (at least one byte), waiting up to the timeout.
  // Returns 0 when the server closed the connection. Throws NetworkError on
  // a timeout or error, Cancelled on a stop.
  std::size_t read_some(char* buf, std::size_t size);
  void write_all(const char* data, std::size_t size);

  // Waits until something can be read (true) or `timeout` passes (false),
  // without the inactivity limit: for IDLE. Throws Cancelled on a stop.
  bool wait_readable(std::chrono::milliseconds timeout);

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  Connection(int fd, std::string where, bool loopback, std::chrono::milliseconds timeout, int cancel_fd);
  // Polls the socket for `events` and the cancel descriptor. Returns false on
  // timeout; throws Cancelled.
  bool wait(short events, std::chrono::milliseconds timeout);
  [[noreturn]] void timed_out(const char* doing) const;

  int fd_ = -1;
  std::string where_;
  bool loopback_ = false;
  std::chrono::milliseconds timeout_;
  int cancel_fd_ = -1;
  struct Tls;
  std::unique_ptr<Tls> tls_;
};

}  // namespace sseccoe::imap
