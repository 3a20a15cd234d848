#include "response.hpp"

#include <cctype>
#include <limits>

#include "errors.hpp"

namespace sseccoe::imap {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (!all_digits(s) || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (const char c : s) {
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

class Parser {
 public:
  Parser(WireReader& reader, const LiteralHook& hook, const Limits& limits)
      : r_(reader), hook_(hook), lim_(limits) {}

  Response parse() {
    next_line();
    Response resp;
    if (!line_.empty() && line_[0] == '+') {
      resp.type = Response::Type::Continuation;
      pos_ = 1;
      skip_spaces();
      resp_text(resp);
      return resp;
    }
    if (line_.size() >= 2 && line_[0] == '*' && line_[1] == ' ') {
      resp.type = Response::Type::Untagged;
      pos_ = 2;
      std::string word = word_until_space();
      if (all_digits(word)) {
        std::uint64_t n = 0;
        if (!parse_u64(word, n) || n > std::numeric_limits<std::uint32_t>::max()) fail("a message number out of range");
        resp.number = static_cast<std::uint32_t>(n);
        skip_spaces();
        word = word_until_space();
      }
      if (word.empty()) fail("an untagged response without a name");
      resp.kind = upper(word);
      kind_ = resp.kind;
      if (resp.is_status()) {
        skip_spaces();
        resp_text(resp);
        return resp;
      }
      sequence(resp.data);
      return resp;
    }
    resp.type = Response::Type::Tagged;
    pos_ = 0;
    resp.tag = word_until_space();
    if (resp.tag.empty()) fail("a response without a tag");
    skip_spaces();
    resp.kind = upper(word_until_space());
    if (resp.kind != "OK" && resp.kind != "NO" && resp.kind != "BAD")
      fail("a tagged response that is neither OK, NO nor BAD");
    skip_spaces();
    resp_text(resp);
    return resp;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ProtocolError("the mail server sent " + what + " (in \"" + printable(line_) + "\")");
  }

  void next_line() {
    r_.read_line(line_);
    pos_ = 0;
    held_ += line_.size();
    if (held_ > lim_.max_response) fail("an answer larger than " + std::to_string(lim_.max_response) + " bytes");
  }

  bool at_end() const { return pos_ >= line_.size(); }
  void skip_spaces() {
    while (!at_end() && line_[pos_] == ' ') ++pos_;
  }
  std::string word_until_space() {
    const std::size_t start = pos_;
    while (!at_end() && line_[pos_] != ' ') ++pos_;
    return line_.substr(start, pos_ - start);
  }

  // resp-text: ["[" code "]" SP] text. Never contains literals.
  void resp_text(Response& resp) {
    if (!at_end() && line_[pos_] == '[') {
      const std::size_t close = line_.find(']', pos_);
      if (close == std::string::npos) fail("a response code without ']'");
      resp.code = line_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
      skip_spaces();
    }
    resp.text = line_.substr(std::min(pos_, line_.size()));
  }

  // Values separated by spaces up to the end of the response.
  void sequence(std::vector<Value>& out) {
    std::string key;
    for (;;) {
      skip_spaces();
      if (at_end()) return;
      if (line_[pos_] == ')') fail("an unbalanced ')'");
      out.push_back(value(key, 1));
      key = out.back().kind == Value::Kind::Atom ? out.back().text : std::string();
    }
  }

  Value value(std::string_view key, std::size_t depth) {
    const char c = line_[pos_];
    if (c == '(') return list(depth);
    if (c == '"') return quoted();
    if (c == '{' || (c == '~' && pos_ + 1 < line_.size() && line_[pos_ + 1] == '{')) return literal(key);
    return atom();
  }

  Value list(std::size_t depth) {
    if (depth > lim_.max_depth) fail("lists nested deeper than " + std::to_string(lim_.max_depth));
    ++pos_;  // '('
    Value v;
    v.kind = Value::Kind::List;
    std::string key;
    for (;;) {
      skip_spaces();
      if (at_end()) fail("a list without its closing ')'");
      if (line_[pos_] == ')') {
        ++pos_;
        return v;
      }
      v.items.push_back(value(key, depth + 1));
      const Value& last = v.items.back();
      key = last.kind == Value::Kind::Atom ? last.text : std::string();
    }
  }

  Value quoted() {
    ++pos_;  // '"'
    Value v;
    v.kind = Value::Kind::String;
    for (;;) {
      if (at_end()) fail("a quoted string without its closing '\"'");
      const char c = line_[pos_++];
      if (c == '"') return v;
      if (c == '\\') {
        if (at_end()) fail("a quoted string ending in '\\'");
        v.text.push_back(line_[pos_++]);
      } else {
        v.text.push_back(c);
      }
    }
  }

  Value literal(std::string_view key) {
    if (line_[pos_] == '~') ++pos_;
    const std::size_t close = line_.find('}', pos_);
    if (close == std::string::npos || close + 1 != line_.size()) fail("a literal that does not end the line");
    std::string digits = line_.substr(pos_ + 1, close - pos_ - 1);
    if (!digits.empty() && digits.back() == '+') digits.pop_back();
    std::uint64_t size = 0;
    if (!parse_u64(digits, size)) fail("a literal with a malformed size");
    // The key names the item (e.g. "BODY[]") and outlives the hook call.
    const std::string item(key);
    Value v;
    if (hook_ && hook_(kind_, item, size, r_)) {
      v.kind = Value::Kind::Streamed;
      v.number = size;
    } else {
      if (size > lim_.max_literal)
        fail("a " + std::to_string(size) + "-byte literal where at most " + std::to_string(lim_.max_literal) +
             " bytes are expected");
      held_ += size;
      if (held_ > lim_.max_response) fail("an answer larger than " + std::to_string(lim_.max_response) + " bytes");
      v.kind = Value::Kind::String;
      v.text.reserve(static_cast<std::size_t>(size));
      r_.read_exact(size, [&](const char* d, std::size_t n) { v.text.append(d, n); });
    }
    next_line();  // the response goes on after the literal
    return v;
  }

  Value atom() {
    const std::size_t start = pos_;
    while (!at_end()) {
      const char c = line_[pos_];
      if (c == ' ' || c == '(' || c == ')') break;
      if (c == '[') {
        // A section spec ("BODY[HEADER.FIELDS (MESSAGE-ID)]") belongs to the atom.
        int depth = 0;
        for (; !at_end(); ++pos_) {
          if (line_[pos_] == '[') ++depth;
          if (line_[pos_] == ']' && --depth == 0) break;
        }
        if (at_end()) fail("a '[' without its ']'");
      }
      ++pos_;
    }
    if (pos_ == start) fail("an empty value");
    Value v;
    v.text = line_.substr(start, pos_ - start);
    if (v.text == "NIL" || v.text == "nil" || v.text == "Nil") {
      v.kind = Value::Kind::Nil;
    } else if (all_digits(v.text)) {
      v.kind = Value::Kind::Number;
      if (!parse_u64(v.text, v.number)) fail("a number out of range");
    } else {
      v.kind = Value::Kind::Atom;
    }
    return v;
  }

  WireReader& r_;
  const LiteralHook& hook_;
  const Limits& lim_;
  std::string line_;
  std::size_t pos_ = 0;
  std::size_t held_ = 0;
  std::string kind_;
};

}  // namespace

bool Value::is_atom(std::string_view up) const {
  if (kind != Kind::Atom || text.size() != up.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(text[i])) != static_cast<unsigned char>(up[i])) return false;
  return true;
}

bool Response::is_status() const {
  return kind == "OK" || kind == "NO" || kind == "BAD" || kind == "BYE" || kind == "PREAUTH";
}

std::string Response::code_name() const { return upper(code.substr(0, code.find(' '))); }

std::string Response::code_argument() const {
  const auto sp = code.find(' ');
  return sp == std::string::npos ? std::string() : code.substr(sp + 1);
}

Response read_response(WireReader& reader, const LiteralHook& hook, const Limits& limits) {
  return Parser(reader, hook, limits).parse();
}

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  for (const char ch : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace sseccoe::imap
