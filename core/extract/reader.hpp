// The client of sseccoe-reader, the child process that parses untrusted
// documents (reader/): a PDF's text with poppler-cpp, an image's size and
// EXIF date with libexif. A parser bug in a hostile file must cost one item,
// not the daemon: the child runs with limits on CPU time, memory, output and
// wall time, and whatever goes wrong there (a crash, a hang, a limit) comes
// back as a ReaderError whose message says which, for the quarantine.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sseccoe::core::extract {

struct ReaderLimits {
  std::chrono::seconds cpu{10};                 // RLIMIT_CPU of the child
  std::uint64_t memory_bytes = 512ull << 20;    // RLIMIT_AS of the child
  std::uint64_t output_bytes = 8ull << 20;      // more output than this: refused
  std::chrono::milliseconds wall{30000};        // then SIGKILL
  int max_pages = 50;                           // a certificate has one or two
};

struct PdfText {
  std::vector<std::string> pages;  // UTF-8, one per page read, in reading order
  int page_count = 0;              // pages in the document (may exceed pages.size())
  bool encrypted = false;          // opened (an empty user password) or not
  // True when no page has any text (a scan or a photo saved as PDF).
  bool no_text() const;
};

struct ImageInfo {
  int width = 0, height = 0;
  std::string format;             // "png", "jpeg", ...
  std::string datetime_original;  // EXIF DateTimeOriginal as ISO "2021-05-14T10:00:00", or ""
};

struct ReaderError : std::runtime_error {
  // What went wrong, for a caller that treats causes differently (a limit
  // may deserve a retry with more room; a password or "not a PDF" never
  // will). The message says the same in words.
  enum class Cause {
    failed,        // anything else: the program is missing, printed no JSON, exited oddly
    not_a_pdf,     // the file is not a PDF
    damaged,       // a PDF poppler cannot open
    password,      // a PDF that needs a password
    unsupported,   // not an image this reader knows, or a broken image header
    cpu_limit,     // killed by RLIMIT_CPU
    memory_limit,  // ran out of its RLIMIT_AS
    wall_limit,    // killed at the wall-clock deadline
    output_limit,  // printed more than output_bytes
    crashed,       // died of a signal (SIGSEGV, SIGABRT, ...)
  };
  using std::runtime_error::runtime_error;
  ReaderError(Cause c, const std::string& what) : std::runtime_error(what), cause(c) {}
  Cause cause = Cause::failed;
};

class DocumentReader {
 public:
  // `program`: the sseccoe-reader executable; default_program() finds it.
  explicit DocumentReader(std::string program, ReaderLimits limits = {});

  // Beside the agent: <exe>/../lib/sseccoe-agent/sseccoe-reader (the build
  // tree and an installed system alike), or $SSECCOE_READER when set.
  static std::string default_program();

  // Throw ReaderError (not a PDF, damaged, a password needed, a limit hit,
  // the child crashed) with a message fit for the quarantine.
  // Thread-safe: each call runs its own child and shares no state. The
  // child is reaped before the call returns or throws; callers must not
  // reap children they did not start (waitpid(-1, ...)) or set SIGCHLD to
  // SIG_IGN, which would take that child's status from us.
  PdfText pdf_text(const std::string& file) const;
  ImageInfo image_info(const std::string& file) const;

  const ReaderLimits& limits() const { return limits_; }
  const std::string& program() const { return program_; }

 private:
  std::string program_;
  ReaderLimits limits_;
};

}  // namespace sseccoe::core::extract
