// A spooled message as items: the metadata rules match, the contents the
// core stores (raw message, attachments, acuse), and the item's date.
#include <memory>

#include "acuse_content.hpp"
#include "ids.hpp"
#include "mail_settings.hpp"
#include "parse.hpp"
#include "part_stream.hpp"
#include "sseccoe/sdk/mail.hpp"
#include "text.hpp"
#include "tnef.hpp"

namespace sseccoe::sdk::mail {

namespace {

using detail::ParsedMessage;

void put(std::map<std::string, std::string>& m, const char* key, const std::string& value) {
  if (!value.empty()) m[key] = value;
}

std::map<std::string, std::string> message_metadata(const ParsedMessage& p, const Origin& origin,
                                                    const std::string& sha256) {
  const Headers& h = p.headers;
  std::map<std::string, std::string> m;
  put(m, "folder", origin.folder);
  put(m, "from", h.from);
  put(m, "to", h.to);
  put(m, "cc", h.cc);
  put(m, "subject", h.subject);
  put(m, "date", h.date);
  put(m, "message_id", h.message_id);
  put(m, "in_reply_to", h.in_reply_to);
  put(m, "references", h.references);
  put(m, "list_id", h.list_id);
  put(m, "thread", h.thread);
  std::vector<std::string> names;
  std::vector<std::string> types;
  for (const auto& a : h.attachments) {
    names.push_back(a.name);
    types.push_back(a.media_type);
  }
  put(m, "attachment", detail::join(names, "\n"));
  put(m, "attachment_type", detail::join(types, "\n"));
  m["attachments"] = std::to_string(h.attachments.size());
  m["size"] = std::to_string(p.size);
  m["sha256"] = sha256;
  put(m, "defects", detail::join(h.defects, "\n"));
  put(m, "name", h.subject);
  if (!h.subject.empty()) m["stem"] = h.subject;
  return m;
}

}  // namespace

std::vector<Item> message_items(const Spool& spool, const Origin& origin, const OptionValues& options) {
  if (spool.sha256().empty()) throw std::logic_error("message_items: call finish() on the spool first");
  if (const std::string why = size_problem(spool.size(), options); !why.empty()) throw MessageError(why);
  const detail::MailSettings settings = detail::read_mail_settings(options);
  // A winmail.dat is unpacked beside the spool: the source's work_dir.
  const std::string& spooled = spool.path();
  const auto slash = spooled.rfind('/');
  const std::string scratch_dir = slash == std::string::npos ? "." : slash == 0 ? "/" : spooled.substr(0, slash);
  auto parsed = std::make_shared<const ParsedMessage>(detail::parse_message(spooled, scratch_dir));
  const Headers& h = parsed->headers;
  const std::string key = natural_key(h, spool.sha256());
  const std::string path = spool.path();

  Item base;
  base.natural_key = key;
  base.version = origin.version;
  base.locator = origin.locator;
  base.metadata = message_metadata(*parsed, origin, spool.sha256());
  if (!h.date_local_day.empty()) {
    base.occurred_on = h.date_local_day;
    base.occurred_on_from = "header:Date";
  } else if (!origin.received_day.empty()) {
    base.occurred_on = origin.received_day;
    base.occurred_on_from = "received";
  }

  Content message;
  message.name = "mensaje.eml";
  message.media_type = "message/rfc822";
  message.size_hint = parsed->size;
  message.role = "message";
  message.open = [path] { return detail::open_raw(path, "the message"); };

  std::vector<Content> attachments;
  for (std::size_t i = 0; i < h.attachments.size(); ++i) {
    Content c;
    c.name = h.attachments[i].name;
    c.media_type = h.attachments[i].media_type;
    c.role = "attachment";
    const detail::PartLocation loc = parsed->attachments[i];
    const std::string what = "attachment " + std::to_string(i + 1) + " of the message";
    c.open = [path, loc, what] { return detail::open_part(path, loc, what); };
    attachments.push_back(std::move(c));
  }

  Content acuse;
  acuse.name = "acuse.pdf";
  acuse.media_type = "application/pdf";
  acuse.role = "acuse";
  acuse.only_for_kind = "email_dispatch";
  const detail::AcuseSource src{path, origin.folder, spool.sha256(), parsed, settings.acuse_body_limit};
  acuse.open = [src] { return detail::open_acuse(src); };

  std::vector<Item> items;
  if (!settings.per_attachment || attachments.empty()) {
    Item item = base;
    item.contents.push_back(message);
    for (auto& c : attachments) item.contents.push_back(c);
    item.contents.push_back(acuse);
    items.push_back(std::move(item));
    return items;
  }
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    Item item = base;
    item.natural_key = key + "/" + std::to_string(i + 1);
    item.metadata["attachment"] = h.attachments[i].name;
    item.metadata["attachment_type"] = h.attachments[i].media_type;
    item.metadata["attachment_index"] = std::to_string(i + 1);
    item.metadata["name"] = h.attachments[i].name;
    item.metadata["stem"] = detail::stem_of(h.attachments[i].name);
    item.contents.push_back(attachments[i]);
    item.contents.push_back(message);
    item.contents.push_back(acuse);
    items.push_back(std::move(item));
  }
  return items;
}

// Never beside `path`: that may be a Maildir folder, where a scratch file
// would look like a message. $TMPDIR (the scratch copies are unlinked at
// once and gone when this returns).
Headers read_headers(const std::string& path) { return detail::parse_message(path, {}).headers; }

std::vector<std::string> message_warnings(const std::vector<Item>& items) {
  std::vector<std::string> out;
  if (items.empty()) return out;
  const Item& item = items.front();
  const auto it = item.metadata.find("defects");
  if (it == item.metadata.end()) return out;
  // The message's key, not the item's: with per_attachment it is "key/N".
  std::string key = item.natural_key;
  if (item.metadata.count("attachment_index") != 0) key = key.substr(0, key.rfind('/'));
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    if (line.substr(0, detail::kTnefDefectPrefix.size()) == detail::kTnefDefectPrefix)
      out.push_back("message " + key + ": " + std::string(line));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return out;
}

std::string quick_key(const std::string& path) {
  const std::string id = detail::header_block_message_id(path);
  return id.empty() ? std::string() : "msgid:" + id;
}

std::string fallback_key(const Spool& spool) {
  try {
    if (std::string k = quick_key(spool.path()); !k.empty()) return k;
  } catch (const std::exception&) {
    // Unreadable: the digest still names it.
  }
  return "sha256:" + spool.sha256();
}

}  // namespace sseccoe::sdk::mail
