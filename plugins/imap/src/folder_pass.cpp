#include "folder_pass.hpp"

#include <algorithm>
#include <optional>

#include "errors.hpp"
#include "internal_date.hpp"
#include "message_id.hpp"
#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::imap {

namespace mail = sdk::mail;

namespace {

std::string percent_encode_path(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '&' || c == '+' || c == ',' ||
                       c == '/' || c == '=' || c == ':' || c == '@' || c == '!' || c == '$' || c == '\'' ||
                       c == '(' || c == ')' || c == '*';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

// The body of the message being fetched, spooled to the work directory
// while its SHA-256 is computed; or, when the server sends more than
// max_message_size (whatever the pre-check announced), read and dropped.
class FolderPass::SpoolSink final : public BodySink {
 public:
  SpoolSink(const std::string& dir, std::string too_big) : too_big(std::move(too_big)) {
    if (this->too_big.empty()) spool.emplace(dir);
  }
  void write(const char* data, std::size_t size) override {
    if (spool) spool->write(data, size);
  }
  std::optional<mail::Spool> spool;
  std::string too_big;  // the quarantine reason when the body is dropped
};

FolderPass::FolderPass(MailboxReader& reader, const ResolvedFolder& folder, PassContext& ctx, BatchLimits limits)
    : reader_(reader),
      folder_(folder),
      ctx_(ctx),
      limits_(limits),
      state_(ctx.cursor.at(folder.mailbox.wire)),
      committed_(ctx.cursor.serialize()) {}

FolderPass::~FolderPass() = default;

sdk::Cursor FolderPass::cursor_value() const { return sdk::Cursor{ctx_.cursor.serialize()}; }

void FolderPass::commit() {
  sdk::Cursor now = cursor_value();
  if (now.value == committed_) return;
  ctx_.out.checkpoint(now);
  committed_ = std::move(now.value);
}

void FolderPass::move_cursor_to(std::uint32_t uid) {
  if (hold_ || uid <= state_.last_uid) return;
  state_.last_uid = uid;
}

std::string FolderPass::locator(std::uint32_t uid) const {
  return ctx_.locator_base + percent_encode_path(folder_.mailbox.wire) + ";UIDVALIDITY=" +
         std::to_string(state_.uidvalidity) + "/;UID=" + std::to_string(uid);
}

std::string FolderPass::uid_key(std::uint32_t uid) const {
  return "uid:" + folder_.mailbox.wire + "/" + std::to_string(state_.uidvalidity) + "/" + std::to_string(uid);
}

bool FolderPass::already_harvested(const std::string& key) {
  if (ctx_.fetched_keys.count(std::hash<std::string>{}(key)) > 0) return true;
  if (ctx_.out.known(key)) return true;
  // With per_attachment the items are keyed key/1, key/2, ...
  const sdk::OptionValues& o = ctx_.settings.options;
  return o.has("per_attachment") && o.boolean("per_attachment") && ctx_.out.known(key + "/1").has_value();
}

bool FolderPass::run() {
  const MailboxStatus status = reader_.examine(folder_.mailbox);
  uidnext_ = status.uidnext;
  const std::string name = "folder '" + folder_.mailbox.name + "'";
  if (state_.uidvalidity != status.uidvalidity) {
    if (state_.uidvalidity != 0) {
      ctx_.out.log(sdk::LogLevel::Info,
                   name + ": UIDVALIDITY changed from " + std::to_string(state_.uidvalidity) + " to " +
                       std::to_string(status.uidvalidity) +
                       " (the server renumbered its messages): each is checked again by Message-ID, and those "
                       "already harvested are not fetched again");
    }
    state_ = FolderCursor{status.uidvalidity, 0};
  }
  if (status.exists == 0 || state_.last_uid == 0xFFFFFFFFu ||
      (status.uidnext != 0 && status.uidnext <= std::uint64_t{state_.last_uid} + 1)) {
    commit();  // nothing above the cursor (or a new UIDVALIDITY to record)
    return true;
  }
  UidRanges pending = reader_.search_from(state_.last_uid + 1);
  counters_.listed = pending.count();
  while (!pending.empty()) {
    if (ctx_.stop.stop_requested()) {
      commit();
      return false;
    }
    const UidRanges batch = pending.take_front(limits_.meta);
    std::vector<Entry> entries = plan(batch);
    execute(entries);
    // Every UID of the batch is now settled: handled, or verified gone.
    move_cursor_to(batch.ranges().back().second);
    commit();
  }
  commit();
  return true;
}

std::vector<FolderPass::Entry> FolderPass::plan(const UidRanges& batch) {
  std::vector<MessageMeta> metas;
  const FetchOutcome outcome = reader_.fetch_meta(batch, [&](const MessageMeta& m) {
    if (batch.contains(m.uid)) metas.push_back(m);
  });
  std::sort(metas.begin(), metas.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  metas.erase(std::unique(metas.begin(), metas.end(), [](const auto& a, const auto& b) { return a.uid == b.uid; }),
              metas.end());

  std::vector<Entry> entries;
  entries.reserve(metas.size());
  for (const MessageMeta& m : metas) {
    Entry e;
    e.uid = m.uid;
    e.size = m.size;
    e.key = mail::key_from_message_id(message_id_value(m.header_fields));
    if (std::string why = mail::size_problem(m.size, ctx_.settings.options); !why.empty()) {
      e.action = Action::Quarantine;
      e.reason = std::move(why);
    } else if (!e.key.empty() && already_harvested(e.key)) {
      e.action = Action::Known;
    }
    entries.push_back(std::move(e));
  }

  if (metas.size() < batch.count()) {
    // Messages the answer left out: expunged meanwhile, or the server could
    // not read them. Only the second kind is a problem, for that message alone.
    UidRanges missing;
    std::size_t i = 0;
    for (const auto& [first, last] : batch.ranges())
      for (std::uint64_t uid = first; uid <= last; ++uid) {
        while (i < metas.size() && metas[i].uid < uid) ++i;
        if (i >= metas.size() || metas[i].uid != uid) missing.add(static_cast<std::uint32_t>(uid));
      }
    const UidRanges still = reader_.existing(missing);
    for (const auto& [first, last] : missing.ranges())
      for (std::uint64_t uid = first; uid <= last; ++uid) {
        if (!still.contains(static_cast<std::uint32_t>(uid))) {
          ++counters_.expunged;
          continue;
        }
        Entry e;
        e.uid = static_cast<std::uint32_t>(uid);
        e.action = Action::Quarantine;
        e.reason = "the mail server did not report this message's size and Message-ID (it said: " + outcome.text +
                   "); check the server's log for this folder";
        entries.push_back(std::move(e));
      }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
    // Everything in the batch that is not in `entries` is gone: the cursor may pass it.
  }
  return entries;
}

void FolderPass::execute(std::vector<Entry>& entries) {
  std::size_t frontier = 0;
  std::size_t i = 0;
  while (i < entries.size()) {
    Entry& e = entries[i];
    if (e.action != Action::Fetch) {
      if (e.action == Action::Known) {
        ++counters_.known;
      } else {
        ++counters_.quarantined;
        ctx_.out.quarantine(e.key.empty() ? uid_key(e.uid) : e.key, e.reason, locator(e.uid));
      }
      e.done = true;
      ++i;
      advance(entries, frontier);
      continue;
    }
    // A run of messages to fetch, bounded in count and announced bytes.
    std::size_t last = i;
    std::uint64_t bytes = entries[i].size;
    while (last + 1 < entries.size() && entries[last + 1].action == Action::Fetch &&
           last + 1 - i < limits_.bodies && bytes + entries[last + 1].size <= limits_.body_bytes) {
      ++last;
      bytes += entries[last].size;
    }
    fetch_group(entries, i, last);
    advance(entries, frontier);
    i = last + 1;
  }
}

void FolderPass::advance(std::vector<Entry>& entries, std::size_t& frontier) {
  while (frontier < entries.size() && entries[frontier].done) {
    move_cursor_to(entries[frontier].uid);
    ++frontier;
  }
}

void FolderPass::fetch_group(std::vector<Entry>& entries, std::size_t first, std::size_t last) {
  UidRanges uids;
  for (std::size_t k = first; k <= last; ++k) uids.add(entries[k].uid);
  // Entries before `first` are all settled; `frontier` is the first of the
  // group that is not.
  std::size_t frontier = first;
  // The group's records (and the cursor with them) share one commit: emit()
  // returns once an item is staged, batch_end() once all are durable. On an
  // exception the staged ones are made durable too (their emit returned), so
  // that a reconnect within the pass can go on from the cursor in memory.
  ctx_.out.batch_begin();
  FetchOutcome outcome;
  try {
    outcome = fetch_group_bodies(uids, entries, first, last, frontier);
  } catch (...) {
    ctx_.out.batch_end();  // if this throws (disk full), that is the error to report
    throw;
  }
  ctx_.out.batch_end();
  // Messages the answer left out: expunged meanwhile, or unreadable.
  UidRanges missing;
  for (std::size_t k = first; k <= last; ++k)
    if (!entries[k].done) missing.add(entries[k].uid);
  if (missing.empty()) return;
  const UidRanges still = reader_.existing(missing);
  for (std::size_t k = first; k <= last; ++k) {
    Entry& e = entries[k];
    if (e.done) continue;
    e.done = true;
    if (!still.contains(e.uid)) {
      ++counters_.expunged;
      continue;
    }
    ++counters_.quarantined;
    ctx_.out.quarantine(e.key.empty() ? uid_key(e.uid) : e.key,
                        "the mail server did not return this message (it said: " + outcome.text +
                            "); check the server's log for this folder",
                        locator(e.uid));
  }
}

FetchOutcome FolderPass::fetch_group_bodies(const UidRanges& uids, std::vector<Entry>& entries, std::size_t first,
                                           std::size_t last, std::size_t& frontier) {
  const auto end = entries.begin() + static_cast<std::ptrdiff_t>(last) + 1;
  return reader_.fetch_bodies(
      uids,
      [&](std::uint64_t size) -> BodySink* {
        sink_ = std::make_unique<SpoolSink>(ctx_.settings.work_dir, mail::size_problem(size, ctx_.settings.options));
        return sink_.get();
      },
      [&](const FetchedBody& body) {
        if (ctx_.stop.stop_requested()) throw Cancelled();
        auto it = std::find_if(entries.begin() + static_cast<std::ptrdiff_t>(first), end,
                               [&](const Entry& e) { return e.uid == body.uid; });
        if (it == end || it->done || body.sink == nullptr) {
          sink_.reset();  // not asked for, a repeat, or no body: its fate is settled below
          return;
        }
        handle_body(body, *it, [&]() -> std::optional<sdk::Cursor> {
          // The cursor as it will stand once this message is durable.
          if (hold_) return std::nullopt;
          std::uint32_t uid = state_.last_uid;
          for (std::size_t f = frontier; f <= last && entries[f].done; ++f) uid = std::max(uid, entries[f].uid);
          HarvestCursor next = ctx_.cursor;
          next.at(folder_.mailbox.wire).last_uid = uid;
          return sdk::Cursor{next.serialize()};
        });
        while (frontier <= last && entries[frontier].done) move_cursor_to(entries[frontier++].uid);
      });
}

void FolderPass::handle_body(const FetchedBody& body, Entry& entry,
                             const std::function<std::optional<sdk::Cursor>()>& cursor_once_durable) {
  std::unique_ptr<SpoolSink> sink = std::move(sink_);
  const std::string where = locator(body.uid);
  if (!sink->spool) {
    ++counters_.quarantined;
    ctx_.out.quarantine(entry.key.empty() ? uid_key(entry.uid) : entry.key, sink->too_big, where);
    entry.done = true;
    return;
  }
  mail::Spool& spool = *sink->spool;
  spool.finish();
  counters_.bytes += spool.size();
  const std::uint64_t key_hash = std::hash<std::string>{}(entry.key);
  if (!entry.key.empty() && ctx_.fetched_keys.count(key_hash) > 0) {
    // A second copy in the same batch as the first: stored already.
    ++counters_.known;
    entry.done = true;
    return;
  }
  mail::Origin origin;
  origin.folder = folder_.mailbox.name;
  origin.locator = where;
  // RFC822.SIZE, as the pre-check of a later pass sees it.
  origin.version = "size:" + std::to_string(entry.size);
  origin.received_day = internal_date_local_day(body.internal_date);

  std::vector<sdk::Item> items;
  try {
    items = mail::message_items(spool, origin, ctx_.settings.options);
  } catch (const mail::MessageError& e) {
    ++counters_.quarantined;
    ctx_.out.quarantine(mail::fallback_key(spool), e.what(), where);
    entry.done = true;
    return;
  }
  // A winmail.dat kept whole: the message is harvested, and IT is told why.
  for (const auto& w : mail::message_warnings(items)) ctx_.out.log(sdk::LogLevel::Warn, w);
  bool stored = false, deferred = false, quarantined = false;
  for (std::size_t k = 0; k < items.size(); ++k) {
    sdk::Item& item = items[k];
    if (!folder_.special_use.empty()) item.metadata["special_use"] = folder_.special_use;
    std::optional<sdk::Cursor> after;
    if (k + 1 == items.size()) {
      entry.done = true;  // durable once this last item is
      after = cursor_once_durable();
    }
    const sdk::EmitResult r = ctx_.out.emit(item, after);
    switch (r.outcome) {
      case sdk::EmitOutcome::New:
      case sdk::EmitOutcome::Changed: stored = true; break;
      case sdk::EmitOutcome::Unchanged: break;
      case sdk::EmitOutcome::Quarantined: quarantined = true; break;
      case sdk::EmitOutcome::Deferred:
        // Cannot happen with a spooled message, short of a full disk; if it
        // does, the cursor stays below it and the next pass reads it again.
        deferred = true;
        hold_ = true;
        break;
    }
    if (after && (r.outcome == sdk::EmitOutcome::New || r.outcome == sdk::EmitOutcome::Changed ||
                  r.outcome == sdk::EmitOutcome::Unchanged))
      committed_ = after->value;
  }
  entry.done = true;
  if (!entry.key.empty() && !deferred) ctx_.fetched_keys.insert(key_hash);
  if (stored) ++counters_.stored;
  if (quarantined) ++counters_.quarantined;
  if (deferred) ++counters_.deferred;
  if (!stored && !deferred && !quarantined) ++counters_.unchanged;
}

}  // namespace sseccoe::imap
