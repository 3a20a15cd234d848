// The connection string: read from `dsn_file` at each connection (so a
// rotated password is picked up without a restart), held only as long as the
// connection attempt needs it, and never shown. Every message that may quote
// it passes through scrub().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::sql {

// A DSN file larger than this is not a connection string.
constexpr std::size_t kMaxDsnBytes = 64 * 1024;

// A string that is overwritten with zeros when it dies. Best effort: libpq
// keeps its own copy while connecting; this only keeps the agent's copies
// from lingering in freed memory.
class SecretText {
 public:
  SecretText() = default;
  explicit SecretText(std::string value) : value_(std::move(value)) {}
  ~SecretText();
  SecretText(SecretText&& other) noexcept;
  SecretText& operator=(SecretText&& other) noexcept;
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;

  const std::string& view() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  void wipe();
  std::string value_;
};

struct Dsn {
  SecretText text;                   // as in the file, surrounding white space removed
  std::vector<std::string> secrets;  // values to hide in any message (the password)
};

// Reads and checks the DSN file. Throws std::runtime_error naming the path
// (never the contents) when the file is missing, unreadable, not a regular
// file, empty, too large, or not something libpq can parse: libpq's parse
// message is withheld, since it quotes the text around the fault, which may
// be the password.
Dsn read_dsn_file(const std::string& path);

// Parses a DSN held in memory (what read_dsn_file does after reading).
// Throws std::invalid_argument with a message that quotes nothing of `text`.
Dsn parse_dsn(std::string text);

// `text` with every secret replaced by "***", and, defensively, any
// password=VALUE (conninfo or URI query) and user:PASSWORD@ (URI) too.
std::string scrub(std::string_view text, const std::vector<std::string>& secrets);

// A libpq message on one line: line breaks and runs of spaces become one
// space, trailing white space goes.
std::string one_line(std::string_view text);

}  // namespace sseccoe::sql
