// The response reader and parser against well-formed, malformed, truncated,
// huge and 8-bit input, fed in awkward pieces.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "errors.hpp"
#include "response.hpp"
#include "wire_reader.hpp"

namespace sseccoe::imap {
namespace {

// A reader over fixed bytes, handing out at most `piece` bytes per read.
struct Feed {
  std::string data;
  std::size_t piece = 3;
  std::size_t pos = 0;
  WireReader reader(std::size_t max_line = 1 << 20) {
    return WireReader(
        [this](char* buf, std::size_t size) {
          const std::size_t n = std::min({size, piece, data.size() - pos});
          std::memcpy(buf, data.data() + pos, n);
          pos += n;
          return n;
        },
        max_line);
  }
};

TEST(WireReader, ReadsLinesSplitAcrossReadsWithCrLfOrBareLf) {
  Feed f{"* OK ready\r\nsecond\nthird\r\n", 2};
  WireReader r = f.reader();
  std::string line;
  r.read_line(line);
  EXPECT_EQ(line, "* OK ready");
  r.read_line(line);
  EXPECT_EQ(line, "second");
  r.read_line(line);
  EXPECT_EQ(line, "third");
  EXPECT_THROW(r.read_line(line), NetworkError);  // the server hung up
}

TEST(WireReader, ReadExactHandsOnPiecesAndStopsAtTheSize) {
  Feed f{"abcdefghij\r\nrest\r\n", 4};
  WireReader r = f.reader();
  std::string got;
  int pieces = 0;
  r.read_exact(10, [&](const char* d, std::size_t n) {
    got.append(d, n);
    ++pieces;
  });
  EXPECT_EQ(got, "abcdefghij");
  EXPECT_GE(pieces, 3);
  std::string line;
  r.read_line(line);
  EXPECT_EQ(line, "");
  r.read_line(line);
  EXPECT_EQ(line, "rest");
}

TEST(WireReader, RefusesALineLongerThanTheLimit) {
  Feed f{std::string(5000, 'x') + "\r\n", 1000};
  WireReader r = f.reader(1024);
  std::string line;
  EXPECT_THROW(r.read_line(line), ProtocolError);
}

TEST(WireReader, TruncatedLiteralIsAConnectionError) {
  Feed f{"abc", 10};
  WireReader r = f.reader();
  EXPECT_THROW(r.read_exact(10, [](const char*, std::size_t) {}), NetworkError);
}

Response parse(const std::string& wire, const LiteralHook& hook = {}, const Limits& limits = {}) {
  Feed f{wire, 5};
  WireReader r = f.reader();
  return read_response(r, hook, limits);
}

TEST(Response, GreetingTaggedAndContinuation) {
  Response g = parse("* OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] Dovecot ready.\r\n");
  EXPECT_EQ(g.type, Response::Type::Untagged);
  EXPECT_EQ(g.kind, "OK");
  EXPECT_EQ(g.code_name(), "CAPABILITY");
  EXPECT_EQ(g.code_argument(), "IMAP4rev1 IDLE AUTH=PLAIN");
  EXPECT_EQ(g.text, "Dovecot ready.");

  Response t = parse("s7 no [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  EXPECT_EQ(t.type, Response::Type::Tagged);
  EXPECT_EQ(t.tag, "s7");
  EXPECT_EQ(t.kind, "NO");
  EXPECT_EQ(t.code_name(), "AUTHENTICATIONFAILED");

  Response c = parse("+ idling\r\n");
  EXPECT_EQ(c.type, Response::Type::Continuation);
  EXPECT_EQ(c.text, "idling");
  Response empty = parse("+\r\n");
  EXPECT_EQ(empty.type, Response::Type::Continuation);
}

TEST(Response, StatusTextMayHoldAnythingIncludingBracesAndParens) {
  Response r = parse("* OK [UIDVALIDITY 3857529045] UIDs valid ((( {12}\r\n");
  EXPECT_EQ(r.code_name(), "UIDVALIDITY");
  EXPECT_EQ(r.code_argument(), "3857529045");
  EXPECT_EQ(r.text, "UIDs valid ((( {12}");  // not a literal: status text has none
}

TEST(Response, NumberedDataAndLists) {
  Response e = parse("* 23 EXISTS\r\n");
  ASSERT_TRUE(e.number);
  EXPECT_EQ(*e.number, 23u);
  EXPECT_EQ(e.kind, "EXISTS");

  Response l = parse("* LIST (\\HasNoChildren \\Sent) \".\" \"Elementos \\\"enviados\\\"\"\r\n");
  EXPECT_EQ(l.kind, "LIST");
  ASSERT_EQ(l.data.size(), 3u);
  ASSERT_EQ(l.data[0].kind, Value::Kind::List);
  EXPECT_EQ(l.data[0].items[1].text, "\\Sent");
  EXPECT_EQ(l.data[1].text, ".");
  EXPECT_EQ(l.data[2].text, "Elementos \"enviados\"");

  Response nil = parse("* LIST () NIL INBOX\r\n");
  EXPECT_EQ(nil.data[1].kind, Value::Kind::Nil);
  EXPECT_EQ(nil.data[2].text, "INBOX");
}

TEST(Response, FetchWithSectionAtomsAndInMemoryLiteral) {
  const std::string header = "Message-ID: <a@b>\r\n\r\n";
  Response r = parse("* 12 FETCH (UID 4411 RFC822.SIZE 1234 BODY[HEADER.FIELDS (MESSAGE-ID)] {" +
                     std::to_string(header.size()) + "}\r\n" + header + ")\r\n");
  EXPECT_EQ(r.kind, "FETCH");
  ASSERT_EQ(r.data.size(), 1u);
  const auto& items = r.data[0].items;
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].text, "UID");
  EXPECT_EQ(items[1].number, 4411u);
  EXPECT_EQ(items[4].text, "BODY[HEADER.FIELDS (MESSAGE-ID)]");
  EXPECT_EQ(items[5].kind, Value::Kind::String);
  EXPECT_EQ(items[5].text, header);
}

TEST(Response, HookStreamsTheBodyLiteralInPieces) {
  const std::string body(100000, 'm');
  std::string got;
  std::string seen_key;
  const LiteralHook hook = [&](std::string_view kind, std::string_view key, std::uint64_t size, WireReader& r) {
    if (kind != "FETCH" || key != "BODY[]") return false;
    seen_key = std::string(key);
    r.read_exact(size, [&](const char* d, std::size_t n) { got.append(d, n); });
    return true;
  };
  Response r = parse("* 1 FETCH (UID 9 BODY[] {100000}\r\n" + body + " FLAGS (\\Seen))\r\n", hook);
  EXPECT_EQ(seen_key, "BODY[]");
  EXPECT_EQ(got, body);
  const auto& items = r.data[0].items;
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[3].kind, Value::Kind::Streamed);
  EXPECT_EQ(items[3].number, 100000u);
  EXPECT_EQ(items[5].items[0].text, "\\Seen");
}

TEST(Response, EightBitAndNonUtf8BytesPassThroughUntouched) {
  Response r = parse("* LIST () \"/\" \"Env\xC3\xADos \xFF\xFE\"\r\n");
  EXPECT_EQ(r.data[2].text, "Env\xC3\xADos \xFF\xFE");
}

TEST(Response, MalformedAnswersAreProtocolErrors) {
  for (const std::string bad : {
           "* LIST (\\HasNoChildren \".\" INBOX\r\n",   // unterminated list
           "* LIST () \".\" \"INBOX\r\n",               // unterminated quoted string
           "* 1 FETCH (BODY[] {5} x)\r\n",              // literal not at the end of the line
           "* 1 FETCH (BODY[] {abc}\r\n",               // literal size not a number
           "* 1 FETCH (BODY[HEADER.FIELDS (X) 1)\r\n",  // '[' without ']'
           "* 1 FETCH (UID 1))\r\n",                    // unbalanced ')'
           "* 99999999999 EXISTS\r\n",                  // number out of range
           "s1 MAYBE whatever\r\n",                     // tagged but not OK/NO/BAD
           " \r\n",                                     // no tag
           "* 1 FETCH (RFC822.SIZE 99999999999999999999999)\r\n",  // overflow
       }) {
    EXPECT_THROW(parse(bad), ProtocolError) << bad;
  }
}

TEST(Response, TruncatedAnswersAreConnectionErrors) {
  EXPECT_THROW(parse("* 1 FETCH (UID 1 BODY[] {100}\r\nonly some"), NetworkError);
  EXPECT_THROW(parse("* OK no line end"), NetworkError);
}

TEST(Response, HugeLiteralWithoutAHookIsRefusedNotAllocated) {
  Limits limits;
  limits.max_literal = 1024;
  EXPECT_THROW(parse("* 1 FETCH (BODY[] {4000000000}\r\n", {}, limits), ProtocolError);
}

TEST(Response, TotalSizeAndDepthAreBounded) {
  Limits limits;
  limits.max_response = 4096;
  std::string many = "* 1 FETCH (";
  for (int i = 0; i < 10; ++i) many += "X {1000}\r\n" + std::string(1000, 'a') + " ";
  many += ")\r\n";
  EXPECT_THROW(parse(many, {}, limits), ProtocolError);

  std::string deep = "* X " + std::string(100, '(') + std::string(100, ')') + "\r\n";
  EXPECT_THROW(parse(deep), ProtocolError);
}

TEST(Response, PrintableEscapesControlsAndTruncates) {
  EXPECT_EQ(printable("a\r\nb\x01"), "a\\x0d\\x0ab\\x01");
  EXPECT_EQ(printable(std::string(300, 'x'), 10), std::string(10, 'x') + "...");
}

}  // namespace
}  // namespace sseccoe::imap
