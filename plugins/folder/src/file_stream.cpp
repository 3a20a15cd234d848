#include "file_stream.hpp"

#include <cerrno>
#include <streambuf>
#include <vector>

#include "paths.hpp"
#include "sseccoe/sdk/emitter.hpp"

namespace sseccoe::folder {

namespace {

using sdk::ContentError;

std::string what_changed(const FileStat& before, const FileStat& now) {
  if (now.size != before.size)
    return "size " + std::to_string(before.size) + " -> " + std::to_string(now.size) + " bytes";
  return "modification time changed";
}

[[noreturn]] void throw_open_error(const std::error_code& ec) {
  switch (ec.value()) {
    case ENOENT:
    case ESTALE:
      throw ContentError("the file vanished before it could be read; it is offered again if it reappears", true);
    case ELOOP:
      throw ContentError("the file was replaced by a symbolic link after it was listed; it is examined again "
                         "on the next pass", true);
    case EACCES:
    case EPERM:
      throw ContentError("permission denied opening the file (" + ec.message() +
                         "): give the agent's user read access, then retry it from the quarantine", false);
    default:
      throw ContentError("cannot open the file (" + ec.message() + ")", is_transient(ec));
  }
}

class FileStreamBuf final : public std::streambuf {
 public:
  FileStreamBuf(std::unique_ptr<ReadableFile> file, FileStat at_open, std::size_t buffer_size)
      : file_(std::move(file)), at_open_(at_open), buf_(buffer_size) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (at_end_) return traits_type::eof();
    std::size_t got = 0;
    if (const std::error_code ec = file_->read(buf_.data(), buf_.size(), got)) {
      if (is_transient(ec))
        throw ContentError("read failed at byte " + std::to_string(total_) + " (" + ec.message() +
                           "); the file is offered again on a later pass", true);
      throw ContentError("read error at byte " + std::to_string(total_) + " (" + ec.message() +
                         "): the disk or the share may be failing; retry from the quarantine once it is fixed",
                         false);
    }
    if (got == 0) {
      finish();
      return traits_type::eof();
    }
    total_ += got;
    if (total_ > at_open_.size)
      throw ContentError("the file grew while it was read (it had " + std::to_string(at_open_.size) +
                         " bytes when opened); it is taken once it has settled", true);
    file_->consumed(total_);
    setg(buf_.data(), buf_.data(), buf_.data() + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  // At end of file: what was read must be the whole file as it was opened,
  // and the file must not have been rewritten in place meanwhile.
  void finish() {
    if (total_ < at_open_.size)
      throw ContentError("the file shrank while it was read (" + std::to_string(total_) + " of " +
                         std::to_string(at_open_.size) + " bytes); it is taken once it has settled", true);
    FileStat now;
    if (const std::error_code ec = file_->stat(now))
      throw ContentError("cannot re-check the file after reading it (" + ec.message() + ")", true);
    if (now.size != at_open_.size || now.mtime_ns != at_open_.mtime_ns)
      throw ContentError("the file changed while it was read (" + what_changed(at_open_, now) +
                         "); it is taken once it has settled", true);
    at_end_ = true;
  }

  std::unique_ptr<ReadableFile> file_;
  FileStat at_open_;
  std::vector<char> buf_;
  std::uint64_t total_ = 0;
  bool at_end_ = false;
};

// Base-from-member: the buffer must exist before std::istream is built on it.
struct BufHolder {
  BufHolder(std::unique_ptr<ReadableFile> file, FileStat at_open, std::size_t buffer_size)
      : buf(std::move(file), at_open, buffer_size) {}
  FileStreamBuf buf;
};

class FileStream final : private BufHolder, public std::istream {
 public:
  FileStream(std::unique_ptr<ReadableFile> file, FileStat at_open, std::size_t buffer_size)
      : BufHolder(std::move(file), at_open, buffer_size), std::istream(&buf) {
    exceptions(std::ios::badbit);
  }
};

}  // namespace

std::unique_ptr<std::istream> open_file_stream(Env& env, const std::string& path, const StreamExpectation& expect,
                                               std::size_t buffer_size) {
  std::unique_ptr<ReadableFile> file;
  if (const std::error_code ec = env.open_read(path, file)) throw_open_error(ec);

  FileStat at_open;
  if (const std::error_code ec = file->stat(at_open))
    throw ContentError("cannot examine the opened file (" + ec.message() + ")", is_transient(ec));
  if (at_open.kind != FileKind::Regular)
    throw ContentError(std::string("the entry is now ") + describe(at_open.kind) +
                       ", not a regular file; it is examined again on the next pass", true);
  const FileStat& listed = expect.listed;
  if (at_open.size != listed.size || at_open.mtime_ns != listed.mtime_ns)
    throw ContentError("the file changed after it was listed (" + what_changed(listed, at_open) +
                       "); it is taken once it has settled", true);
  if (expect.check_inode && (at_open.dev != listed.dev || at_open.ino != listed.ino))
    throw ContentError("the file was replaced after it was listed; it is examined again on the next pass", true);

  // The decisive containment check: on the descriptor, after the open, so
  // no rename or link swap between the walk and now can lead outside.
  const std::string where = file->current_path();
  if (!where.empty() && !is_within(expect.root, where))
    throw ContentError("the opened file lies outside the source root (a link or directory was changed after the "
                       "walk); it was not read", false);

  return std::make_unique<FileStream>(std::move(file), at_open, buffer_size);
}

}  // namespace sseccoe::folder
