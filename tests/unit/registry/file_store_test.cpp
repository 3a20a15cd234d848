// Content-addressed file storage: only verified bytes reach their final
// place; nothing is left behind by a refused upload.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "file_store.hpp"
#include "model/sha256.hpp"
#include "temp_dir.hpp"

using namespace sseccoe::registry;
namespace fs = std::filesystem;

namespace {
std::size_t entries(const std::string& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
}  // namespace

TEST(FileStore, StoresVerifiedBytesUnderTheirDigest) {
  TempDir d;
  FileStore fsx(d.path() + "/files");
  std::string data(200000, 'x');
  data += "end";
  std::string sha = sseccoe::model::sha256_hex(data);
  std::istringstream in(data);
  auto r = fsx.store(in, sha, 1 << 20);
  EXPECT_EQ(r.outcome, FileStore::Outcome::stored);
  EXPECT_EQ(r.size, data.size());
  EXPECT_TRUE(fsx.exists(sha));
  EXPECT_EQ(fsx.path_of(sha), d.path() + "/files/" + sha.substr(0, 2) + "/" + sha.substr(2));
  std::ifstream f(fsx.path_of(sha), std::ios::binary);
  std::string back((std::istreambuf_iterator<char>(f)), {});
  EXPECT_EQ(back, data);
  EXPECT_EQ(entries(d.path() + "/files/tmp"), 0u);
}

TEST(FileStore, MismatchAndOversizeLeaveNothing) {
  TempDir d;
  FileStore fsx(d.path() + "/files");
  std::string sha = sseccoe::model::sha256_hex("expected");
  std::istringstream wrong("something else");
  auto r = fsx.store(wrong, sha, 100);
  EXPECT_EQ(r.outcome, FileStore::Outcome::digest_mismatch);
  EXPECT_EQ(r.actual_sha256, sseccoe::model::sha256_hex("something else"));
  EXPECT_FALSE(fsx.exists(sha));

  std::string big(1001, 'b');
  std::istringstream over(big);
  auto o = fsx.store(over, sseccoe::model::sha256_hex(big), 1000);
  EXPECT_EQ(o.outcome, FileStore::Outcome::too_large);
  EXPECT_FALSE(fsx.exists(sseccoe::model::sha256_hex(big)));
  EXPECT_EQ(entries(d.path() + "/files/tmp"), 0u);
  EXPECT_EQ(entries(d.path() + "/files"), 1u);  // only tmp/

  std::istringstream exact(big.substr(0, 1000));
  EXPECT_EQ(fsx.store(exact, sseccoe::model::sha256_hex(big.substr(0, 1000)), 1000).outcome,
            FileStore::Outcome::stored);
}

TEST(FileStore, VerifyOnlyKeepsNothing) {
  TempDir d;
  FileStore fsx(d.path() + "/files");
  std::istringstream in("abc");
  auto r = fsx.verify_only(in, sseccoe::model::sha256_hex("abc"), 10);
  EXPECT_EQ(r.outcome, FileStore::Outcome::stored);
  EXPECT_FALSE(fsx.exists(sseccoe::model::sha256_hex("abc")));
}

TEST(FileStore, RemovesUnfinishedUploadsOnStart) {
  TempDir d;
  fs::create_directories(d.path() + "/files/tmp");
  d.file("files/tmp/upload-abcdef", "half");
  FileStore fsx(d.path() + "/files");
  EXPECT_EQ(entries(d.path() + "/files/tmp"), 0u);
}

TEST(FileStore, DrainReadsWithinBudget) {
  std::istringstream small(std::string(100, 'a'));
  EXPECT_TRUE(drain(small, 100));
  std::istringstream large(std::string(300000, 'a'));
  EXPECT_FALSE(drain(large, 1000));
}
