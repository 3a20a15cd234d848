// Content-addressed file bytes: <root>/ab/cdef... (the first two hex digits
// of the SHA-256 name a directory, the other 62 the file). An upload streams
// into <root>/tmp/, is hashed while it is written, fsynced, and renamed into
// place only when its digest is the one the client announced; a reader never
// sees a partial or wrong file, and a crash leaves at most a temporary file,
// which the next start removes.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

namespace sseccoe::registry {

class FileStore {
 public:
  // Creates the directories; removes temporary files left by a crash.
  explicit FileStore(std::string root);

  enum class Outcome { stored, digest_mismatch, too_large };
  struct Result {
    Outcome outcome = Outcome::stored;
    std::uint64_t size = 0;    // bytes read from the body
    std::string actual_sha256;  // what the body hashes to (when fully read)
  };

  // Streams `body` to disk in fixed-size chunks (memory does not grow with
  // the file), at most `limit` bytes: one more byte is too_large and nothing
  // is kept. Throws std::runtime_error on an I/O failure (disk full, ...).
  Result store(std::istream& body, const std::string& expected_sha256, std::uint64_t limit);

  // Reads and hashes `body` without keeping it: for an upload of a file that
  // is already present, so that the connection stays usable and a wrong body
  // is still reported.
  Result verify_only(std::istream& body, const std::string& expected_sha256, std::uint64_t limit);

  bool exists(const std::string& sha256) const;
  std::string path_of(const std::string& sha256) const;

 private:
  std::string root_;
};

// Reads and discards up to `max` bytes of `in`; true when the stream ended
// within that budget (the connection can then be kept alive).
bool drain(std::istream& in, std::uint64_t max);

}  // namespace sseccoe::registry
