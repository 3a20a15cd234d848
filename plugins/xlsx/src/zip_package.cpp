#include "zip_package.hpp"

#include <Poco/Exception.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipException.h>
#include <Poco/Zip/ZipFileInfo.h>
#include <Poco/Zip/ZipLocalFileHeader.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <optional>
#include <utility>

#include "errors.hpp"
#include "text_util.hpp"

namespace sseccoe::xlsx {

namespace {

constexpr std::size_t kEndRecordSize = 22;         // end of central directory, without its comment
constexpr std::size_t kMaxCommentSize = 0xFFFF;    // the comment's length is a 16-bit field
constexpr std::size_t kEntryBufferSize = 64 * 1024;
// A workbook has tens to a few thousand entries (one per sheet, image,
// comment...); the names of a forged directory must not eat memory.
constexpr std::size_t kMaxEntries = 100'000;

std::uint32_t le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}
std::uint16_t le16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | p[1] << 8);
}

std::string entry_name(std::string_view name) { return quoted(name); }

}  // namespace

struct ZipPackage::Entry {
  std::string name;  // as stored
  const Poco::Zip::ZipLocalFileHeader* header = nullptr;
  std::optional<std::uint64_t> uncompressed;  // declared; unknown for a streamed entry without sizes
  std::uint64_t compressed = 0;               // declared; 0 when unknown
  std::uint64_t data_start = 0;               // offset of its compressed data in the file
  bool beyond_end = false;                    // its data reaches past the end of the file
};

// Counts what one entry expands to and enforces the limits while it is read:
// declared sizes can lie, so the checks on them at open() are only the first
// line. Poco's errors (CRC, inflate) become XlsxError naming the entry.
class ZipPackage::EntryBuf final : public std::streambuf {
 public:
  EntryBuf(ZipPackage& pkg, const Entry& entry)
      : pkg_(pkg), entry_(entry), zip_(pkg.file_, *entry.header, true), buffer_(kEntryBufferSize) {}
  ~EntryBuf() override { pkg_.entry_open_ = false; }

 protected:
  // Gathers what the inflater yields, a piece at a time. When reading
  // fails after some bytes came (a truncated or damaged entry), those bytes
  // are delivered first and the failure is thrown on the next call: the rows
  // before the damage are not lost with it.
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
    if (end_pending_) {
      end_pending_ = false;
      done_ = true;
      at_end();
    }
    if (done_) return traits_type::eof();
    std::size_t n = 0;
    bool end = false;
    try {
      std::streambuf* zip = zip_.rdbuf();
      while (n < buffer_.size()) {
        // sgetc() refills Poco's buffer once; sgetn() then takes only what
        // is there, so a failure can never swallow bytes already inflated.
        if (traits_type::eq_int_type(zip->sgetc(), traits_type::eof())) {
          end = true;
          break;
        }
        const std::streamsize avail = std::min<std::streamsize>(
            std::max<std::streamsize>(zip->in_avail(), 1), static_cast<std::streamsize>(buffer_.size() - n));
        n += static_cast<std::size_t>(zip->sgetn(buffer_.data() + n, avail));
      }
    } catch (const Poco::Zip::ZipException& e) {
      failure_ = std::make_exception_ptr(read_failure(
          e.message().find("CRC") != std::string::npos ? "its checksum (CRC-32) does not match its data"
                                                       : e.message()));
    } catch (const Poco::Exception& e) {
      failure_ = std::make_exception_ptr(read_failure(e.message().empty() ? e.displayText() : e.message()));
    }
    if (n == 0) {
      if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
      done_ = true;
      at_end();
      return traits_type::eof();
    }
    // The size check at the end waits for the next call: thrown now, it
    // would lose these last bytes.
    end_pending_ = end;
    account(n);
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  // Whether the file ends inside this entry: known from its sizes, or, for
  // an entry without sizes in a file cut short, the likely cause.
  bool cut() const { return entry_.beyond_end || (pkg_.truncated_ && !entry_.uncompressed); }

  // A read failed: at the cut of a truncated file that is the truncation;
  // anywhere else the entry is corrupt.
  XlsxError read_failure(const std::string& why) const {
    if (cut()) return truncated();
    return XlsxError("the entry " + entry_name(entry_.name) + " is corrupt (" + why +
                     "): the workbook is damaged; ask for a fresh export");
  }

  XlsxError truncated() const {
    return XlsxError("the file is truncated: it ends inside the entry " + entry_name(entry_.name) + " (" +
                     human_size(pkg_.file_size_) +
                     " on disk): it was probably cut short while being copied; copy it again");
  }

  // The longest stretch without '<' or '>' (see kMaxMarkupRun). Scans only
  // up to the first and from the last markup character of the chunk.
  void check_markup_run(const char* p, std::size_t n) {
    std::size_t first = 0;
    while (first < n && p[first] != '<' && p[first] != '>') ++first;
    if (first == n) {
      run_ += n;
    } else {
      run_ += first;
      if (run_ <= kMaxMarkupRun) {
        std::size_t last = n - 1;
        while (p[last] != '<' && p[last] != '>') --last;
        run_ = n - 1 - last;
      }
    }
    if (run_ > kMaxMarkupRun)
      throw XlsxError("the entry " + entry_name(entry_.name) + " has a tag or a text longer than " +
                      human_size(kMaxMarkupRun) +
                      ", which no spreadsheet part has: refused as a forged or damaged workbook");
  }

  void account(std::size_t n) {
    check_markup_run(buffer_.data(), n);
    got_ += n;
    pkg_.expanded_ += n;
    if (entry_.uncompressed && got_ > *entry_.uncompressed)
      throw XlsxError("the entry " + entry_name(entry_.name) + " expands beyond the " +
                      human_size(*entry_.uncompressed) +
                      " its header declares: refused as a zip bomb or a corrupt file");
    if (pkg_.expanded_ > pkg_.limits_.max_uncompressed)
      throw XlsxError("the workbook expands to more than " + human_size(pkg_.limits_.max_uncompressed) +
                      " (max_uncompressed_size): refused as a zip bomb; raise max_uncompressed_size if this "
                      "export is genuine");
    if (got_ > kRatioGrace) {
      // The compressed bytes really consumed (the file's position), not the
      // declared size, which may lie or be unknown (sizes after the data).
      const auto pos = pkg_.file_.rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in);
      const std::uint64_t consumed =
          pos > 0 && static_cast<std::uint64_t>(pos) > entry_.data_start
              ? static_cast<std::uint64_t>(pos) - entry_.data_start
              : 1;
      if (got_ / consumed >= pkg_.limits_.max_ratio)
        throw XlsxError("the entry " + entry_name(entry_.name) + " expands more than " +
                        std::to_string(pkg_.limits_.max_ratio) + " times its compressed size (" +
                        human_size(consumed) + " to over " + human_size(got_) +
                        "): refused as a zip bomb; raise max_compression_ratio if this export is genuine");
    }
  }

  void at_end() {
    if (entry_.uncompressed && got_ < *entry_.uncompressed) {
      if (cut()) throw truncated();
      throw XlsxError("the entry " + entry_name(entry_.name) + " is corrupt: it expands to " + human_size(got_) +
                      " of the " + human_size(*entry_.uncompressed) + " its header declares");
    }
  }

  ZipPackage& pkg_;
  const Entry& entry_;
  Poco::Zip::ZipInputStream zip_;
  std::vector<char> buffer_;
  std::uint64_t got_ = 0;
  std::uint64_t run_ = 0;  // bytes since the last '<' or '>'
  bool done_ = false;
  bool end_pending_ = false;      // the end was seen with bytes still to hand out
  std::exception_ptr failure_;   // thrown once the bytes before it are consumed
};

namespace {

// The stream handed out by open(): owns its buffer, and lets the buffer's
// XlsxError out of read() (badbit rethrows what the buffer threw).
class EntryStream final : public std::istream {
 public:
  explicit EntryStream(std::unique_ptr<std::streambuf> buf) : std::istream(nullptr), buf_(std::move(buf)) {
    rdbuf(buf_.get());
    exceptions(std::ios::badbit);
  }

 private:
  std::unique_ptr<std::streambuf> buf_;
};

}  // namespace

ZipPackage::ZipPackage(const std::string& path, ZipLimits limits) : path_(path), limits_(limits) {
  file_.open(path, std::ios::binary);
  if (!file_) throw XlsxError("cannot open the file: " + std::string(std::strerror(errno)));
  file_.seekg(0, std::ios::end);
  file_size_ = static_cast<std::uint64_t>(file_.tellg());
  file_.seekg(0);
  check_signature();
  find_end_record();
  index_entries();
}

ZipPackage::~ZipPackage() = default;

void ZipPackage::check_signature() {
  std::array<unsigned char, 8> head{};
  file_.read(reinterpret_cast<char*>(head.data()), head.size());
  const auto got = static_cast<std::size_t>(file_.gcount());
  file_.clear();
  file_.seekg(0);
  if (got == 0) throw XlsxError("the file is empty (0 bytes): it is not an XLSX workbook");
  static constexpr unsigned char kOle2[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (got == head.size() && std::memcmp(head.data(), kOle2, sizeof kOle2) == 0)
    throw XlsxError(
        "the file is an OLE2 container, not a ZIP: an old-format .xls workbook, or an XLSX protected with a "
        "password to open; save it as an unprotected .xlsx (Excel Workbook)");
  if (got >= 4 && le32(head.data()) == 0x06054b50)
    throw XlsxError("the file is an empty ZIP archive: it holds no workbook");
  if (got < 4 || le32(head.data()) != 0x04034b50)
    throw XlsxError("the file is not a ZIP archive, so not an XLSX workbook (is it a CSV or an HTML page saved "
                    "with an .xlsx name?)");
}

// A complete archive ends with the end-of-central-directory record; a copy
// cut short does not. Without it the entries before the cut are still read
// through their local headers, and reading stops with a clear reason at the
// cut.
void ZipPackage::find_end_record() {
  const std::uint64_t tail = std::min<std::uint64_t>(file_size_, kEndRecordSize + kMaxCommentSize);
  std::vector<unsigned char> buf(tail);
  file_.seekg(static_cast<std::streamoff>(file_size_ - tail));
  file_.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(tail));
  if (static_cast<std::uint64_t>(file_.gcount()) != tail) throw XlsxError("cannot read the end of the file");
  file_.clear();
  file_.seekg(0);
  if (tail < kEndRecordSize) {
    truncated_ = true;
    return;
  }
  for (std::size_t i = tail - kEndRecordSize + 1; i-- > 0;) {
    if (le32(&buf[i]) != 0x06054b50) continue;
    const std::uint16_t comment = le16(&buf[i + 20]);
    if (i + kEndRecordSize + comment > tail) continue;  // a signature inside data, not the record
    const std::uint32_t cd_size = le32(&buf[i + 12]);
    const std::uint32_t cd_offset = le32(&buf[i + 16]);
    const std::uint64_t record_at = file_size_ - tail + i;
    // 0xFFFFFFFF: the real values are in the ZIP64 record, which Poco reads.
    if (cd_offset == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu) return;
    if (static_cast<std::uint64_t>(cd_offset) + cd_size > record_at)
      throw XlsxError("the ZIP's central directory points past its end record: the file is damaged");
    scan_central_directory(cd_offset, cd_size);
    return;
  }
  truncated_ = true;
}

// The central directory lists every entry once. Read here before Poco's
// ZipArchive, which only asserts: a duplicate name (two readers could see
// two different workbooks) or a compression method it does not know are
// named precisely.
void ZipPackage::scan_central_directory(std::uint64_t offset, std::uint64_t size) {
  constexpr std::size_t kFixed = 46;
  file_.seekg(static_cast<std::streamoff>(offset));
  std::map<std::string, std::string> names;  // lower-cased -> as written
  std::uint64_t pos = 0;
  std::array<unsigned char, kFixed> h{};
  while (pos + kFixed <= size) {
    file_.read(reinterpret_cast<char*>(h.data()), kFixed);
    if (file_.gcount() != static_cast<std::streamsize>(kFixed) || le32(h.data()) != 0x02014b50) break;
    const std::uint16_t method = le16(&h[10]);
    const std::uint16_t name_len = le16(&h[28]);
    const std::uint16_t extra_len = le16(&h[30]);
    const std::uint16_t comment_len = le16(&h[32]);
    std::string name(name_len, '\0');
    file_.read(name.data(), name_len);
    if (file_.gcount() != name_len) break;
    file_.seekg(extra_len + comment_len, std::ios::cur);
    pos += kFixed + name_len + extra_len + comment_len;
    if (names.size() == kMaxEntries)
      throw XlsxError("the ZIP holds more than " + std::to_string(kMaxEntries) +
                      " entries, far more than any workbook: refused as a forged or damaged file");
    if (method != 0 && method != 8)
      throw XlsxError("the entry " + entry_name(name) + " uses ZIP compression method " + std::to_string(method) +
                      ", which is not supported (only deflate and store): save the workbook again from Excel or "
                      "LibreOffice");
    auto [it, fresh] = names.emplace(lower_ascii(name), name);
    if (!fresh) {
      if (it->second == name)
        throw XlsxError("the ZIP holds two entries named " + entry_name(name) +
                        ": refused as a damaged or forged workbook (two readers could see two different "
                        "workbooks); ask for a fresh export");
      throw XlsxError("the ZIP holds two entries named " + entry_name(name) +
                      " apart from letter case, which OPC treats as one name: refused as a damaged or forged "
                      "workbook; ask for a fresh export");
    }
  }
  file_.clear();
  file_.seekg(0);
}

// Poco's ZipArchive keeps every local header it meets in memory, and a
// forged archive may hold far more local headers than its central directory
// lists. Walked here first (one seek per entry) and capped. An entry whose
// sizes follow its data (bit 3) cannot be skipped without scanning it, so
// the walk stops there; Excel and LibreOffice write sizes in the header.
void ZipPackage::count_local_headers() {
  constexpr std::size_t kFixed = 30;
  std::array<unsigned char, kFixed> h{};
  std::uint64_t pos = 0;
  std::size_t count = 0;
  while (pos + kFixed <= file_size_) {
    file_.seekg(static_cast<std::streamoff>(pos));
    file_.read(reinterpret_cast<char*>(h.data()), kFixed);
    if (file_.gcount() != static_cast<std::streamsize>(kFixed) || le32(h.data()) != 0x04034b50) break;
    if (++count > kMaxEntries)
      throw XlsxError("the ZIP holds more than " + std::to_string(kMaxEntries) +
                      " entries, far more than any workbook: refused as a forged or damaged file");
    if ((le16(&h[6]) & 0x0008) != 0) break;
    pos += kFixed + le16(&h[26]) + le16(&h[28]) + le32(&h[18]);
  }
  file_.clear();
  file_.seekg(0);
}

void ZipPackage::index_entries() {
  count_local_headers();
  try {
    archive_ = std::make_unique<Poco::Zip::ZipArchive>(file_);
  } catch (const Poco::AssertionViolationException& e) {
    // ZipArchive asserts what it expects: unique names (caught above from
    // the central directory, unless the file is cut short before it), and
    // headers of a version and method it knows.
    if (e.displayText().find("_entries.insert") != std::string::npos)
      throw XlsxError("the ZIP holds two entries with the same name: refused as a damaged or forged workbook "
                      "(two readers could see two different workbooks); ask for a fresh export");
    if (truncated_)
      throw XlsxError("the file is truncated (no end-of-central-directory record, and its last entry is cut): it "
                      "was probably cut short while being copied; copy it again");
    throw XlsxError("the ZIP has an entry header this reader does not support (a ZIP version or feature newer "
                    "than deflate and store): save the workbook again from Excel or LibreOffice");
  } catch (const Poco::Exception& e) {
    if (truncated_)
      throw XlsxError("the file is truncated (no end-of-central-directory record, and its last entry is cut): it "
                      "was probably cut short while being copied; copy it again");
    throw XlsxError("the ZIP structure is damaged (" + e.displayText() + "): ask for a fresh export");
  }
  file_.clear();

  // The central directory's view of each entry, by its exact name.
  std::map<std::string, const Poco::Zip::ZipFileInfo*> central;
  for (auto it = archive_->fileInfoBegin(); it != archive_->fileInfoEnd(); ++it) central[it->first] = &it->second;

  for (auto it = archive_->headerBegin(); it != archive_->headerEnd(); ++it) {
    const Poco::Zip::ZipLocalFileHeader& h = it->second;
    Entry e;
    e.name = it->first;
    e.header = &h;
    e.data_start = static_cast<std::uint64_t>(h.getDataStartPos());
    if (auto info = central.find(it->first); info != central.end()) {
      // The central directory has the sizes even for entries written as a
      // stream (sizes after the data).
      e.uncompressed = info->second->getUncompressedSize();
      e.compressed = info->second->getCompressedSize();
    } else if (!h.searchCRCAndSizesAfterData()) {
      e.uncompressed = h.getUncompressedSize();
      e.compressed = h.getCompressedSize();
    }
    if (!h.searchCRCAndSizesAfterData()) {
      const auto end = static_cast<std::uint64_t>(h.getDataEndPos());
      e.beyond_end = end > file_size_;
    }
    std::string key = lower_ascii(e.name);
    if (!entries_.emplace(key, std::move(e)).second)
      throw XlsxError("the ZIP holds two entries named " + quoted(it->first) +
                      " apart from letter case, which OPC treats as one name: refused as a damaged or forged "
                      "workbook; ask for a fresh export");
  }
  if (!truncated_) {
    for (const auto& [name, info] : central)
      if (archive_->findHeader(name) == archive_->headerEnd())
        throw XlsxError("the ZIP's central directory lists " + quoted(name) +
                        ", which has no entry in the archive: the file is damaged");
  }
}

bool ZipPackage::has(std::string_view part) const { return entries_.find(lower_ascii(part)) != entries_.end(); }

std::unique_ptr<std::istream> ZipPackage::open(std::string_view part) {
  auto it = entries_.find(lower_ascii(part));
  if (it == entries_.end()) {
    if (truncated_)
      throw XlsxError("the file is truncated before its entry " + quoted(part) +
                      ": it was probably cut short while being copied; copy it again");
    throw XlsxError("the workbook has no entry " + quoted(part) + ": it is incomplete or not an Excel workbook");
  }
  const Entry& e = it->second;
  const auto& h = *e.header;
  if (h.isEncrypted())
    throw XlsxError("the entry " + entry_name(e.name) + " is encrypted: save the workbook without a password");
  if (h.getCompressionMethod() != Poco::Zip::ZipCommon::CM_DEFLATE &&
      h.getCompressionMethod() != Poco::Zip::ZipCommon::CM_STORE)
    throw XlsxError("the entry " + entry_name(e.name) + " uses ZIP compression method " +
                    std::to_string(static_cast<int>(h.getCompressionMethod())) +
                    ", which is not supported (only deflate and store): save the workbook again from Excel or "
                    "LibreOffice");
  if (e.uncompressed) {
    if (*e.uncompressed > limits_.max_uncompressed - std::min(expanded_, limits_.max_uncompressed))
      throw XlsxError("the entry " + entry_name(e.name) + " declares " + human_size(*e.uncompressed) +
                      " uncompressed, over what max_uncompressed_size (" + human_size(limits_.max_uncompressed) +
                      ") leaves: refused as a zip bomb; raise max_uncompressed_size if this export is genuine");
    if (*e.uncompressed > kRatioGrace &&
        (e.compressed == 0 || *e.uncompressed / e.compressed >= limits_.max_ratio))
      throw XlsxError("the entry " + entry_name(e.name) + " declares " + human_size(*e.uncompressed) + " from " +
                      human_size(e.compressed) + " compressed, more than " + std::to_string(limits_.max_ratio) +
                      " times: refused as a zip bomb; raise max_compression_ratio if this export is genuine");
  }
  if (entry_open_) throw std::logic_error("ZipPackage: an entry is still being read");
  file_.clear();
  std::unique_ptr<EntryBuf> buf;
  try {
    buf = std::make_unique<EntryBuf>(*this, e);
  } catch (const Poco::Exception& ex) {
    throw XlsxError("the entry " + entry_name(e.name) + " cannot be read (" + ex.displayText() + ")");
  }
  entry_open_ = true;
  return std::make_unique<EntryStream>(std::move(buf));
}

}  // namespace sseccoe::xlsx
