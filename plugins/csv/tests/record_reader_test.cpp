#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "byte_source.hpp"
#include "record_reader.hpp"

namespace sseccoe::csv {
namespace {

// Every event of a whole read, as "3:a|b" for a record on line 3 and
// "!5:reason" for a broken one.
std::vector<std::string> events(const std::string& data, char delim = ',', ReaderLimits limits = {},
                                std::size_t chunk = static_cast<std::size_t>(-1)) {
  StringSource src(data, chunk);
  RecordReader r(src, 0, delim, limits);
  std::vector<std::string> out;
  for (int guard = 0; guard < 100000; ++guard) {
    const RecordReader::Event e = r.next();
    if (e == RecordReader::Event::End) return out;
    if (e == RecordReader::Event::Broken) {
      out.push_back("!" + std::to_string(r.line()) + ":" + r.reason());
      continue;
    }
    std::string s = std::to_string(r.line()) + ":";
    for (std::size_t i = 0; i < r.fields().size(); ++i) s += (i ? "|" : "") + r.fields()[i];
    out.push_back(s);
  }
  ADD_FAILURE() << "the reader did not end";
  return out;
}

using V = std::vector<std::string>;

TEST(RecordReader, PlainRecords) {
  EXPECT_EQ(events("a,b,c\n1,2,3\n"), (V{"1:a|b|c", "2:1|2|3"}));
  EXPECT_EQ(events("a,b\n1,2"), (V{"1:a|b", "2:1|2"})) << "no newline at the end";
  EXPECT_EQ(events("a,,\n,,\n"), (V{"1:a||", "2:||"}));
  EXPECT_EQ(events(""), V{});
  EXPECT_EQ(events("\n\n"), V{}) << "empty lines are no records";
}

TEST(RecordReader, EmptyLinesAreSkippedButCounted) {
  EXPECT_EQ(events("a,b\n\n1,2\r\n\r\n3,4\n"), (V{"1:a|b", "3:1|2", "5:3|4"}));
}

TEST(RecordReader, QuotedFields) {
  EXPECT_EQ(events("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"), (V{"1:a,b|say \"hi\"|"}));
  EXPECT_EQ(events("x;\"1;2\"\n", ';'), (V{"1:x|1;2"}));
}

TEST(RecordReader, QuotedNewlinesKeepLineNumbersAsAPersonCounts) {
  const std::string data =
      "id,nota\n"
      "1,\"primera\nsegunda\nterc\"\"era\"\n"  // lines 2-4
      "2,ok\n"                                  // line 5
      "3,\"a\r\nb\"\r\n"                        // lines 6-7, CRLF inside kept
      "4,fin\n";                                // line 8
  EXPECT_EQ(events(data), (V{"1:id|nota", "2:1|primera\nsegunda\nterc\"era", "5:2|ok", "6:3|a\r\nb", "8:4|fin"}));
}

TEST(RecordReader, CrLfAndLoneCrEndRecords) {
  EXPECT_EQ(events("a,b\r\n1,2\r\n3,4\r\n"), (V{"1:a|b", "2:1|2", "3:3|4"}));
  EXPECT_EQ(events("a,b\r1,2\r3,4"), (V{"1:a|b", "2:1|2", "3:3|4"})) << "classic Mac line ends";
  EXPECT_EQ(events("a\r\r\nb\n"), (V{"1:a", "3:b"})) << "CR then CRLF: two lines";
}

TEST(RecordReader, ReadsLikeExcelWhereRfc4180IsSilent) {
  EXPECT_EQ(events("a\"b,c\n"), (V{"1:a\"b|c"})) << "a quote inside an unquoted field is literal";
  EXPECT_EQ(events("\"a\"b,c\n"), (V{"1:ab|c"})) << "text after a closing quote is kept";
  EXPECT_EQ(events(" \"a\" ,c\n"), (V{"1: \"a\" |c"})) << "a field that does not start with a quote is unquoted";
}

TEST(RecordReader, ChunkAndBufferBoundariesChangeNothing) {
  const std::string data =
      "id;nombre;nota\r\n1;\"Pérez; Juan\";\"dos\r\nlíneas\"\r\n\r\n2;\"a\"\"b\";c\r3;x;\"\"\n4;\"fin\"";
  const V expected = events(data, ';');
  ASSERT_EQ(expected, (V{"1:id|nombre|nota", "2:1|Pérez; Juan|dos\r\nlíneas", "5:2|a\"b|c", "6:3|x|", "7:4|fin"}));
  for (std::size_t chunk : {1, 2, 3, 5, 7, 13}) {
    for (std::size_t buffer : {1, 2, 3, 4, 16}) {
      ReaderLimits limits;
      limits.buffer_bytes = buffer;
      EXPECT_EQ(events(data, ';', limits, chunk), expected) << "chunk " << chunk << ", buffer " << buffer;
    }
  }
}

TEST(RecordReader, FileEndingInsideAQuoteIsBrokenAndTheLinesAfterItAreReadAgain) {
  // A stray quote on line 2 swallows the rest of the file; the rows after
  // it are recovered by reading again from line 3.
  EXPECT_EQ(events("id,n\n1,\"abc\n2,def\n3,ghi\n"),
            (V{"1:id|n", "!2:the file ends inside a quoted field of the row that starts on line 2 (an unterminated "
                         "quote, or a file cut short)",
               "3:2|def", "4:3|ghi"}));
  // A file cut short inside its last field, with no line break in it.
  EXPECT_EQ(events("id,n\n1,\"abc"), (V{"1:id|n", "!2:the file ends inside a quoted field of the row that starts "
                                                  "on line 2 (an unterminated quote, or a file cut short)"}));
}

TEST(RecordReader, HugeFieldIsBrokenAndReadingResumesOnTheNextLine) {
  ReaderLimits limits;
  limits.max_row_bytes = 64;
  const std::string long_field(200, 'x');
  // Unquoted: skipped to the end of its own line.
  EXPECT_EQ(events("id,n\n1," + long_field + "\n2,ok\n", ',', limits),
            (V{"1:id|n", "!2:a field longer than 64 bytes", "3:2|ok"}));
  // An unterminated quote followed by many lines: recovered on the line after it.
  std::string lines;
  for (int i = 0; i < 20; ++i) lines += std::to_string(i) + ",abcdefgh\n";
  const V ev = events("id,n\n1,\"oops\n" + lines, ',', limits);
  ASSERT_GE(ev.size(), 3u);
  EXPECT_EQ(ev[1], "!2:a field longer than 64 bytes (an unterminated quote?)");
  EXPECT_EQ(ev[2], "3:0|abcdefgh");
  EXPECT_EQ(ev.back(), "22:19|abcdefgh");
  EXPECT_EQ(ev.size(), 22u);
  // A row of many small fields.
  EXPECT_EQ(events("id\n" + std::string(100, ',') + "\nz\n", ',', limits),
            (V{"1:id", "!2:a row longer than 64 bytes", "3:z"}));
}

TEST(RecordReader, TooManyFields) {
  ReaderLimits limits;
  limits.max_fields = 4;
  EXPECT_EQ(events("a,b\n1,2,3,4,5,6\n7,8\n", ',', limits),
            (V{"1:a|b", "!2:more than 4 fields (is the delimiter right?)", "3:7|8"}));
}

TEST(RecordReader, RecoveriesAreCounted) {
  StringSource src("a\n\"x\nb\n");
  RecordReader r(src, 0, ',');
  while (r.next() != RecordReader::Event::End) {
  }
  EXPECT_EQ(r.recoveries(), 1u);
}

TEST(RecordReader, ManyStrayQuotesStillEnd) {
  // Every line opens a quote that the next line's closes too late: each
  // record runs past the row limit, each recovery moves one line on, and
  // each re-read is bounded by the limit.
  ReaderLimits limits;
  limits.max_row_bytes = 1024;
  std::string data = "id,n\n";
  for (int i = 0; i < 2000; ++i) data += "1,\"" + std::string(600, 'x') + "\n";
  StringSource src(data);
  RecordReader r(src, 0, ',', limits);
  std::size_t broken = 0, total = 0;
  for (RecordReader::Event e; (e = r.next()) != RecordReader::Event::End && total < 100000; ++total)
    broken += e == RecordReader::Event::Broken;
  EXPECT_LT(total, 100000u);
  EXPECT_GE(broken, 1000u);
  EXPECT_EQ(r.recoveries(), broken);
}

TEST(RecordReader, FlagsRecordsThatNeedDecodingAndKnowsOffsets) {
  StringSource src(std::string("id,n\n1,ab\n2,\xC3\xB1\n3,a\0b\n", 21));
  RecordReader r(src, 0, ',');
  std::vector<std::pair<bool, std::uint64_t>> seen;
  while (r.next() == RecordReader::Event::Record) seen.emplace_back(r.needs_decoding(), r.offset());
  EXPECT_EQ(seen, (std::vector<std::pair<bool, std::uint64_t>>{{false, 0}, {false, 5}, {true, 10}, {true, 15}}));
}

TEST(RecordReader, StartsAfterAByteOrderMark) {
  StringSource src("\xEF\xBB\xBFid,n\n1,2\n");
  RecordReader r(src, 3, ',');
  ASSERT_EQ(r.next(), RecordReader::Event::Record);
  EXPECT_EQ(r.fields(), (V{"id", "n"}));
  EXPECT_EQ(r.line(), 1u);
}

}  // namespace
}  // namespace sseccoe::csv
