// The document reader against files built to hurt a parser, and against a
// reader program that misbehaves: whatever happens in the child, the parent
// gets a ReaderError that names the cause, reaps the child, and its own
// memory stays flat (it never loads the document). No timing assertions:
// the limits here are small so that the suite stays quick, and each test
// checks which limit fired, not when.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <set>

#include "reader_fixtures.hpp"
#include "need.hpp"

namespace sseccoe::core::extract {
namespace {

using testing::contains;
using testing::TempDir;
using Cause = ReaderError::Cause;

// Limits small enough for a test, large enough for poppler to start.
ReaderLimits test_limits() {
  ReaderLimits l;
  l.cpu = std::chrono::seconds(3);
  l.memory_bytes = 256ull << 20;
  l.wall = std::chrono::milliseconds(20000);
  return l;
}

// Success, or a refusal for a reason that is not a crash of the reader.
void expect_contained(const std::function<void()>& f, const std::set<Cause>& allowed, const std::string& what) {
  try {
    f();
  } catch (const ReaderError& e) {
    EXPECT_TRUE(allowed.count(e.cause)) << what << ": " << e.what();
  }
  EXPECT_TRUE(testing::no_children_left()) << what;
}

class ReaderHostile : public ::testing::Test {
 protected:
  TempDir dir;
};

TEST_F(ReaderHostile, DeeplyNestedArrays) {
  SSECCOE_NEED_READER(program);
  const int depth = 100000;
  const std::string nested = std::string(depth, '[') + std::string(depth, ']');
  const auto file = dir.write("nested.pdf", testing::text_pdf({{{"Se otorga a Ana Torres"}, {}}}, "/Junk " + nested + " "));
  const long before = testing::max_rss_kib();
  expect_contained([&] {
    const PdfText t = DocumentReader(program, test_limits()).pdf_text(file);
    EXPECT_LE(t.pages.size(), 1u);
  }, {Cause::damaged, Cause::cpu_limit, Cause::memory_limit}, "100000 nested arrays");
  EXPECT_LT(testing::max_rss_kib() - before, 32 * 1024);
}

TEST_F(ReaderHostile, DeeplyNestedDictionariesInTheCatalog) {
  SSECCOE_NEED_READER(program);
  std::string nested;
  for (int i = 0; i < 50000; ++i) nested += "<< /A ";
  nested += "1";
  for (int i = 0; i < 50000; ++i) nested += " >>";
  const auto file = dir.write("dicts.pdf", testing::pdf_from_objects({
      "<< /Type /Catalog /Pages 2 0 R /Junk " + nested + " >>",
      "<< /Type /Pages /Kids [] /Count 0 >>",
  }));
  expect_contained([&] { DocumentReader(program, test_limits()).pdf_text(file); },
                   {Cause::damaged, Cause::cpu_limit, Cause::memory_limit}, "50000 nested dictionaries");
}

// A content stream that inflates to 2 GiB of text operators, behind two
// FlateDecode filters so that the file stays small. Python's zlib writes it
// (the test binary links no zlib): a 1 MiB chunk deflated after a full
// flush compresses to the same bytes every time, so the inner stream is
// that piece repeated, and only the outer one is compressed for real.
TEST_F(ReaderHostile, DecompressionBomb) {
  SSECCOE_NEED_READER(program);
  if (::access("/usr/bin/python3", X_OK) != 0) SSECCOE_MISSING("no /usr/bin/python3 to write the deflate stream");
  const auto script = dir.write("bomb.py", R"(import sys, zlib
chunk = b"BT /F1 12 Tf 72 700 Td (" + b"A" * 1000 + b") Tj ET\n"
chunk = chunk * (1048576 // len(chunk))
c = zlib.compressobj(9)
head = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
piece = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
inner = head + piece * 2047 + c.flush()
outer = zlib.compress(inner, 9)
open(sys.argv[1], "wb").write(outer)
print(len(chunk) * 2048)
)");
  const auto deflated = dir.file("stream.bin");
  ASSERT_EQ(std::system(("/usr/bin/python3 '" + script + "' '" + deflated + "' > /dev/null").c_str()), 0);
  std::string stream;
  {
    std::ifstream in(deflated, std::ios::binary);
    stream.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_LT(stream.size(), 1u << 20) << "the bomb must be small on disk";
  const auto file = dir.write("bomb.pdf", testing::pdf_from_objects({
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
      "/Contents 4 0 R >>",
      testing::stream_object("/Filter [/FlateDecode /FlateDecode]", stream),
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  }));
  const long before = testing::max_rss_kib();
  std::string msg;
  const Cause c = testing::cause_of([&] { DocumentReader(program, test_limits()).pdf_text(file); }, &msg);
  // Which limit comes first depends on the machine; one of them must.
  EXPECT_TRUE(c == Cause::cpu_limit || c == Cause::memory_limit || c == Cause::output_limit || c == Cause::wall_limit)
      << msg;
  EXPECT_TRUE(contains(msg, "limit")) << msg;
  EXPECT_TRUE(testing::no_children_left());
  EXPECT_LT(testing::max_rss_kib() - before, 32 * 1024) << "the parent's memory must not follow the child's";
}

// 500 MB on disk, but sparse: a small PDF's first bytes and a hole. The
// reader may fail (no cross-reference table where the trailer points) or
// rebuild it by scanning; either way within its limits, and the parent
// never reads the file.
TEST_F(ReaderHostile, AHalfGigabyteFile) {
  SSECCOE_NEED_READER(program);
  const std::string pdf = testing::text_pdf({{{"Se otorga a Ana Torres"}, {}}});
  const auto file = dir.write("big.pdf", pdf.substr(0, pdf.find("xref")));
  ASSERT_EQ(::truncate(file.c_str(), 500ll * 1000 * 1000), 0) << std::strerror(errno);
  const long before = testing::max_rss_kib();
  expect_contained([&] {
    const PdfText t = DocumentReader(program, test_limits()).pdf_text(file);
    EXPECT_LE(t.pages.size(), 1u);
  }, {Cause::damaged, Cause::cpu_limit, Cause::memory_limit, Cause::wall_limit}, "a sparse 500 MB file");
  EXPECT_LT(testing::max_rss_kib() - before, 32 * 1024) << "the parent's memory must stay flat";
}

// --- a misbehaving program -------------------------------------------------

TEST_F(ReaderHostile, AHangingChildIsKilledAtTheDeadline) {
  ReaderLimits l;
  l.wall = std::chrono::milliseconds(500);
  DocumentReader r(dir.script("hang.sh", "exec sleep 100"), l);
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { r.pdf_text("/dev/null"); }, &msg), Cause::wall_limit);
  EXPECT_TRUE(contains(msg, "took longer than 0.5 s")) << msg;
  EXPECT_TRUE(testing::no_children_left());
}

TEST_F(ReaderHostile, AForkingChildLeavesNothingBehind) {
  // The script forks a sleeper that keeps the pipes open after the script
  // itself is gone: the process group is killed at the deadline.
  ReaderLimits l;
  l.wall = std::chrono::milliseconds(500);
  DocumentReader r(dir.script("fork.sh", "sleep 100 &\nexit 0"), l);
  std::string msg;
  const Cause c = testing::cause_of([&] { r.pdf_text("/dev/null"); }, &msg);
  // Not root: RLIMIT_NPROC 0 refuses the fork itself, the script prints
  // nothing, and that is not JSON. Root is exempt from RLIMIT_NPROC, so the
  // sleeper runs and the group kill at the deadline is what ends it.
  if (::geteuid() == 0)
    EXPECT_EQ(c, Cause::wall_limit) << msg;
  else
    EXPECT_TRUE(c == Cause::wall_limit || c == Cause::failed) << msg;
  EXPECT_TRUE(testing::no_children_left());
}

TEST_F(ReaderHostile, TooMuchOutputIsRefused) {
  DocumentReader r(dir.script("loud.sh", "exec head -c 20971520 /dev/zero"));
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { r.pdf_text("/dev/null"); }, &msg), Cause::output_limit);
  EXPECT_EQ(msg, "the document reader printed more than 8 MiB (limit) and was killed");
  EXPECT_TRUE(testing::no_children_left());
}

TEST_F(ReaderHostile, ACrashIsNamedBySignal) {
  DocumentReader r(dir.script("crash.sh", "kill -SEGV $$"));
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { r.pdf_text("/dev/null"); }, &msg), Cause::crashed);
  EXPECT_TRUE(contains(msg, "crashed with signal 11")) << msg;
  EXPECT_TRUE(testing::no_children_left());
}

TEST_F(ReaderHostile, CpuTimeIsLimited) {
  ReaderLimits l;
  l.cpu = std::chrono::seconds(1);
  DocumentReader r(dir.script("spin.sh", "while :; do :; done"), l);
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { r.pdf_text("/dev/null"); }, &msg), Cause::cpu_limit);
  EXPECT_EQ(msg, "the document reader was killed after 1 s of CPU time (limit)");
}

TEST_F(ReaderHostile, MemoryExhaustionIsNamedAsTheLimit) {
  // What the real reader does on std::bad_alloc (exit 3), and what poppler's
  // allocator does (print "Out of memory", abort).
  DocumentReader bad_alloc(dir.script("oom3.sh", "echo '{\"error\": \"out of memory\", \"kind\": \"memory\"}'; exit 3"));
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { bad_alloc.pdf_text("/dev/null"); }, &msg), Cause::memory_limit);
  EXPECT_EQ(msg, "the document reader exceeded its 512 MiB memory limit");
  DocumentReader abort(dir.script("oomabrt.sh", "echo 'Out of memory' >&2; kill -ABRT $$"));
  EXPECT_EQ(testing::cause_of([&] { abort.pdf_text("/dev/null"); }, &msg), Cause::memory_limit) << msg;
}

TEST_F(ReaderHostile, TheRealReaderReportsItsOwnMemoryLimit) {
  SSECCOE_NEED_READER(program);
  // A page dictionary holding an array of ten million zeros: 20 MB on disk,
  // several times that as parsed objects, more than 96 MiB of address
  // space. Whether poppler's allocator or the C++ one fails first, the
  // verdict is the memory limit.
  ReaderLimits l = test_limits();
  l.memory_bytes = 96ull << 20;
  std::string junk = "/Junk [";
  for (int i = 0; i < 10000000; ++i) junk += "0 ";
  junk += "] ";
  const auto file = dir.write("array.pdf", testing::text_pdf({{{"Se otorga a Ana Torres"}, {}}}, junk));
  junk.clear();
  junk.shrink_to_fit();
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { DocumentReader(program, l).pdf_text(file); }, &msg), Cause::memory_limit) << msg;
  EXPECT_EQ(msg, "the document reader exceeded its 96 MiB memory limit");
  EXPECT_TRUE(testing::no_children_left());
}

TEST_F(ReaderHostile, NonJsonOutputIsAnError) {
  DocumentReader r(dir.script("chatty.sh", "echo hello"));
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { r.pdf_text("/dev/null"); }, &msg), Cause::failed);
  EXPECT_EQ(msg, "the document reader printed something that is not JSON");
  DocumentReader shape(dir.script("shape.sh", "echo '{\"pages\": 3}'"));
  EXPECT_EQ(testing::cause_of([&] { shape.pdf_text("/dev/null"); }, &msg), Cause::failed);
  EXPECT_TRUE(contains(msg, "unexpected shape")) << msg;
}

TEST_F(ReaderHostile, AnOddExitStatusQuotesTheLastWordsOfStderr) {
  DocumentReader r(dir.script("odd.sh", "echo 'first' >&2; echo 'something broke' >&2; exit 9"));
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { r.pdf_text("/dev/null"); }, &msg), Cause::failed);
  EXPECT_EQ(msg, "the document reader failed with exit status 9: something broke");
}

TEST_F(ReaderHostile, TheChildGetsNoneOfOurFilesAndNoStdin) {
  // An fd of ours without O_CLOEXEC must still not reach the child.
  const auto secret = dir.write("secret", "x");
  const int fd = ::open(secret.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  // The shell keeps the script open and the command substitution adds a
  // pipe, so the test looks at where the fds lead, not at how many there are.
  DocumentReader r(dir.script("fds.sh",
                              "fds=$(for f in /proc/$$/fd/*; do readlink \"$f\"; done | tr '\\n' ' ')\n"
                              "if read line; then stdin=data; else stdin=empty; fi\n"
                              "printf '{\"pages\": [\"%s| %s\"], \"page_count\": 1, \"encrypted\": false}' \"$stdin\" \"$fds\""));
  const PdfText t = r.pdf_text("/dev/null");
  ::close(fd);
  ASSERT_EQ(t.pages.size(), 1u);
  EXPECT_EQ(t.pages[0].substr(0, 7), "empty| ") << t.pages[0];
  EXPECT_FALSE(contains(t.pages[0], "/secret")) << t.pages[0];
  EXPECT_TRUE(contains(t.pages[0], "/dev/null")) << t.pages[0];
}

}  // namespace
}  // namespace sseccoe::core::extract
