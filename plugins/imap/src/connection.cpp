#include "connection.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "errors.hpp"

namespace sseccoe::imap {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// OpenSSL writes to the socket with write(): a peer that hung up would raise
// SIGPIPE, which kills a process that does not ignore it. Block it in this
// thread for the duration of a TLS call and swallow one we caused.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{};
        while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool was_pending_ = false;
};

std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no detail from OpenSSL" : out;
}

bool is_ip_literal(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

bool loopback_address(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
  }
  if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    if (IN6_IS_ADDR_LOOPBACK(&a->sin6_addr)) return true;
    // ::ffff:127.x.y.z
    return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127;
  }
  return false;
}

std::string address_text(const sockaddr* sa, socklen_t len) {
  char host[NI_MAXHOST];
  if (getnameinfo(sa, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) return "?";
  return host;
}

milliseconds left_until(Clock::time_point deadline) {
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(deadline - Clock::now()));
}

// Polls `fd` for `events` (and `cancel_fd` for readability) until `deadline`.
// Returns 1 when fd is ready, 0 on timeout, -1 when cancelled.
int poll_until(int fd, short events, int cancel_fd, Clock::time_point deadline) {
  for (;;) {
    pollfd fds[2] = {{fd, events, 0}, {cancel_fd, POLLIN, 0}};
    const auto left = left_until(deadline).count();
    const int r = ::poll(fds, cancel_fd >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (r < 0) {
      if (errno == EINTR) continue;
      return 0;
    }
    if (cancel_fd >= 0 && fds[1].revents != 0) return -1;
    if (r == 0) {
      if (Clock::now() >= deadline) return 0;
      continue;
    }
    if (fds[0].revents != 0) return 1;
  }
}

// Connects one address without blocking longer than `deadline`. Returns the
// socket, or -1 with `why` set.
int connect_one(const addrinfo* ai, int cancel_fd, Clock::time_point deadline, std::string& why) {
  const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) {
    why = std::strerror(errno);
    return -1;
  }
  if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
    why = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  const int ready = poll_until(fd, POLLOUT, cancel_fd, deadline);
  if (ready < 0) {
    ::close(fd);
    throw Cancelled();
  }
  if (ready == 0) {
    why = "no answer before the timeout";
    ::close(fd);
    return -1;
  }
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    why = std::strerror(err);
    ::close(fd);
    return -1;
  }
  const int one = 1;
  // Commands are small and each waits for its answer: do not let Nagle hold them.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  return fd;
}

std::string verify_advice(long result, const TlsSettings& tls) {
  switch (result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return "the certificate is not valid for '" + tls.host +
             "': put in url the name the certificate was issued for";
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "check the server's certificate dates and this machine's clock";
    default:
      if (tls.ca_file.empty())
        return "if the server uses a private CA, set ca_file to that CA's certificate (PEM)";
      return "ca_file " + tls.ca_file + " does not hold the CA that issued the server's certificate";
  }
}

}  // namespace

struct Connection::Tls {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  ~Tls() {
    if (ssl != nullptr) SSL_free(ssl);
    if (ctx != nullptr) SSL_CTX_free(ctx);
  }
};

Connection::Connection(int fd, std::string where, bool loopback, milliseconds timeout, int cancel_fd)
    : fd_(fd), where_(std::move(where)), loopback_(loopback), timeout_(timeout), cancel_fd_(cancel_fd) {}

Connection::~Connection() {
  if (tls_) {
    // Best effort close_notify; the socket is non-blocking, so this never waits.
    SigpipeGuard guard;
    SSL_shutdown(tls_->ssl);
    tls_.reset();
  }
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<Connection> Connection::open(const std::string& host, std::uint16_t port, milliseconds timeout,
                                             int cancel_fd) {
  const std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                            std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  const std::string service = std::to_string(port);
  if (const int r = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list); r != 0) {
    throw NetworkError("cannot resolve the mail server name '" + host + "' (" + ::gai_strerror(r) +
                       "): check url and this machine's DNS");
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(list, &::freeaddrinfo);
  const Clock::time_point deadline = Clock::now() + timeout;
  std::string problems;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    std::string why;
    const int fd = connect_one(ai, cancel_fd, deadline, why);
    if (fd >= 0) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      const bool loopback = ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0 && loopback_address(peer);
      return std::unique_ptr<Connection>(new Connection(fd, where, loopback, timeout, cancel_fd));
    }
    if (!problems.empty()) problems += "; ";
    problems += address_text(ai->ai_addr, ai->ai_addrlen) + ": " + why;
  }
  throw NetworkError("cannot connect to the mail server " + where + " (" + problems +
                     "): check url, that the server runs and that no firewall blocks the port");
}

bool Connection::wait(short events, milliseconds timeout) {
  const int r = poll_until(fd_, events, cancel_fd_, Clock::now() + timeout);
  if (r < 0) throw Cancelled();
  return r > 0;
}

void Connection::timed_out(const char* doing) const {
  throw NetworkError("the mail server " + where_ + " went silent for " +
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout_).count()) +
                     " s while " + doing + ": check the server and the network (option 'timeout')");
}

void Connection::start_tls(const TlsSettings& tls) {
  auto t = std::make_unique<Tls>();
  t->ctx = SSL_CTX_new(TLS_client_method());
  if (t->ctx == nullptr) throw TlsError("cannot set up TLS: " + openssl_errors());
  SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, nullptr);
  // A peer that closes without close_notify is simply "closed": the IMAP
  // layer knows whether it was mid-response.
  SSL_CTX_set_options(t->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (tls.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(t->ctx) != 1)
      throw TlsError("cannot load the system's trusted CAs (" + openssl_errors() +
                     "): install ca-certificates or set ca_file");
  } else {
    if (SSL_CTX_load_verify_locations(t->ctx, tls.ca_file.c_str(), nullptr) != 1)
      throw TlsError("ca_file " + tls.ca_file + " cannot be used (" + openssl_errors() +
                     "): it must be a readable PEM file of CA certificates");
    // Lets ca_file pin the server's own (self-signed) certificate too.
    X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(t->ctx), X509_V_FLAG_PARTIAL_CHAIN);
  }
  t->ssl = SSL_new(t->ctx);
  if (t->ssl == nullptr || SSL_set_fd(t->ssl, fd_) != 1) throw TlsError("cannot set up TLS: " + openssl_errors());
  X509_VERIFY_PARAM* param = SSL_get0_param(t->ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (is_ip_literal(tls.host)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, tls.host.c_str()) != 1)
      throw TlsError("cannot verify the address " + tls.host + ": " + openssl_errors());
  } else {
    if (SSL_set_tlsext_host_name(t->ssl, tls.host.c_str()) != 1 || SSL_set1_host(t->ssl, tls.host.c_str()) != 1)
      throw TlsError("cannot verify the name " + tls.host + ": " + openssl_errors());
  }

  SigpipeGuard guard;
  const Clock::time_point deadline = Clock::now() + timeout_;
  for (;;) {
    ERR_clear_error();
    const int r = SSL_connect(t->ssl);
    if (r == 1) break;
    const int err = SSL_get_error(t->ssl, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      const int ready = poll_until(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, cancel_fd_, deadline);
      if (ready < 0) throw Cancelled();
      if (ready == 0) timed_out("negotiating TLS");
      continue;
    }
    const long verify = SSL_get_verify_result(t->ssl);
    if (verify != X509_V_OK) {
      throw TlsError("the TLS certificate of " + where_ + " is not trusted (" +
                     X509_verify_cert_error_string(verify) + "): " + verify_advice(verify, tls));
    }
    const std::string detail = err == SSL_ERROR_SYSCALL && errno != 0 ? std::strerror(errno) : openssl_errors();
    throw TlsError("the TLS handshake with " + where_ + " failed (" + detail +
                   "): check that this port speaks TLS (imaps:// is usually port 993; imap:// uses STARTTLS, "
                   "usually port 143)");
  }
  tls_ = std::move(t);
}

std::string Connection::tls_version() const { return tls_ ? SSL_get_version(tls_->ssl) : ""; }

std::size_t Connection::read_some(char* buf, std::size_t size) {
  if (!tls_) {
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, size, 0);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait(POLLIN, timeout_)) timed_out("the agent waited for its answer");
        continue;
      }
      throw NetworkError("the connection to " + where_ + " failed while reading (" + std::strerror(errno) + ")");
    }
  }
  SigpipeGuard guard;  // a read may write (a TLS 1.3 key update)
  for (;;) {
    ERR_clear_error();
    std::size_t got = 0;
    if (SSL_read_ex(tls_->ssl, buf, size, &got) == 1) return got;
    const int err = SSL_get_error(tls_->ssl, 0);
    switch (err) {
      case SSL_ERROR_ZERO_RETURN: return 0;
      case SSL_ERROR_WANT_READ:
        if (!wait(POLLIN, timeout_)) timed_out("the agent waited for its answer");
        continue;
      case SSL_ERROR_WANT_WRITE:
        if (!wait(POLLOUT, timeout_)) timed_out("the agent waited for its answer");
        continue;
      case SSL_ERROR_SYSCALL:
        if (errno == 0) return 0;
        throw NetworkError("the connection to " + where_ + " failed while reading (" + std::strerror(errno) + ")");
      default:
        throw NetworkError("TLS error on the connection to " + where_ + " (" + openssl_errors() + ")");
    }
  }
}

void Connection::write_all(const char* data, std::size_t size) {
  if (!tls_) {
    while (size > 0) {
      const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
      if (n >= 0) {
        data += n;
        size -= static_cast<std::size_t>(n);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait(POLLOUT, timeout_)) timed_out("the agent was sending to it");
        continue;
      }
      throw NetworkError("the connection to " + where_ + " failed while writing (" + std::strerror(errno) + ")");
    }
    return;
  }
  SigpipeGuard guard;
  while (size > 0) {
    ERR_clear_error();
    std::size_t put = 0;
    if (SSL_write_ex(tls_->ssl, data, size, &put) == 1) {
      data += put;
      size -= put;
      continue;
    }
    const int err = SSL_get_error(tls_->ssl, 0);
    if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
      if (!wait(err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, timeout_)) timed_out("the agent was sending to it");
      continue;
    }
    if (err == SSL_ERROR_SYSCALL && errno != 0)
      throw NetworkError("the connection to " + where_ + " failed while writing (" + std::strerror(errno) + ")");
    throw NetworkError("TLS error on the connection to " + where_ + " while writing (" + openssl_errors() + ")");
  }
}

bool Connection::wait_readable(milliseconds timeout) {
  if (tls_ && SSL_pending(tls_->ssl) > 0) return true;
  return wait(POLLIN, timeout);
}

}  // namespace sseccoe::imap
