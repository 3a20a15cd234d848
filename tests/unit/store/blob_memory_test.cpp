// A blob of 1 GiB goes through the store in fixed-size chunks: the peak
// resident memory of the process grows by a bounded amount, whatever the
// blob's size (product.md: memory does not grow with file size).
#include <gtest/gtest.h>

#include <fstream>
#include <streambuf>

#include "model/sha256.hpp"
#include "support.hpp"

namespace sseccoe::store {
namespace {

// Generates `total` bytes of a position-dependent pattern without holding
// more than one small buffer.
class GeneratorBuf : public std::streambuf {
 public:
  explicit GeneratorBuf(std::uint64_t total) : left_(total) {}

 protected:
  int_type underflow() override {
    if (left_ == 0) return traits_type::eof();
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left_, buf_.size()));
    for (std::size_t i = 0; i < n; ++i) buf_[i] = static_cast<char>((pos_ + i) * 2654435761u >> 13);
    pos_ += n;
    left_ -= n;
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  std::uint64_t left_, pos_ = 0;
  std::array<char, 64 * 1024> buf_{};
};

// kB from a line of /proc/self/status ("VmHWM:   12345 kB").
std::int64_t status_kb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  return -1;
}

TEST(BlobStoreMemory, OneGibibyteStreamsInBoundedMemory) {
  constexpr std::uint64_t kSize = 1ull << 30;
  std::string expected;
  {
    GeneratorBuf gen(kSize);
    model::Sha256 h;
    std::array<char, 1 << 16> chunk{};
    std::istream in(&gen);
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) h.update(chunk.data(), in.gcount());
    expected = h.hex_digest();
  }

  testing::TempDir dir;
  BlobStore blobs(dir.path() + "/blobs");
  {
    // libmagic maps its database (several MiB, more of it for content it
    // must try harder on) on first use: a fixed cost. The same kind of
    // content, 4 MiB of it, pays that before measuring what depends on size.
    GeneratorBuf small(4 << 20);
    std::istream warm(&small);
    blobs.put(warm);
  }
  // Reset the peak to the current resident size, so that what earlier tests
  // used does not hide what this one uses (Linux >= 4.0).
  std::ofstream("/proc/self/clear_refs") << "5";
  const std::int64_t before = status_kb("VmHWM");
  ASSERT_GT(before, 0);

  GeneratorBuf gen(kSize);
  std::istream in(&gen);
  auto info = blobs.put(in);

  const std::int64_t growth_kb = status_kb("VmHWM") - before;
  RecordProperty("vmhwm_growth_kb", std::to_string(growth_kb));
  EXPECT_EQ(info.size, kSize);
  EXPECT_EQ(info.digest, expected);
  EXPECT_EQ(std::filesystem::file_size(blobs.path(info.digest)), kSize);
  EXPECT_LT(growth_kb, 16 * 1024) << "peak resident memory grew by " << growth_kb << " kB for a 1 GiB blob";
}

}  // namespace
}  // namespace sseccoe::store
