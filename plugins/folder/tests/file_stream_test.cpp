#include "file_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "sseccoe/sdk/emitter.hpp"
#include "test_support.hpp"

namespace sseccoe::folder {
namespace {

using testing::FaultEnv;
using testing::TempTree;

StreamExpectation expect_for(Env& env, const TempTree& t, const std::string& rel) {
  StreamExpectation e;
  EXPECT_FALSE(env.stat(t.path(rel), e.listed));
  e.root = t.root();
  return e;
}

std::string read_all(std::istream& in) {
  std::string out;
  char buf[1000];  // not a divisor of the stream's buffer: exercises refills
  while (in.read(buf, sizeof buf) || in.gcount() > 0) out.append(buf, static_cast<std::size_t>(in.gcount()));
  return out;
}

// Reads the stream and returns the ContentError it throws.
std::optional<sdk::ContentError> error_reading(Env& env, const std::string& path, const StreamExpectation& e,
                                               std::size_t buffer = kStreamBufferSize) {
  try {
    auto in = open_file_stream(env, path, e, buffer);
    read_all(*in);
  } catch (const sdk::ContentError& err) {
    return err;
  }
  return std::nullopt;
}

TEST(FileStream, ReadsTheWholeFileInChunks) {
  TempTree t;
  std::string content;
  for (int i = 0; i < 300000; ++i) content += static_cast<char>('a' + i % 26);
  t.write("f.bin", content);
  auto env = Env::posix();
  auto in = open_file_stream(*env, t.path("f.bin"), expect_for(*env, t, "f.bin"), 4096);
  EXPECT_EQ(read_all(*in), content);
}

TEST(FileStream, EmptyFileIsAnEmptyStream) {
  TempTree t;
  t.write("empty", "");
  auto env = Env::posix();
  auto in = open_file_stream(*env, t.path("empty"), expect_for(*env, t, "empty"));
  EXPECT_EQ(read_all(*in), "");
}

TEST(FileStream, GrowthWhileReadingIsTransient) {
  TempTree t;
  t.write("grow.log", std::string(10000, 'x'));
  auto env = std::make_shared<FaultEnv>();
  env->grow_on_read[t.path("grow.log")] = std::string(5000, 'y');
  const auto err = error_reading(*env, t.path("grow.log"), expect_for(*env, t, "grow.log"), 4096);
  ASSERT_TRUE(err.has_value());
  EXPECT_TRUE(err->transient);
  EXPECT_NE(std::string(err->what()).find("grew"), std::string::npos);
}

TEST(FileStream, ShrinkingWhileReadingIsTransient) {
  TempTree t;
  t.write("s.bin", std::string(10000, 'x'));
  auto env = Env::posix();
  const StreamExpectation e = expect_for(*env, t, "s.bin");
  auto in = open_file_stream(*env, t.path("s.bin"), e, 4096);
  char buf[100];
  in->read(buf, sizeof buf);
  ASSERT_EQ(::truncate(t.path("s.bin").c_str(), 5000), 0);
  try {
    read_all(*in);
    FAIL() << "a file truncated while read must not pass as complete";
  } catch (const sdk::ContentError& err) {
    EXPECT_TRUE(err.transient);
    EXPECT_NE(std::string(err.what()).find("shrank"), std::string::npos);
  }
}

TEST(FileStream, RewriteInPlaceWhileReadingIsTransient) {
  TempTree t;
  t.write("r.bin", std::string(10000, 'x'));
  auto env = Env::posix();
  const StreamExpectation e = expect_for(*env, t, "r.bin");
  auto in = open_file_stream(*env, t.path("r.bin"), e, 4096);
  char buf[100];
  in->read(buf, sizeof buf);
  t.set_age("r.bin", std::chrono::seconds(10));  // same size, new mtime
  try {
    read_all(*in);
    FAIL() << "a file rewritten while read must not pass as complete";
  } catch (const sdk::ContentError& err) {
    EXPECT_TRUE(err.transient);
  }
}

TEST(FileStream, ChangedSinceListedIsTransient) {
  TempTree t;
  t.write("c.txt", "one");
  auto env = Env::posix();
  const StreamExpectation e = expect_for(*env, t, "c.txt");
  t.write("c.txt", "three");
  const auto err = error_reading(*env, t.path("c.txt"), e);
  ASSERT_TRUE(err.has_value());
  EXPECT_TRUE(err->transient);
  EXPECT_NE(std::string(err->what()).find("3 -> 5"), std::string::npos);
}

TEST(FileStream, ReplacedByRenameIsCaughtByInode) {
  TempTree t;
  t.write("doc.pdf", "AAAA");
  t.write("new.pdf", "BBBB");
  auto env = Env::posix();
  StreamExpectation e = expect_for(*env, t, "doc.pdf");
  FileStat other;
  ASSERT_FALSE(env->stat(t.path("new.pdf"), other));
  ASSERT_EQ(::rename(t.path("new.pdf").c_str(), t.path("doc.pdf").c_str()), 0);
  e.listed.mtime_ns = other.mtime_ns;  // same size and mtime, another file
  const auto err = error_reading(*env, t.path("doc.pdf"), e);
  ASSERT_TRUE(err.has_value());
  EXPECT_TRUE(err->transient);
  e.check_inode = false;
  EXPECT_FALSE(error_reading(*env, t.path("doc.pdf"), e).has_value());
}

TEST(FileStream, EioIsPermanent) {
  TempTree t;
  t.write("bad.pdf", "content");
  auto env = std::make_shared<FaultEnv>();
  env->read_errors[t.path("bad.pdf")] = testing::errc(EIO);
  const auto err = error_reading(*env, t.path("bad.pdf"), expect_for(*env, t, "bad.pdf"));
  ASSERT_TRUE(err.has_value());
  EXPECT_FALSE(err->transient);
  EXPECT_NE(std::string(err->what()).find("Input/output error"), std::string::npos);
}

TEST(FileStream, StaleNfsHandleIsTransient) {
  TempTree t;
  t.write("nfs.pdf", "content");
  auto env = std::make_shared<FaultEnv>();
  env->read_errors[t.path("nfs.pdf")] = testing::errc(ESTALE);
  const auto err = error_reading(*env, t.path("nfs.pdf"), expect_for(*env, t, "nfs.pdf"));
  ASSERT_TRUE(err.has_value());
  EXPECT_TRUE(err->transient);
}

TEST(FileStream, VanishedBeforeOpenIsTransient) {
  TempTree t;
  t.write("v.pdf", "content");
  auto env = Env::posix();
  const StreamExpectation e = expect_for(*env, t, "v.pdf");
  t.remove("v.pdf");
  const auto err = error_reading(*env, t.path("v.pdf"), e);
  ASSERT_TRUE(err.has_value());
  EXPECT_TRUE(err->transient);
}

TEST(FileStream, SwappedForASymlinkIsNotFollowed) {
  TempTree t;
  TempTree outside;
  outside.write("secret", "do not read");
  t.write("f.txt", "content");
  auto env = Env::posix();
  const StreamExpectation e = expect_for(*env, t, "f.txt");
  t.remove("f.txt");
  t.symlink(outside.path("secret"), "f.txt");
  const auto err = error_reading(*env, t.path("f.txt"), e);
  ASSERT_TRUE(err.has_value());
  EXPECT_TRUE(err->transient);
}

TEST(FileStream, SwappedForAFifoNeitherBlocksNorReads) {
  TempTree t;
  t.write("p", "content");
  auto env = Env::posix();
  const StreamExpectation e = expect_for(*env, t, "p");
  t.remove("p");
  ASSERT_EQ(::mkfifo(t.path("p").c_str(), 0600), 0);
  const auto err = error_reading(*env, t.path("p"), e);  // would hang forever on a blocking open
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(std::string(err->what()).find("FIFO"), std::string::npos);
}

TEST(FileStream, AFileOutsideTheRootOnceOpenedIsRefused) {
  TempTree t;
  t.write("f.txt", "content");
  auto env = std::make_shared<FaultEnv>();
  env->resolved_override[t.path("f.txt")] = "/etc/shadow";
  const auto err = error_reading(*env, t.path("f.txt"), expect_for(*env, t, "f.txt"));
  ASSERT_TRUE(err.has_value());
  EXPECT_FALSE(err->transient);
  EXPECT_NE(std::string(err->what()).find("outside the source root"), std::string::npos);
}

TEST(FileStream, PermissionDeniedIsPermanentAndSaysWhatToDo) {
  TempTree t;
  t.write("locked.pdf", "content");
  struct DenyEnv : FaultEnv {
    std::error_code open_read(const std::string&, std::unique_ptr<ReadableFile>&) override {
      return testing::errc(EACCES);
    }
  } env;
  const auto err = error_reading(env, t.path("locked.pdf"), expect_for(env, t, "locked.pdf"));
  ASSERT_TRUE(err.has_value());
  EXPECT_FALSE(err->transient);
  EXPECT_NE(std::string(err->what()).find("read access"), std::string::npos);
}

TEST(FileStream, ASparse4GiBFileStreamsInFlatMemory) {
  TempTree t;
  constexpr std::uint64_t kSize = 4ull << 30;
  {
    const int fd = ::open(t.path("big.iso").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(kSize)), 0) << "the file system must allow sparse files";
    ASSERT_EQ(::pwrite(fd, "END", 3, static_cast<off_t>(kSize - 3)), 3);
    ::close(fd);
  }
  auto env = Env::posix();
  const std::uint64_t before = testing::peak_rss();
  auto in = open_file_stream(*env, t.path("big.iso"), expect_for(*env, t, "big.iso"));
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  char last[3] = {};
  while (in->read(buf.data(), static_cast<std::streamsize>(buf.size())) || in->gcount() > 0) {
    const auto n = static_cast<std::size_t>(in->gcount());
    total += n;
    if (n >= 3) std::copy(buf.data() + n - 3, buf.data() + n, last);
  }
  const std::uint64_t after = testing::peak_rss();
  EXPECT_EQ(total, kSize);
  EXPECT_EQ(std::string(last, 3), "END");
  EXPECT_LT(after - before, 32ull << 20) << "peak memory grew by " << (after - before) << " bytes";
}

}  // namespace
}  // namespace sseccoe::folder
