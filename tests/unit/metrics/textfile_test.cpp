#include "metrics/textfile.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

using sseccoe::metrics::write_textfile;
namespace fs = std::filesystem;

namespace {

struct TextfileTest : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sseccoe-textfile-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir = tmpl;
  }
  void TearDown() override { fs::remove_all(dir); }

  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::size_t entries() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {})); }
};

}  // namespace

TEST_F(TextfileTest, WritesAndReplacesLeavingNoTemporaryFile) {
  const auto path = dir / "metrics.prom";
  write_textfile(path, "a 1\n");
  EXPECT_EQ(read(path), "a 1\n");
  write_textfile(path, "a 2\nb 3\n");
  EXPECT_EQ(read(path), "a 2\nb 3\n");
  write_textfile(path, "");
  EXPECT_EQ(read(path), "");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(TextfileTest, IsReadableByTheCollectorWhateverTheUmask) {
  const auto path = dir / "metrics.prom";
  const mode_t old = ::umask(077);
  write_textfile(path, "a 1\n");
  ::umask(old);
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(TextfileTest, LargeTextIsWrittenWhole) {
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "sseccoe_source_items_total{source=\"s" + std::to_string(i) + "\"} 1\n";
  write_textfile(dir / "big.prom", big);
  EXPECT_EQ(read(dir / "big.prom"), big);
}

TEST_F(TextfileTest, AMissingDirectoryIsAnErrorThatNamesTheFile) {
  const auto path = dir / "missing" / "metrics.prom";
  try {
    write_textfile(path, "a 1\n");
    FAIL() << "no error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOENT);
    EXPECT_NE(std::string(e.what()).find((dir / "missing").string()), std::string::npos) << e.what();
  }
}

TEST_F(TextfileTest, AFailedReplaceKeepsTheOldContentAndRemovesTheTemporaryFile) {
  // A directory in the target's place: the rename fails after the
  // temporary file was written.
  const auto path = dir / "metrics.prom";
  fs::create_directory(path);
  fs::create_directory(path / "inside");
  EXPECT_THROW(write_textfile(path, "a 1\n"), std::system_error);
  EXPECT_TRUE(fs::is_directory(path / "inside"));
  EXPECT_EQ(entries(), 1u);  // only the directory: no temporary file left
}

TEST_F(TextfileTest, AReaderNeverSeesAHalfWrittenFile) {
  const auto path = dir / "metrics.prom";
  const std::string a(64 * 1024, 'a'), b(64 * 1024, 'b');
  write_textfile(path, a);
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, reads{0};
  std::thread reader([&] {
    while (!done) {
      const std::string s = read(path);
      ++reads;
      if (s != a && s != b) ++torn;
    }
  });
  for (int i = 0; i < 300; ++i) write_textfile(path, i % 2 ? a : b);
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0);
}
