#include "dsn.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace sseccoe::sql {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string trimmed(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

bool starts_with_uri_scheme(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size()))
    text.replace(pos, what.size(), with);
}

// password = VALUE, in any case, also as the tail of sslpassword.
void mask_password_assignments(std::string& text) {
  static constexpr std::string_view kWord = "password";
  for (std::size_t i = 0; i + kWord.size() <= text.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < kWord.size() && match; ++k) match = ascii_lower(text[i + k]) == kWord[k];
    if (!match) continue;
    std::size_t j = i + kWord.size();
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j >= text.size() || text[j] != '=') continue;
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    std::size_t end = j;
    if (end < text.size() && text[end] == '\'') {
      // A quoted conninfo value: backslash escapes the next character.
      for (++end; end < text.size() && text[end] != '\''; ++end)
        if (text[end] == '\\') ++end;
      end = std::min(end + 1, text.size());
    } else {
      while (end < text.size() && !is_space(text[end]) && text[end] != '&' && text[end] != '"') ++end;
    }
    text.replace(j, end - j, "***");
    i = j + 3 - 1;
  }
}

// scheme://user:PASSWORD@host: everything between the first ':' of the
// userinfo and the last '@' before the next white space or quote.
void mask_uri_userinfo(std::string& text) {
  for (std::size_t pos = text.find("://"); pos != std::string::npos; pos = text.find("://", pos + 3)) {
    const std::size_t start = pos + 3;
    std::size_t stop = start;
    while (stop < text.size() && !is_space(text[stop]) && text[stop] != '"' && text[stop] != '\'') ++stop;
    const std::size_t at = text.rfind('@', stop == 0 ? 0 : stop - 1);
    if (at == std::string::npos || at < start) continue;
    const std::size_t colon = text.find(':', start);
    if (colon == std::string::npos || colon > at) continue;
    text.replace(colon + 1, at - colon - 1, "***");
  }
}

struct ConninfoDeleter {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};

}  // namespace

SecretText::~SecretText() { wipe(); }

SecretText::SecretText(SecretText&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }

SecretText& SecretText::operator=(SecretText&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

void SecretText::wipe() {
  // volatile writes, so the compiler cannot drop them as dead stores.
  volatile char* p = value_.data();
  for (std::size_t i = 0; i < value_.size(); ++i) p[i] = '\0';
  value_.clear();
}

Dsn parse_dsn(std::string text) {
  SecretText held(std::move(text));
  Dsn dsn;
  dsn.text = SecretText(trimmed(held.view()));
  const std::string& t = dsn.text.view();
  if (t.empty()) throw std::invalid_argument("it is empty: write a libpq connection string or postgresql:// URI");
  if (t.find('\0') != std::string::npos) throw std::invalid_argument("it contains a NUL byte");
  // A bare word is a database name to libpq, with nothing secret in it.
  if (t.find('=') == std::string::npos && !starts_with_uri_scheme(t)) return dsn;

  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoDeleter> options(PQconninfoParse(t.c_str(), &error));
  if (!options) {
    // libpq's message quotes the text around the fault, which may be the
    // password: it is freed unread.
    if (error != nullptr) PQfreemem(error);
    throw std::invalid_argument(
        "it is not a valid libpq connection string or URI (details withheld: they could quote the password). "
        "Write key=value pairs separated by spaces, with values that contain spaces or quotes in single quotes "
        "(password='a b\\'c'), or a postgresql://user:password@host:port/dbname URI with special characters "
        "percent-encoded");
  }
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const std::string_view key = o->keyword;
    if (key == "password" || key == "sslpassword") dsn.secrets.emplace_back(o->val);
  }
  return dsn;
}

Dsn read_dsn_file(const std::string& path) {
  const std::string what = "dsn_file '" + path + "'";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int e = errno;
    throw std::runtime_error("cannot open " + what + ": " + std::strerror(e) +
                             (e == ENOENT ? ": create it (mode 0600) with the connection string"
                                          : ": make it readable by the agent's user"));
  }
  std::string text;
  char buf[4096];
  // The stack buffer holds pieces of the secret too: wiped on every way out.
  struct Wipe {
    char* p;
    std::size_t n;
    ~Wipe() {
      volatile char* v = p;
      for (std::size_t i = 0; i < n; ++i) v[i] = '\0';
    }
  } wipe_buf{buf, sizeof buf};
  try {
    struct stat st{};
    if (::fstat(fd, &st) != 0) throw std::runtime_error("cannot stat " + what + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw std::runtime_error(what + " is not a regular file");
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error("cannot read " + what + ": " + std::strerror(errno));
      }
      if (n == 0) break;
      if (text.size() + static_cast<std::size_t>(n) > kMaxDsnBytes) {
        SecretText discard(std::move(text));
        throw std::runtime_error(what + " is larger than " + std::to_string(kMaxDsnBytes / 1024) +
                                 " KiB: it must hold only the connection string");
      }
      text.append(buf, static_cast<std::size_t>(n));
    }
  } catch (...) {
    ::close(fd);
    SecretText discard(std::move(text));
    throw;
  }
  ::close(fd);
  try {
    return parse_dsn(std::move(text));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(what + ": " + e.what());
  }
}

std::string scrub(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  // Longest first, so that a secret containing another is hidden whole.
  std::vector<std::string> sorted(secrets);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& s : sorted) replace_all(out, s, "***");
  mask_password_assignments(out);
  mask_uri_userinfo(out);
  return out;
}

std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace sseccoe::sql
