#include "shared_strings.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "cell_text.hpp"
#include "errors.hpp"
#include "sheet_reader.hpp"
#include "text_util.hpp"
#include "xml_parse.hpp"
#include "zip_package.hpp"

namespace sseccoe::xlsx {

namespace {

constexpr std::size_t kWriteBlock = 1 << 20;

[[noreturn]] void io_failure(const std::string& what, const std::string& dir) {
  throw std::runtime_error("cannot " + what + " the shared strings spill file in " + dir + ": " +
                           std::strerror(errno) + " (is the state disk full?)");
}

}  // namespace

SharedStrings::SharedStrings(std::uint64_t max_bytes, std::string spill_dir)
    : max_bytes_(max_bytes), spill_dir_(std::move(spill_dir)) {}

SharedStrings::~SharedStrings() {
  if (fd_ >= 0) ::close(fd_);
}

void SharedStrings::check_room(std::uint64_t more) const {
  if (offsets_.back() + more > max_bytes_)
    throw XlsxError("the shared strings (the sheet's texts) exceed " + human_size(max_bytes_) +
                    " (max_shared_strings_size): raise it if this export is genuine");
}

void SharedStrings::add(std::string_view s) {
  check_room(s.size());
  const std::uint64_t total = offsets_.back() + s.size();
  if (fd_ >= 0) {
    pending_.append(s);
    if (pending_.size() >= kWriteBlock) flush();
  } else {
    memory_.append(s);
    if (memory_.size() > kSpillThreshold && !spill_dir_.empty()) spill();
  }
  offsets_.push_back(total);
}

void SharedStrings::finish() {
  if (fd_ >= 0) flush();
}

void SharedStrings::spill() {
  std::string tmpl = spill_dir_ + "/xlsx-strings-XXXXXX";
  fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd_ < 0) io_failure("create", spill_dir_);
  // Unlinked at once: nothing is left behind, whatever happens to the agent.
  ::unlink(tmpl.c_str());
  pending_ = std::move(memory_);
  memory_ = std::string();
  flush();
}

void SharedStrings::flush() {
  std::size_t done = 0;
  while (done < pending_.size()) {
    const ssize_t n = ::pwrite(fd_, pending_.data() + done, pending_.size() - done,
                               static_cast<off_t>(flushed_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) io_failure("write", spill_dir_);
    done += static_cast<std::size_t>(n);
  }
  flushed_ += pending_.size();
  pending_.clear();
}

std::optional<std::string_view> SharedStrings::get(std::size_t index) {
  if (index + 1 >= offsets_.size()) return std::nullopt;
  const std::uint64_t begin = offsets_[index], end = offsets_[index + 1];
  if (fd_ < 0) return std::string_view(memory_).substr(begin, end - begin);
  if (end > flushed_) flush();
  read_.resize(end - begin);
  std::size_t done = 0;
  while (done < read_.size()) {
    const ssize_t n = ::pread(fd_, read_.data() + done, read_.size() - done, static_cast<off_t>(begin + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) io_failure("read", spill_dir_);
    done += static_cast<std::size_t>(n);
  }
  return std::string_view(read_);
}

namespace {

class SharedStringsHandler final : public Poco::XML::DefaultHandler {
 public:
  SharedStringsHandler(SharedStrings& out) : out_(out) {}

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local, const Poco::XML::XMLString&,
                    const Poco::XML::Attributes&) override {
    if (local == "si") {
      in_si_ = true;
      current_.clear();
    } else if (local == "rPh") {
      ++phonetic_;
    } else if (local == "t" && in_si_ && phonetic_ == 0) {
      capture_ = true;
    }
  }

  void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local,
                  const Poco::XML::XMLString&) override {
    if (local == "t") {
      capture_ = false;
    } else if (local == "rPh") {
      --phonetic_;
    } else if (local == "si" && in_si_) {
      in_si_ = false;
      decode_escapes(current_);
      out_.add(current_);
    }
  }

  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    if (!capture_) return;
    // A string that alone would pass the cap is refused before it is held,
    // and so is one longer than any cell can be.
    const std::size_t n = current_.size() + static_cast<std::size_t>(length);
    out_.check_room(n);
    if (n > kMaxCellBytes)
      throw XlsxError("shared string " + std::to_string(out_.size()) + " is longer than " +
                      human_size(kMaxCellBytes) +
                      ", more than Excel allows in a cell: refused as a forged or damaged workbook");
    current_.append(ch + start, static_cast<std::size_t>(length));
  }

 private:
  SharedStrings& out_;
  std::string current_;
  bool in_si_ = false;
  bool capture_ = false;
  int phonetic_ = 0;
};

}  // namespace

void read_shared_strings(ZipPackage& zip, const std::string& part, SharedStrings& out) {
  if (part.empty()) return;
  SharedStringsHandler handler(out);
  {
    auto in = zip.open(part);
    parse_part(*in, handler, part);
  }
  out.finish();
}

}  // namespace sseccoe::xlsx
