// An IMAP4rev1 client session: exactly what the harvest needs (connect,
// STARTTLS, login, LIST with special-use, EXAMINE, UID SEARCH, UID FETCH of
// sizes, Message-IDs and whole messages, IDLE), nothing that changes the
// mailbox: folders are opened read-only and bodies fetched with BODY.PEEK,
// so harvesting never marks a message as read.
//
// Message bodies are never held in memory: the FETCH literal is streamed
// from the socket to a BodySink the caller provides (a spool file).
//
// Any exception from a command leaves the session unusable (the stream may
// be mid-answer); the owner drops it and connects again.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"
#include "mailbox_reader.hpp"
#include "response.hpp"
#include "uid_ranges.hpp"
#include "wire_reader.hpp"

namespace sseccoe::imap {

struct SessionSettings {
  std::string host;
  std::uint16_t port = 993;
  bool implicit_tls = true;  // imaps://; false: imap:// with STARTTLS (required off loopback)
  std::string ca_file;       // empty: the system trust store
  std::chrono::milliseconds timeout{60000};
  // imap:// without STARTTLS is allowed only when the server is on loopback;
  // false requires STARTTLS there too.
  bool plaintext_on_loopback = true;
};

struct Credentials {
  std::string username;
  std::string secret;  // password, or OAuth2 bearer token; never logged, never in an error
  bool oauth2 = false;
};

class ImapSession final : public MailboxReader {
 public:
  // Connects, reads the greeting, secures the connection (TLS at once for
  // imaps://, STARTTLS for imap:// unless the server is on loopback) and
  // learns the capabilities. `cancel_fd` aborts any wait (see Connection).
  static std::unique_ptr<ImapSession> connect(const SessionSettings& settings, int cancel_fd);
  ~ImapSession();
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  // AUTHENTICATE PLAIN (or LOGIN), or AUTHENTICATE XOAUTH2 with a bearer
  // token. Throws AuthError naming the user and server, never the secret.
  void login(const Credentials& credentials);

  // Every mailbox, with special-use attributes where the server has them.
  std::vector<Mailbox> list();
  MailboxStatus examine(const Mailbox& mailbox) override;
  // ESEARCH when the server offers it: a compact answer for 100,000 UIDs.
  UidRanges search_from(std::uint32_t first) override;
  UidRanges existing(const UidRanges& uids) override;
  FetchOutcome fetch_meta(const UidRanges& uids, const std::function<void(const MessageMeta&)>& each) override;
  FetchOutcome fetch_bodies(const UidRanges& uids, const std::function<BodySink*(std::uint64_t size)>& open_sink,
                            const std::function<void(const FetchedBody&)>& done) override;

  enum class IdleWake { Changed, Timeout };
  // IDLE on the open mailbox until it reports a change or `timeout` passes.
  IdleWake idle(std::chrono::milliseconds timeout);
  // Ends the session politely (best effort, never throws).
  void logout() noexcept;

  bool has_capability(std::string_view name) const;
  bool usable() const { return usable_; }
  bool secure() const { return conn_->secure(); }
  const std::string& where() const { return conn_->where(); }
  const std::string& selected() const { return selected_; }

 private:
  ImapSession(std::unique_ptr<Connection> conn, SessionSettings settings);

  std::string next_tag();
  void send_raw(std::string_view bytes);
  // Sends `tag SP line CRLF` and reads answers until the tagged one, giving
  // every untagged answer to `on_untagged` (after the common handling).
  Response run(std::string_view line, const std::function<void(const Response&)>& on_untagged = {},
               const LiteralHook& hook = {});
  Response read(const LiteralHook& hook = {});
  void common(const Response& r);
  void read_greeting();
  void refresh_capabilities();
  void starttls();
  void authenticate(std::string_view mechanism, std::string_view payload, const Credentials& c);
  void login_command(const Credentials& c);
  // Reads until the server's "+" (a tagged answer there is a refusal).
  void await_continuation(const Credentials& c);
  [[noreturn]] void refused_login(const Credentials& c, const Response& r) const;
  void set_capabilities(std::string_view list);
  UidRanges search(const std::string& criteria);

  std::unique_ptr<Connection> conn_;
  SessionSettings settings_;
  WireReader reader_;
  std::set<std::string> caps_;
  std::uint64_t tag_ = 0;
  bool usable_ = true;
  std::string bye_;
  std::string selected_;
  std::uint32_t exists_ = 0;
  bool caps_in_login_ok_ = false;
};

}  // namespace sseccoe::imap
