#include "imap_session.hpp"

#include <cctype>

#include "errors.hpp"
#include "imap_syntax.hpp"

namespace sseccoe::imap {

namespace {

// A SEARCH answer for a million messages is about 7 MB on one line; anything
// longer is not an answer this client asked for.
constexpr std::size_t kMaxLine = 16u << 20;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::uint32_t to_u32(const std::string& s, const char* what) {
  try {
    std::size_t used = 0;
    const unsigned long long v = std::stoull(s, &used);
    if (used == s.size() && v <= 0xFFFFFFFFull) return static_cast<std::uint32_t>(v);
  } catch (const std::exception&) {
  }
  throw ProtocolError(std::string("the mail server sent a malformed ") + what + " (\"" + printable(s, 40) + "\")");
}

// Calls `each(NAME, value)` for the name/value pairs of a FETCH answer.
void for_each_item(const Response& r, const std::function<void(const std::string&, const Value&)>& each) {
  if (r.data.empty() || r.data[0].kind != Value::Kind::List)
    throw ProtocolError("the mail server sent a FETCH answer without its list of items");
  const auto& items = r.data[0].items;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) each(upper(items[i].text), items[i + 1]);
}

std::string status_text(const Response& r) {
  std::string out = r.kind;
  if (!r.code.empty()) out += " [" + printable(r.code, 80) + "]";
  if (!r.text.empty()) out += " " + printable(r.text);
  return out;
}

}  // namespace

ImapSession::ImapSession(std::unique_ptr<Connection> conn, SessionSettings settings)
    : conn_(std::move(conn)),
      settings_(std::move(settings)),
      reader_([c = conn_.get()](char* buf, std::size_t size) { return c->read_some(buf, size); }, kMaxLine) {}

ImapSession::~ImapSession() = default;

std::unique_ptr<ImapSession> ImapSession::connect(const SessionSettings& settings, int cancel_fd) {
  auto conn = Connection::open(settings.host, settings.port, settings.timeout, cancel_fd);
  if (settings.implicit_tls) conn->start_tls({settings.host, settings.ca_file});
  std::unique_ptr<ImapSession> s(new ImapSession(std::move(conn), settings));
  s->read_greeting();
  if (!settings.implicit_tls && !(settings.plaintext_on_loopback && s->conn_->peer_is_loopback())) s->starttls();
  if (s->caps_.empty()) s->refresh_capabilities();
  if (!s->has_capability("IMAP4rev1") && !s->has_capability("IMAP4rev2"))
    throw ProtocolError("the server at " + s->where() + " does not speak IMAP4rev1: check url");
  return s;
}

bool ImapSession::has_capability(std::string_view name) const { return caps_.count(upper(name)) > 0; }

void ImapSession::set_capabilities(std::string_view list) {
  caps_.clear();
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && list[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < list.size() && list[i] != ' ') ++i;
    if (i > start) caps_.insert(upper(list.substr(start, i - start)));
  }
}

std::string ImapSession::next_tag() { return "s" + std::to_string(++tag_); }

void ImapSession::send_raw(std::string_view bytes) {
  try {
    conn_->write_all(bytes.data(), bytes.size());
  } catch (...) {
    usable_ = false;
    throw;
  }
}

Response ImapSession::read(const LiteralHook& hook) {
  try {
    Response r = read_response(reader_, hook);
    common(r);
    return r;
  } catch (const NetworkError& e) {
    usable_ = false;
    if (!bye_.empty()) throw NetworkError("the mail server " + where() + " closed the connection: " + bye_);
    const std::string what = e.what();
    if (what.find(where()) != std::string::npos) throw;
    throw NetworkError(what + " (" + where() + ")");
  } catch (...) {
    usable_ = false;
    throw;
  }
}

void ImapSession::common(const Response& r) {
  if (r.type != Response::Type::Continuation && r.code_name() == "CAPABILITY") set_capabilities(r.code_argument());
  if (r.type != Response::Type::Untagged) return;
  if (r.kind == "BYE") {
    bye_ = printable(r.text.empty() ? r.kind : r.text);
  } else if (r.kind == "CAPABILITY") {
    std::string list;
    for (const Value& v : r.data) list += v.text + " ";
    set_capabilities(list);
  } else if (r.kind == "EXISTS" && r.number) {
    exists_ = *r.number;
  }
}

Response ImapSession::run(std::string_view line, const std::function<void(const Response&)>& on_untagged,
                          const LiteralHook& hook) {
  if (!usable_) throw NetworkError("the session with " + where() + " was lost earlier");
  const std::string tag = next_tag();
  std::string wire;
  wire.reserve(tag.size() + line.size() + 3);
  wire.append(tag).append(" ").append(line).append("\r\n");
  send_raw(wire);
  for (;;) {
    Response r = read(hook);
    if (r.type == Response::Type::Tagged) {
      if (r.tag != tag) {
        usable_ = false;
        throw ProtocolError("the mail server " + where() + " answered a command that was not sent (tag " +
                            printable(r.tag, 20) + ")");
      }
      return r;
    }
    if (r.type == Response::Type::Continuation) {
      usable_ = false;
      throw ProtocolError("the mail server " + where() + " asked for more data where none was due");
    }
    if (on_untagged) {
      try {
        on_untagged(r);
      } catch (...) {
        usable_ = false;  // the rest of this command's answer is still on the wire
        throw;
      }
    }
  }
}

void ImapSession::read_greeting() {
  Response r;
  try {
    r = read();
  } catch (const ProtocolError& e) {
    throw ProtocolError("the server at " + where() + " did not greet like an IMAP server: check url (" + e.what() +
                        ")");
  }
  if (r.type == Response::Type::Untagged && r.kind == "BYE")
    throw NetworkError("the mail server " + where() + " refused the connection: " + printable(r.text));
  if (r.type != Response::Type::Untagged || (r.kind != "OK" && r.kind != "PREAUTH"))
    throw ProtocolError("the server at " + where() + " did not greet like an IMAP server: check url (got \"" +
                        status_text(r) + "\")");
}

void ImapSession::refresh_capabilities() {
  const Response r = run("CAPABILITY");
  if (r.kind != "OK") throw ProtocolError("the mail server " + where() + " refused CAPABILITY: " + status_text(r));
}

void ImapSession::starttls() {
  if (caps_.empty()) refresh_capabilities();
  if (!has_capability("STARTTLS")) {
    throw TlsError("the mail server " + where() +
                   " does not offer STARTTLS, and the agent never sends credentials unencrypted over the "
                   "network: use imaps://" + settings_.host + ":993, or enable STARTTLS on the server");
  }
  const Response r = run("STARTTLS");
  if (r.kind != "OK") throw TlsError("the mail server " + where() + " refused STARTTLS: " + status_text(r));
  // Anything already received was sent before TLS and could be an attacker's
  // (CVE-2020-15953 in libetpan, CVE-2011-0411 in Postfix): refuse it.
  if (reader_.buffered() != 0) {
    usable_ = false;
    throw TlsError("the mail server " + where() +
                   " sent data right after accepting STARTTLS, before TLS started; someone may be tampering with "
                   "the connection, so it was dropped");
  }
  conn_->start_tls({settings_.host, settings_.ca_file});
  caps_.clear();  // what was said in clear text is not trusted
  refresh_capabilities();
}

void ImapSession::login(const Credentials& c) {
  caps_in_login_ok_ = false;
  if (c.oauth2) {
    if (!has_capability("AUTH=XOAUTH2"))
      throw AuthError("the mail server " + where() + " does not offer OAuth2 login (AUTH=XOAUTH2): use " +
                      "password_file instead of token_file");
    authenticate("XOAUTH2", "user=" + c.username + "\x01" + "auth=Bearer " + c.secret + "\x01\x01", c);
  } else if (has_capability("AUTH=PLAIN")) {
    authenticate("PLAIN", std::string(1, '\0') + c.username + std::string(1, '\0') + c.secret, c);
  } else if (!has_capability("LOGINDISABLED")) {
    login_command(c);
  } else {
    throw AuthError("the mail server " + where() + " allows no password login (LOGINDISABLED, no AUTH=PLAIN)");
  }
  // Capabilities may change once logged in; most servers say them in the OK.
  if (!caps_in_login_ok_) refresh_capabilities();
}

void ImapSession::authenticate(std::string_view mechanism, std::string_view payload, const Credentials& c) {
  if (!usable_) throw NetworkError("the session with " + where() + " was lost earlier");
  const std::string tag = next_tag();
  const std::string encoded = base64_encode(payload);
  if (has_capability("SASL-IR")) {
    send_raw(tag + " AUTHENTICATE " + std::string(mechanism) + " " + encoded + "\r\n");
  } else {
    send_raw(tag + " AUTHENTICATE " + std::string(mechanism) + "\r\n");
    await_continuation(c);
    send_raw(encoded + "\r\n");
  }
  int challenges = 0;
  for (;;) {
    const Response r = read();
    if (r.type == Response::Type::Continuation) {
      // XOAUTH2 reports a refused token as a challenge that must be answered
      // with an empty line; anything more is cancelled.
      send_raw(++challenges > 2 ? "*\r\n" : "\r\n");
      continue;
    }
    if (r.type != Response::Type::Tagged) continue;
    if (r.tag != tag) throw ProtocolError("the mail server " + where() + " answered a command that was not sent");
    if (r.kind == "OK") {
      caps_in_login_ok_ = r.code_name() == "CAPABILITY";
      return;
    }
    refused_login(c, r);
  }
}

void ImapSession::login_command(const Credentials& c) {
  if (quotable(c.username) && quotable(c.secret)) {
    const Response r = run("LOGIN " + quote(c.username) + " " + quote(c.secret));
    if (r.kind != "OK") refused_login(c, r);
    caps_in_login_ok_ = r.code_name() == "CAPABILITY";
    return;
  }
  // 8-bit or control characters: send them as literals.
  if (!usable_) throw NetworkError("the session with " + where() + " was lost earlier");
  const std::string tag = next_tag();
  const bool plus = has_capability("LITERAL+");
  auto lit = [&](const std::string& s) { return "{" + std::to_string(s.size()) + (plus ? "+}\r\n" : "}\r\n"); };
  auto await_continue = [&] {
    if (!plus) await_continuation(c);
  };
  send_raw(tag + " LOGIN " + lit(c.username));
  await_continue();
  send_raw(c.username + " " + lit(c.secret));
  await_continue();
  send_raw(c.secret + "\r\n");
  for (;;) {
    const Response r = read();
    if (r.type != Response::Type::Tagged) continue;
    if (r.kind == "OK") {
      caps_in_login_ok_ = r.code_name() == "CAPABILITY";
      return;
    }
    refused_login(c, r);
  }
}

void ImapSession::await_continuation(const Credentials& c) {
  for (;;) {
    const Response r = read();
    if (r.type == Response::Type::Continuation) return;
    if (r.type == Response::Type::Tagged) refused_login(c, r);
    // Untagged answers may come first.
  }
}

void ImapSession::refused_login(const Credentials& c, const Response& r) const {
  const std::string code = r.code_name();
  const std::string said = " (the server said: " + status_text(r) + ")";
  if (code == "UNAVAILABLE")
    throw NetworkError("the mail server " + where() + " cannot check logins right now" + said);
  if (c.oauth2)
    throw AuthError("OAuth2 login refused for user " + c.username + " at " + where() +
                    ": check token_file (an expired token must be renewed)" + said);
  throw AuthError("login refused for user " + c.username + " at " + where() + ": check password_file" + said);
}

std::vector<Mailbox> ImapSession::list() {
  std::vector<Mailbox> out;
  const bool extended = has_capability("LIST-EXTENDED") && has_capability("SPECIAL-USE");
  const Response r = run(extended ? "LIST \"\" \"*\" RETURN (SPECIAL-USE)" : "LIST \"\" \"*\"", [&](const Response& u) {
    if (u.kind != "LIST" || u.data.size() < 3) return;
    Mailbox m;
    if (u.data[0].kind == Value::Kind::List)
      for (const Value& a : u.data[0].items) m.attributes.push_back(a.text);
    if (u.data[1].kind == Value::Kind::String && u.data[1].text.size() == 1) m.delimiter = u.data[1].text[0];
    m.wire = u.data[2].text;
    if (iequals(m.wire, "INBOX")) m.wire = "INBOX";  // the one case-insensitive name
    m.name = m.wire;
    out.push_back(std::move(m));
  });
  if (r.kind != "OK") throw CommandRefused("the mail server " + where() + " refused LIST: " + status_text(r));
  return out;
}

MailboxStatus ImapSession::examine(const Mailbox& mailbox) {
  MailboxStatus st;
  selected_.clear();
  exists_ = 0;
  const Response r = run("EXAMINE " + quote(mailbox.wire), [&](const Response& u) {
    const std::string code = u.code_name();
    if (code == "UIDVALIDITY") st.uidvalidity = to_u32(u.code_argument(), "UIDVALIDITY");
    if (code == "UIDNEXT") st.uidnext = to_u32(u.code_argument(), "UIDNEXT");
  });
  if (r.kind != "OK")
    throw CommandRefused("the mail server " + where() + " cannot open folder '" + mailbox.name + "': " +
                         status_text(r));
  if (st.uidvalidity == 0)
    throw ProtocolError("the mail server " + where() + " gave no UIDVALIDITY for folder '" + mailbox.name +
                        "'; without it messages cannot be tracked");
  st.exists = exists_;
  selected_ = mailbox.wire;
  return st;
}

UidRanges ImapSession::search(const std::string& criteria) {
  UidRanges out;
  const bool esearch = has_capability("ESEARCH");
  const Response r = run(esearch ? "UID SEARCH RETURN (ALL) " + criteria : "UID SEARCH " + criteria,
                         [&](const Response& u) {
                           if (u.kind == "SEARCH") {
                             for (const Value& v : u.data)
                               if (v.kind == Value::Kind::Number) out.add(to_u32(v.text, "UID"));
                           } else if (u.kind == "ESEARCH") {
                             for (std::size_t i = 0; i + 1 < u.data.size(); ++i)
                               if (u.data[i].is_atom("ALL")) out = UidRanges::parse(u.data[i + 1].text);
                           }
                         });
  if (r.kind != "OK") throw CommandRefused("the mail server " + where() + " refused UID SEARCH: " + status_text(r));
  return out;
}

UidRanges ImapSession::search_from(std::uint32_t first) {
  UidRanges out = search("UID " + std::to_string(first) + ":*");
  // "n:*" always includes the last message, even when its UID is below n.
  if (first > 0) out.drop_through(first - 1);
  return out;
}

UidRanges ImapSession::existing(const UidRanges& uids) {
  if (uids.empty()) return {};
  return search("UID " + uids.to_string());
}

FetchOutcome ImapSession::fetch_meta(const UidRanges& uids, const std::function<void(const MessageMeta&)>& each) {
  FetchOutcome outcome;
  if (uids.empty()) return outcome;
  const Response r = run("UID FETCH " + uids.to_string() + " (UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])",
                         [&](const Response& u) {
                           if (u.kind != "FETCH") return;
                           MessageMeta m;
                           bool sized = false;
                           for_each_item(u, [&](const std::string& name, const Value& v) {
                             if (name == "UID") m.uid = to_u32(v.text, "UID");
                             if (name == "RFC822.SIZE") {
                               m.size = v.number;
                               sized = v.kind == Value::Kind::Number;
                             }
                             if (starts_with_ci(name, "BODY[HEADER.FIELDS") && v.kind == Value::Kind::String)
                               m.header_fields = v.text;
                           });
                           if (m.uid != 0 && sized) each(m);
                         });
  if (r.kind == "BAD") throw ProtocolError("the mail server " + where() + " rejected UID FETCH: " + status_text(r));
  outcome.ok = r.kind == "OK";
  outcome.text = status_text(r);
  return outcome;
}

FetchOutcome ImapSession::fetch_bodies(const UidRanges& uids,
                                       const std::function<BodySink*(std::uint64_t size)>& open_sink,
                                       const std::function<void(const FetchedBody&)>& done) {
  FetchOutcome outcome;
  if (uids.empty()) return outcome;
  BodySink* current = nullptr;
  std::uint64_t streamed = 0;
  const LiteralHook hook = [&](std::string_view kind, std::string_view key, std::uint64_t size, WireReader& rd) {
    if (kind != "FETCH" || !iequals(key, "BODY[]")) return false;
    current = open_sink(size);
    streamed = size;
    rd.read_exact(size, [&](const char* d, std::size_t n) { current->write(d, n); });
    return true;
  };
  const Response r = run("UID FETCH " + uids.to_string() + " (UID RFC822.SIZE INTERNALDATE BODY.PEEK[])",
                         [&](const Response& u) {
                           if (u.kind != "FETCH") return;
                           FetchedBody b;
                           bool has_body_item = false;
                           for_each_item(u, [&](const std::string& name, const Value& v) {
                             if (name == "UID") b.uid = to_u32(v.text, "UID");
                             if (name == "RFC822.SIZE") b.size = v.number;
                             if (name == "INTERNALDATE" && v.kind == Value::Kind::String) b.internal_date = v.text;
                             if (name == "BODY[]") {
                               has_body_item = true;
                               if (v.kind == Value::Kind::String) {
                                 // A body small enough to come as a quoted string.
                                 current = open_sink(v.text.size());
                                 current->write(v.text.data(), v.text.size());
                                 streamed = v.text.size();
                               }
                             }
                           });
                           if (!has_body_item) return;  // a flag update, not our data
                           if (b.uid == 0)
                             throw ProtocolError("the mail server " + where() + " sent a message without its UID");
                           b.sink = current;
                           b.bytes = current != nullptr ? streamed : 0;
                           current = nullptr;
                           streamed = 0;
                           done(b);
                         },
                         hook);
  if (r.kind == "BAD") throw ProtocolError("the mail server " + where() + " rejected UID FETCH: " + status_text(r));
  outcome.ok = r.kind == "OK";
  outcome.text = status_text(r);
  return outcome;
}

ImapSession::IdleWake ImapSession::idle(std::chrono::milliseconds timeout) {
  if (!usable_) throw NetworkError("the session with " + where() + " was lost earlier");
  const std::string tag = next_tag();
  send_raw(tag + " IDLE\r\n");
  bool changed = false;
  for (;;) {
    const Response r = read();
    if (r.type == Response::Type::Continuation) break;
    if (r.type == Response::Type::Tagged) {
      throw CommandRefused("the mail server " + where() + " refused IDLE: " + status_text(r));
    }
    if (r.kind == "EXISTS" || r.kind == "EXPUNGE" || r.kind == "RECENT") changed = true;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!changed) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    bool ready = reader_.buffered() > 0;  // answers read ahead with the last one
    try {
      if (!ready) ready = conn_->wait_readable(left);
    } catch (...) {
      usable_ = false;  // stopped mid-IDLE: the connection is in IDLE state
      throw;
    }
    if (!ready) break;
    const Response r = read();
    if (r.type == Response::Type::Untagged &&
        (r.kind == "EXISTS" || r.kind == "EXPUNGE" || r.kind == "RECENT" || r.kind == "FETCH"))
      changed = true;
    if (r.type == Response::Type::Tagged)
      throw ProtocolError("the mail server " + where() + " ended IDLE by itself: " + status_text(r));
  }
  send_raw("DONE\r\n");
  for (;;) {
    const Response r = read();
    if (r.type == Response::Type::Tagged && r.tag == tag) break;
  }
  return changed ? IdleWake::Changed : IdleWake::Timeout;
}

void ImapSession::logout() noexcept {
  if (!usable_) return;
  try {
    conn_->set_timeout(std::chrono::milliseconds(2000));
    run("LOGOUT");
  } catch (...) {
  }
  usable_ = false;
}

}  // namespace sseccoe::imap
