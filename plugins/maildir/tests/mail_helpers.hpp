// Spooling a test message and reading its items back, as a source would.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sseccoe/sdk/mail.hpp"
#include "test_support.hpp"

namespace sseccoe::mailtest {

inline std::unique_ptr<sdk::mail::Spool> spool_of(const TempDir& dir, const std::string& raw) {
  auto s = std::make_unique<sdk::mail::Spool>(dir.path());
  s->write(raw);
  s->finish();
  return s;
}

inline sdk::mail::Origin inbox() { return {"INBOX", "maildir:///test/cur/1", "v1", "2021-05-01"}; }

// Every stream of `c` read to its end.
inline std::string read_all(const sdk::Content& c) {
  auto in = c.open();
  std::string out;
  std::vector<char> buf(65536);
  while (*in) {
    in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
    out.append(buf.data(), static_cast<std::size_t>(in->gcount()));
  }
  return out;
}

inline const sdk::Content* content_named(const sdk::Item& item, const std::string& name) {
  for (const auto& c : item.contents)
    if (c.name == name) return &c;
  return nullptr;
}

inline std::vector<const sdk::Content*> contents_with_role(const sdk::Item& item, const std::string& role) {
  std::vector<const sdk::Content*> out;
  for (const auto& c : item.contents)
    if (c.role == role) out.push_back(&c);
  return out;
}

// Parses `raw` with default options (plus per_attachment when asked).
struct Parsed {
  std::unique_ptr<sdk::mail::Spool> spool;
  std::vector<sdk::Item> items;
};
inline Parsed parse(const TempDir& dir, const std::string& raw, bool per_attachment = false,
                    const sdk::mail::Origin& origin = inbox()) {
  Parsed p;
  p.spool = spool_of(dir, raw);
  sdk::OptionValues o = options_with_defaults(sdk::mail::shared_options());
  o.set("per_attachment", per_attachment);
  p.items = sdk::mail::message_items(*p.spool, origin, o);
  return p;
}

inline std::string meta(const sdk::Item& item, const std::string& key) {
  auto it = item.metadata.find(key);
  return it == item.metadata.end() ? std::string("<absent>") : it->second;
}

}  // namespace sseccoe::mailtest
