// What can go wrong talking to a mail server, as exception types the source
// turns into its policy: a network or server failure ends the pass (the
// cursor has not moved past anything that is not durable, so the next pass
// resumes), a refused login or an untrusted certificate says what the
// operator must change, a stop request unwinds quietly.
#pragma once

#include <stdexcept>
#include <string>

namespace sseccoe::imap {

// The connection failed or was lost (refused, reset, timed out, closed by
// the server). Retrying later may work.
struct NetworkError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The TLS handshake failed or the server's certificate was not trusted for
// the host. Retrying will not help until the configuration or the server
// changes.
struct TlsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The server refused the credentials. The message never contains them.
struct AuthError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The server answered something this client cannot parse, or NO/BAD to a
// command that must succeed.
struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The server answered NO or BAD to a command (a folder that cannot be
// opened, a search it refused). The connection itself is still usable.
struct CommandRefused : ProtocolError {
  using ProtocolError::ProtocolError;
};

// A stop was requested while waiting on the network.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("stopped") {}
};

}  // namespace sseccoe::imap
