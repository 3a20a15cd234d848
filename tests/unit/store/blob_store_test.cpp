// The content-addressed blob store: what a put leaves on disk (a whole blob
// or nothing), deduplication, media types, and garbage collection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <streambuf>

#include "model/sha256.hpp"
#include "support.hpp"

namespace sseccoe::store {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct SourceFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Yields `good` bytes, then throws as a source's stream does when the file
// vanishes or the connection drops halfway.
class ThrowingBuf : public std::streambuf {
 public:
  explicit ThrowingBuf(std::size_t good) : left_(good) {}

 protected:
  int_type underflow() override {
    if (left_ == 0) throw SourceFailed("connection reset at byte 300000");
    const std::size_t n = std::min(left_, buf_.size());
    std::fill_n(buf_.begin(), n, 'x');
    left_ -= n;
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  std::size_t left_;
  std::array<char, 4096> buf_{};
};

std::size_t blob_files(const std::string& root) {
  std::size_t n = 0;
  for (auto& d : fs::directory_iterator(root))
    if (d.is_directory() && d.path().filename() != "tmp") n += testing::files_in(d.path().string());
  return n;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class BlobStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  BlobStore blobs{dir.path() + "/blobs"};
  std::string tmp() const { return dir.path() + "/blobs/tmp"; }

  BlobInfo put(const std::string& bytes, const std::string& media_type = {}) {
    std::istringstream in(bytes);
    return blobs.put(in, media_type);
  }
};

TEST_F(BlobStoreTest, StoresContentUnderItsDigest) {
  const std::string content = "constancia de curso\n";
  auto info = put(content);
  EXPECT_EQ(info.digest, model::sha256_hex(content));
  EXPECT_EQ(info.size, content.size());
  EXPECT_TRUE(blobs.exists(info.digest));
  EXPECT_EQ(blobs.path(info.digest),
            dir.path() + "/blobs/" + info.digest.substr(0, 2) + "/" + info.digest.substr(2));
  EXPECT_EQ(slurp(blobs.path(info.digest)), content);
  EXPECT_EQ(testing::files_in(tmp()), 0u);
}

TEST_F(BlobStoreTest, EmptyContentIsABlobToo) {
  auto info = put("");
  EXPECT_EQ(info.digest, kEmptySha256);
  EXPECT_EQ(info.size, 0u);
  EXPECT_TRUE(blobs.exists(kEmptySha256));
  EXPECT_EQ(fs::file_size(blobs.path(kEmptySha256)), 0u);
  EXPECT_FALSE(info.media_type.empty());
}

TEST_F(BlobStoreTest, IdenticalContentIsStoredOnce) {
  auto a = put("same bytes");
  auto b = put("same bytes");
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(blob_files(dir.path() + "/blobs"), 1u);
  EXPECT_EQ(testing::files_in(tmp()), 0u);
}

TEST_F(BlobStoreTest, AStreamThatThrowsLeavesNothingBehind) {
  ThrowingBuf buf(300000);
  std::istream in(&buf);  // no exception mask: the store must still see the error
  EXPECT_THROW(blobs.put(in), SourceFailed);
  EXPECT_EQ(testing::files_in(tmp()), 0u);
  EXPECT_EQ(blob_files(dir.path() + "/blobs"), 0u);
  EXPECT_EQ(in.exceptions(), std::ios::goodbit) << "the caller's exception mask is restored";
}

TEST_F(BlobStoreTest, AStreamThatThrowsWithBadbitInItsMaskPropagatesTheSameError) {
  ThrowingBuf buf(10);
  std::istream in(&buf);
  in.exceptions(std::ios::badbit);
  try {
    blobs.put(in);
    FAIL() << "put should have thrown";
  } catch (const SourceFailed& e) {
    EXPECT_STREQ(e.what(), "connection reset at byte 300000");
  }
  EXPECT_EQ(testing::files_in(tmp()), 0u);
  EXPECT_EQ(blob_files(dir.path() + "/blobs"), 0u);
}

TEST_F(BlobStoreTest, AStoreThatCannotWriteSaysWhere) {
  fs::remove_all(tmp());
  std::ofstream(tmp()) << "a file where the tmp directory should be";
  try {
    put("x");
    FAIL() << "put should have thrown";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr(tmp()));
  }
}

TEST_F(BlobStoreTest, DetectsMediaTypesFromTheFirstBytes) {
  const std::string pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
  EXPECT_EQ(put(pdf).media_type, "application/pdf");
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0\x90\x91\x68\x36", 33);
  EXPECT_EQ(put(png).media_type, "image/png");
  EXPECT_EQ(put("nombre,curso\nAna,Ética\n").media_type.rfind("text/", 0), 0u);
}

// What the bytes are decides: a "constancia.pdf" that is a PNG is an image
// whatever the sender declared. The declaration stays only where the
// content says nothing more precise.
TEST_F(BlobStoreTest, TheDetectedMediaTypeWinsOverTheDeclaredOne) {
  const std::string pdf = "%PDF-1.4\n%%EOF\n";
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0\x90\x91\x68\x36", 33);
  auto typed = put(png, "application/pdf");
  EXPECT_EQ(typed.media_type, "image/png");
  EXPECT_EQ(typed.declared_media_type, "application/pdf");
  EXPECT_EQ(put(pdf, "application/octet-stream").media_type, "application/pdf");
  EXPECT_EQ(put("a,b\n", "text/csv").media_type, "text/csv") << "text/plain says less than text/csv";
  EXPECT_EQ(put(std::string("\x01\x02\x03\xfe", 4), "application/x-foo").media_type, "application/x-foo")
      << "octet-stream says nothing";
  EXPECT_EQ(choose_media_type("", "image/png"), "image/png");
  EXPECT_EQ(choose_media_type("text/calendar", "text/plain"), "text/calendar");
  EXPECT_EQ(choose_media_type("image/jpeg", "text/plain"), "text/plain");
}

TEST_F(BlobStoreTest, GarbageCollectionKeepsReferencedBlobsAndClearsTmp) {
  auto keep = put("referenced");
  auto drop = put("orphan");
  std::ofstream(tmp() + "/12345-0-999") << "half a blob from a crash";
  std::ofstream(dir.path() + "/blobs/" + keep.digest.substr(0, 2) + "/not-a-digest") << "left alone";
  auto removed = blobs.collect_garbage([&](const std::string& d) { return d == keep.digest; });
  EXPECT_EQ(removed, 1u);
  EXPECT_TRUE(blobs.exists(keep.digest));
  EXPECT_FALSE(blobs.exists(drop.digest));
  EXPECT_EQ(testing::files_in(tmp()), 0u);
  EXPECT_TRUE(fs::exists(dir.path() + "/blobs/" + keep.digest.substr(0, 2) + "/not-a-digest"));
}

TEST(StoreGarbage, RemovesOnlyBlobsNoFileRowRefersTo) {
  TempDir dir;
  Store store(dir.state());
  std::istringstream referenced("a certificate"), orphan("left by a crash before its transaction");
  auto a = store.blobs().put(referenced);
  auto b = store.blobs().put(orphan);
  auto h = testing::harvested("a.pdf");
  h.blobs = {a};
  h.record.files = {{a.digest, "a.pdf", a.media_type, a.size}};
  store.commit_harvest(h, std::nullopt);
  EXPECT_TRUE(store.blob_referenced(a.digest));
  EXPECT_FALSE(store.blob_referenced(b.digest));
  EXPECT_EQ(store.counts().blobs, 1);
  EXPECT_EQ(store.collect_garbage(), 1u);
  EXPECT_TRUE(store.blobs().exists(a.digest));
  EXPECT_FALSE(store.blobs().exists(b.digest));
  EXPECT_EQ(store.collect_garbage(), 0u);
}

}  // namespace
}  // namespace sseccoe::store
