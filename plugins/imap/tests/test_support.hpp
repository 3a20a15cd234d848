// Test doubles for the imap plugin: a fake emitter that behaves like the core
// (version and digest decide, cursors are committed only with durable items),
// an in-memory mailbox that can expunge, renumber and fail on cue, a
// scripted IMAP server on loopback, and message builders.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "imap_options.hpp"
#include "mailbox_reader.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/options.hpp"
#include "option_defaults.hpp"

namespace sseccoe::imap::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string write(const std::string& name, const std::string& content) const;
  // Regular files left in the directory (spool files must not pile up).
  std::size_t file_count() const;

 private:
  std::string path_;
};

// Option-table defaults parsed by the agent's own configuration code.
using sseccoe::testing::parse_default;
// Every default of the plugin's table (shared mail options included) plus
// url, username and password_file.
sdk::OptionValues default_options(const std::string& url = "imaps://mail.example.gob.mx",
                                  const std::string& password_file = "/run/credentials/imap.pass");
ImapSettings settings_for(const std::string& work_dir, std::vector<std::string> folders = {"INBOX"});

// A message as a mail server stores it (CRLF line ends).
std::string message(const std::string& message_id, const std::string& subject = "Constancia",
                    const std::string& body = "Se adjunta la constancia.\r\n");
// A message with one attachment of `size` bytes (base64-encoded).
std::string message_with_attachment(const std::string& message_id, std::size_t size);
// The same, written to `path` piece by piece (a message too big to hold).
void write_message_with_attachment(const std::string& path, const std::string& message_id, std::uint64_t size);

struct Emitted {
  sdk::Item item;
  sdk::EmitOutcome outcome = sdk::EmitOutcome::New;
  std::optional<std::string> cursor;  // what the emit carried
};

struct Quarantined {
  std::string key, reason, locator;
};

class FakeEmitter : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) override;
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override;
  std::optional<sdk::KnownItem> known(std::string_view key) override;
  void checkpoint(const sdk::Cursor& cursor) override { commit_cursor(cursor.value); }
  // Like the core: inside a batch a cursor is staged, and durable at batch_end().
  void batch_begin() override;
  void batch_end() override;
  void gone(std::string_view key) override { gone_keys.emplace_back(key); }
  void log(sdk::LogLevel level, std::string_view message) override { logs.emplace_back(level, message); }

  std::set<std::string> stored_keys() const;
  std::size_t count(sdk::EmitOutcome outcome) const;
  bool logged(const std::string& fragment) const;

  std::map<std::string, sdk::KnownItem, std::less<>> store;  // what the "core" holds
  std::vector<Emitted> emitted;
  std::vector<Quarantined> quarantined;
  std::vector<std::string> gone_keys;
  std::vector<std::pair<sdk::LogLevel, std::string>> logs;
  std::string committed;  // the cursor as last committed (durable)
  int batch_depth = 0;
  std::size_t batches = 0;
  std::optional<std::string> staged_cursor;
  std::size_t known_calls = 0;
  // Called before an item's streams are read (to fail or stop on cue).
  std::function<void(const sdk::Item&)> before_store;
  void commit_cursor(const std::string& value);
  // Outcome to report instead of storing (once per key), e.g. Deferred.
  std::map<std::string, sdk::EmitOutcome> force;
};

struct FakeMessage {
  std::uint32_t uid = 0;
  std::string raw;
  std::string file;  // when set, the message is this file, read in pieces
  std::string internal_date = "14-May-2021 10:00:00 -0500";
};

// A mailbox in memory, answering like a server would.
class FakeMailbox : public MailboxReader {
 public:
  std::uint32_t add(std::string raw);
  std::uint32_t add_file(std::string path);
  void expunge(std::uint32_t uid);
  // What a rebuilt index does: a new UIDVALIDITY, every message renumbered from 1.
  void renumber();
  const FakeMessage* find(std::uint32_t uid) const;

  MailboxStatus examine(const Mailbox& mailbox) override;
  UidRanges search_from(std::uint32_t first) override;
  UidRanges existing(const UidRanges& uids) override;
  FetchOutcome fetch_meta(const UidRanges& uids, const std::function<void(const MessageMeta&)>& each) override;
  FetchOutcome fetch_bodies(const UidRanges& uids, const std::function<BodySink*(std::uint64_t size)>& open_sink,
                            const std::function<void(const FetchedBody&)>& done) override;

  std::uint32_t uidvalidity = 1000;
  std::uint32_t next_uid = 1;
  std::vector<FakeMessage> messages;  // ascending UIDs
  std::set<std::uint32_t> no_meta;     // fetch_meta leaves these out (but they exist)
  std::set<std::uint32_t> no_body;     // fetch_bodies leaves these out and answers NO
  std::map<std::uint32_t, std::uint64_t> announced;  // RFC822.SIZE to report instead of the real one
  // Called before each body is sent (may expunge, or throw NetworkError).
  std::function<void(std::uint32_t uid)> before_body;
  std::size_t chunk = 4096;  // bodies are written to sinks in pieces this big
  std::vector<std::string> body_fetches;  // UID sets of every fetch_bodies call
  std::vector<std::string> meta_fetches;
  std::uint64_t body_bytes_sent = 0;
};

// An IMAP server on 127.0.0.1 that plays a script against one client:
// "S: text" sends text + CRLF, "C: regex" expects a client line matching it,
// "CLOSE" hangs up, "RAW: text" sends text as it is (no CRLF added),
// "ZEROS: n" sends n bytes of 'x' without holding them in memory.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::string> script);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;
  std::uint16_t port() const { return port_; }
  // Waits for the script to end; returns "" or what went wrong.
  std::string finish();
  std::vector<std::string> client_lines() const;
  // A second connection is waiting to be accepted (the script serves one).
  bool another_client_waiting() const;

 private:
  void run();
  std::vector<std::string> script_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
  std::string error_;
  bool finished_ = false;
};

// Resident memory of this process: the high-water mark (VmHWM), the
// current size (VmRSS), and a reset of the mark (Linux clear_refs).
std::uint64_t peak_rss();
std::uint64_t current_rss();
void reset_peak_rss();
// How far the high-water mark rose above `baseline` (0 if it did not).
std::uint64_t rss_growth_since(std::uint64_t baseline);

}  // namespace sseccoe::imap::testing
