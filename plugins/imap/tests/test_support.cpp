#include "test_support.hpp"

#include "option_defaults.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "errors.hpp"

namespace fs = std::filesystem;

namespace sseccoe::imap::testing {

// ---- TempDir ------------------------------------------------------------------

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sseccoe-imap-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const std::string p = path_ + "/" + name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + p);
  return p;
}

std::size_t TempDir::file_count() const {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(path_))
    if (e.is_regular_file()) ++n;
  return n;
}

// ---- options --------------------------------------------------------------------

sdk::OptionValues default_options(const std::string& url, const std::string& password_file) {
  sdk::OptionValues v;
  for (const auto& spec : option_table())
    if (!spec.default_value.empty())
      v.set(std::string(spec.name), parse_default(spec.type, std::string(spec.default_value)));
  v.set("url", url);
  v.set("username", std::string("comite"));
  v.set("password_file", password_file);
  return v;
}

ImapSettings settings_for(const std::string& work_dir, std::vector<std::string> folders) {
  sdk::SourceConfig c;
  c.instance = "correo";
  c.institution = "INM";
  c.options = default_options();
  c.options.set("folders", std::move(folders));
  c.work_dir = work_dir;
  return read_settings(c);
}

// ---- messages -------------------------------------------------------------------

std::string message(const std::string& message_id, const std::string& subject, const std::string& body) {
  std::string m = "From: Plataforma SICAVISP <plataforma@sicavisp.example>\r\n"
                  "To: comite@inm.example\r\n"
                  "Subject: " + subject + "\r\n"
                  "Date: Fri, 14 May 2021 10:00:00 -0500\r\n";
  if (!message_id.empty()) m += "Message-ID: <" + message_id + ">\r\n";
  m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body;
  return m;
}

namespace {

// The message around a base64 attachment of `size` bytes, written through `put`.
void attachment_message(const std::string& message_id, std::uint64_t size,
                        const std::function<void(const std::string&)>& put) {
  static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string m = "From: plataforma@sicavisp.example\r\nTo: comite@inm.example\r\nSubject: Constancia\r\n"
                  "Date: Fri, 14 May 2021 10:00:00 -0500\r\n";
  if (!message_id.empty()) m += "Message-ID: <" + message_id + ">\r\n";
  m += "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
       "Content-Type: text/plain\r\n\r\nAdjunto.\r\n--b1\r\nContent-Type: application/pdf\r\n"
       "Content-Disposition: attachment; filename=\"constancia.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  put(m);
  std::uint32_t x = 12345;
  const std::uint64_t chars = (size + 2) / 3 * 4;
  std::string piece;
  for (std::uint64_t i = 0; i < chars; ++i) {
    x = x * 1103515245u + 12345u;
    piece += b64[(x >> 16) & 63];
    if (i % 76 == 75) piece += "\r\n";
    if (piece.size() >= 64 * 1024) {
      put(piece);
      piece.clear();
    }
  }
  put(piece + "\r\n--b1--\r\n");
}

}  // namespace

std::string message_with_attachment(const std::string& message_id, std::size_t size) {
  std::string m;
  m.reserve(size / 3 * 4 + size / 57 * 2 + 1024);
  attachment_message(message_id, size, [&](const std::string& p) { m += p; });
  return m;
}

void write_message_with_attachment(const std::string& path, const std::string& message_id, std::uint64_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  attachment_message(message_id, size, [&](const std::string& p) { out.write(p.data(), static_cast<std::streamsize>(p.size())); });
  if (!out) throw std::runtime_error("cannot write " + path);
}

// ---- FakeEmitter ------------------------------------------------------------------

sdk::EmitResult FakeEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) {
  Emitted e;
  e.item = item;
  if (cursor_after) e.cursor = cursor_after->value;
  if (auto f = force.find(item.natural_key); f != force.end()) {
    e.outcome = f->second;
    force.erase(f);
    emitted.push_back(e);
    return {e.outcome, "", "forced by the test"};
  }
  auto it = store.find(item.natural_key);
  if (it != store.end() && !item.version.empty() && it->second.version == item.version) {
    e.outcome = sdk::EmitOutcome::Unchanged;
    if (cursor_after) commit_cursor(cursor_after->value);
    emitted.push_back(e);
    return {e.outcome, "ev-test", ""};
  }
  if (before_store) before_store(item);
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a: enough to tell contents apart here
  std::uint64_t bytes = 0;
  for (const auto& c : item.contents) {
    if (!c.only_for_kind.empty()) continue;  // the core opens these only for their kind
    std::unique_ptr<std::istream> in = c.open();
    std::vector<char> buf(64 * 1024);
    for (;;) {
      in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto n = static_cast<std::size_t>(in->gcount());
      if (n == 0) break;
      bytes += n;
      for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(buf[i])) * 1099511628211ull;
    }
  }
  const std::string digest = std::to_string(h) + ":" + std::to_string(bytes);
  e.outcome = it == store.end()               ? sdk::EmitOutcome::New
              : it->second.digest == digest ? sdk::EmitOutcome::Unchanged
                                            : sdk::EmitOutcome::Changed;
  store[item.natural_key] = sdk::KnownItem{item.version, digest};
  if (cursor_after) commit_cursor(cursor_after->value);
  emitted.push_back(e);
  return {e.outcome, "ev-test", ""};
}

void FakeEmitter::commit_cursor(const std::string& value) {
  if (batch_depth > 0)
    staged_cursor = value;
  else
    committed = value;
}

void FakeEmitter::batch_begin() {
  ++batch_depth;
  ++batches;
}

void FakeEmitter::batch_end() {
  if (batch_depth == 0) throw std::logic_error("batch_end() without batch_begin()");
  if (--batch_depth == 0 && staged_cursor) {
    committed = *staged_cursor;
    staged_cursor.reset();
  }
}

void FakeEmitter::quarantine(std::string_view key, std::string_view reason, std::string_view locator) {
  quarantined.push_back({std::string(key), std::string(reason), std::string(locator)});
}

std::optional<sdk::KnownItem> FakeEmitter::known(std::string_view key) {
  ++known_calls;
  auto it = store.find(key);
  if (it == store.end()) return std::nullopt;
  return it->second;
}

std::set<std::string> FakeEmitter::stored_keys() const {
  std::set<std::string> out;
  for (const auto& [k, v] : store) out.insert(k);
  return out;
}

std::size_t FakeEmitter::count(sdk::EmitOutcome outcome) const {
  return static_cast<std::size_t>(
      std::count_if(emitted.begin(), emitted.end(), [&](const Emitted& e) { return e.outcome == outcome; }));
}

bool FakeEmitter::logged(const std::string& fragment) const {
  for (const auto& [level, text] : logs)
    if (text.find(fragment) != std::string::npos) return true;
  return false;
}

// ---- FakeMailbox ------------------------------------------------------------------

std::uint32_t FakeMailbox::add(std::string raw) {
  FakeMessage m;
  m.uid = next_uid++;
  m.raw = std::move(raw);
  messages.push_back(std::move(m));
  return messages.back().uid;
}

std::uint32_t FakeMailbox::add_file(std::string path) {
  FakeMessage m;
  m.uid = next_uid++;
  m.file = std::move(path);
  messages.push_back(std::move(m));
  return messages.back().uid;
}

void FakeMailbox::expunge(std::uint32_t uid) {
  messages.erase(std::remove_if(messages.begin(), messages.end(), [&](const auto& m) { return m.uid == uid; }),
                 messages.end());
}

void FakeMailbox::renumber() {
  ++uidvalidity;
  std::reverse(messages.begin(), messages.end());  // a rebuilt index need not keep the order
  next_uid = 1;
  for (auto& m : messages) m.uid = next_uid++;
}

const FakeMessage* FakeMailbox::find(std::uint32_t uid) const {
  for (const auto& m : messages)
    if (m.uid == uid) return &m;
  return nullptr;
}

MailboxStatus FakeMailbox::examine(const Mailbox&) {
  return MailboxStatus{uidvalidity, next_uid, static_cast<std::uint32_t>(messages.size())};
}

UidRanges FakeMailbox::search_from(std::uint32_t first) {
  UidRanges out;
  for (const auto& m : messages)
    if (m.uid >= first) out.add(m.uid);
  return out;
}

UidRanges FakeMailbox::existing(const UidRanges& uids) {
  UidRanges out;
  for (const auto& m : messages)
    if (uids.contains(m.uid)) out.add(m.uid);
  return out;
}

FetchOutcome FakeMailbox::fetch_meta(const UidRanges& uids, const std::function<void(const MessageMeta&)>& each) {
  meta_fetches.push_back(uids.to_string());
  FetchOutcome outcome;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const FakeMessage& m = messages[i];
    if (!uids.contains(m.uid)) continue;
    if (no_meta.count(m.uid) > 0) {
      outcome = {false, "NO [SERVERBUG] Internal error"};
      continue;
    }
    MessageMeta meta;
    meta.uid = m.uid;
    std::string head = m.raw;
    meta.size = m.raw.size();
    if (!m.file.empty()) {
      meta.size = fs::file_size(m.file);
      std::ifstream in(m.file, std::ios::binary);
      head.resize(64 * 1024);
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<std::size_t>(in.gcount()));
    }
    // The header lines named Message-ID, as a server returns them.
    for (std::size_t pos = 0; pos < head.size();) {
      std::size_t nl = head.find('\n', pos);
      if (nl == std::string::npos) nl = head.size();
      const std::string line = head.substr(pos, nl - pos);
      if (line.empty() || line == "\r") break;
      std::string lower = line.substr(0, 11);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower == "message-id:") meta.header_fields = line + "\n";
      pos = nl + 1;
    }
    meta.header_fields += "\r\n";
    if (auto a = announced.find(m.uid); a != announced.end()) meta.size = a->second;
    each(meta);
  }
  return outcome;
}

FetchOutcome FakeMailbox::fetch_bodies(const UidRanges& uids,
                                       const std::function<BodySink*(std::uint64_t size)>& open_sink,
                                       const std::function<void(const FetchedBody&)>& done) {
  body_fetches.push_back(uids.to_string());
  FetchOutcome outcome;
  for (const auto& [first, last] : uids.ranges()) {
    for (std::uint64_t u = first; u <= last; ++u) {
      const auto uid = static_cast<std::uint32_t>(u);
      if (before_body) before_body(uid);
      const FakeMessage* m = find(uid);
      if (m == nullptr) continue;  // expunged: left out of the answer
      if (no_body.count(uid) > 0) {
        outcome = {false, "NO Some messages could not be FETCHed"};
        continue;
      }
      FetchedBody b;
      b.uid = uid;
      b.size = m->file.empty() ? m->raw.size() : fs::file_size(m->file);
      b.internal_date = m->internal_date;
      b.sink = open_sink(b.size);
      if (m->file.empty()) {
        for (std::size_t off = 0; off < m->raw.size(); off += chunk)
          b.sink->write(m->raw.data() + off, std::min(chunk, m->raw.size() - off));
      } else {
        std::ifstream in(m->file, std::ios::binary);
        std::vector<char> buf(chunk);
        while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
          b.sink->write(buf.data(), static_cast<std::size_t>(in.gcount()));
      }
      b.bytes = b.size;
      body_bytes_sent += b.bytes;
      done(b);
    }
  }
  return outcome;
}

// ---- ScriptedServer -----------------------------------------------------------------

ScriptedServer::ScriptedServer(std::vector<std::string> script) : script_(std::move(script)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 4) != 0)
    throw std::runtime_error("cannot listen on loopback");
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { run(); });
}

ScriptedServer::~ScriptedServer() {
  finish();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string ScriptedServer::finish() {
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  return error_;
}

bool ScriptedServer::another_client_waiting() const {
  pollfd p{listen_fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

std::vector<std::string> ScriptedServer::client_lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

void ScriptedServer::run() {
  pollfd p{listen_fd_, POLLIN, 0};
  if (::poll(&p, 1, 20000) <= 0) {
    std::lock_guard lock(mu_);
    error_ = "no client connected";
    return;
  }
  const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  std::string buffer;
  auto fail = [&](const std::string& why) {
    std::lock_guard lock(mu_);
    if (error_.empty()) error_ = why;
  };
  auto read_line = [&](std::string& line) {
    for (;;) {
      const auto nl = buffer.find("\r\n");
      if (nl != std::string::npos) {
        line = buffer.substr(0, nl);
        buffer.erase(0, nl + 2);
        return true;
      }
      pollfd q{fd, POLLIN, 0};
      if (::poll(&q, 1, 20000) <= 0) return false;
      char tmp[65536];
      const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buffer.append(tmp, static_cast<std::size_t>(n));
    }
  };
  auto send_all = [&](const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
      const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  };
  for (const std::string& step : script_) {
    if (step == "CLOSE") break;
    if (step.rfind("ZEROS: ", 0) == 0) {
      // n bytes generated on the fly: a huge literal without holding it here.
      std::uint64_t left = std::stoull(step.substr(7));
      const std::string block(64 * 1024, 'x');
      bool ok = true;
      while (left > 0 && ok) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
        ok = send_all(block.substr(0, n));
        left -= n;
      }
      if (!ok) {
        fail("client gone during: " + step);
        break;
      }
      continue;
    }
    if (step.rfind("S: ", 0) == 0 || step.rfind("RAW: ", 0) == 0) {
      const bool raw = step[0] == 'R';
      if (!send_all(raw ? step.substr(5) : step.substr(3) + "\r\n")) {
        fail("client gone before: " + step);
        break;
      }
    } else if (step.rfind("C: ", 0) == 0) {
      std::string line;
      if (!read_line(line)) {
        fail("client sent nothing for: " + step);
        break;
      }
      {
        std::lock_guard lock(mu_);
        lines_.push_back(line);
      }
      if (!std::regex_match(line, std::regex(step.substr(3)))) {
        fail("client sent \"" + line + "\" where the script wants " + step);
        break;
      }
    } else {
      fail("bad script step: " + step);
      break;
    }
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

namespace {
std::uint64_t status_field(const char* name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(name) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size())) * 1024;
  return 0;
}
}  // namespace

std::uint64_t peak_rss() { return status_field("VmHWM"); }
std::uint64_t current_rss() { return status_field("VmRSS"); }

std::uint64_t rss_growth_since(std::uint64_t baseline) {
  const std::uint64_t peak = peak_rss();
  return peak > baseline ? peak - baseline : 0;
}

void reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

}  // namespace sseccoe::imap::testing
