#include "maildir_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <vector>

#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::maildir {

namespace mail = sdk::mail;

namespace {

constexpr std::size_t kCopyChunk = 256 * 1024;

std::uint64_t name_hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

std::string local_day(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (localtime_r(&tt, &tm) == nullptr) return {};
  char buf[16];
  return std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm) > 0 ? std::string(buf) : std::string();
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string locator_of(const MessageFile& f) { return "maildir://" + f.path; }

// The stored version's unique name ("<size>:<unique>").
std::string_view unique_in(std::string_view version) {
  const auto colon = version.find(':');
  return colon == std::string_view::npos ? std::string_view() : version.substr(colon + 1);
}

enum class Copy { Done, Vanished, Failed };

// Copies the file into the spool; O_NOFOLLOW so that a link swapped in after
// the listing is not followed.
Copy copy_into(const std::string& path, mail::Spool& spool, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return Copy::Vanished;  // renamed by a client: listed again next pass
    error = std::strerror(errno);
    return Copy::Failed;
  }
  std::vector<char> buf(kCopyChunk);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      ::close(fd);
      return Copy::Failed;
    }
    if (n == 0) break;
    spool.write(buf.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  spool.finish();
  return Copy::Done;
}

}  // namespace

std::string file_version(const MessageFile& file) { return std::to_string(file.size) + ":" + file.unique; }

MaildirSource::MaildirSource(MaildirSettings settings, std::chrono::milliseconds quarantine_recheck)
    : s_(std::move(settings)), quarantine_recheck_(quarantine_recheck), watcher_(s_.watch) {}

std::string MaildirSource::root_problem(const std::error_code& ec) const {
  const std::string head = "source '" + s_.instance + "': Maildir root " + s_.root;
  if (ec.value() == ENOENT || ec.value() == ENOTDIR)
    return head + " does not exist or is not a directory: check option 'path'";
  if (ec.value() == EACCES || ec.value() == EPERM)
    return head + " cannot be read (" + ec.message() + "): give the agent's user read access to it (e.g. the "
                  "mail group)";
  return head + " cannot be read (" + ec.message() + ")";
}

std::vector<MaildirFolder> MaildirSource::selected(const std::vector<MaildirFolder>& all, sdk::Emitter& out) {
  std::vector<MaildirFolder> picked;
  for (const auto& f : all) {
    const auto named = [&](const std::string& n) { return folder_named(f, n); };
    if (!s_.folders.empty() && std::none_of(s_.folders.begin(), s_.folders.end(), named)) continue;
    if (std::any_of(s_.exclude_folders.begin(), s_.exclude_folders.end(), named)) continue;
    picked.push_back(f);
  }
  for (const auto& want : s_.folders) {
    const bool found = std::any_of(all.begin(), all.end(), [&](const MaildirFolder& f) { return folder_named(f, want); });
    if (!found && missing_noted_.insert(want).second)
      out.log(sdk::LogLevel::Warn, "folder '" + want + "' (option 'folders') does not exist under " + s_.root +
                                       "; existing folders are harvested, and it will be when it appears");
  }
  return picked;
}

bool MaildirSource::another_copy_stored(const sdk::KnownItem& known, const MessageFile& file) const {
  const std::string_view stored = unique_in(known.version);
  return !stored.empty() && stored != file.unique && present_.count(name_hash(stored)) != 0;
}

MaildirSource::Take MaildirSource::take(const MaildirFolder& folder, const MessageFile& f, sdk::Emitter& out,
                                        PassCounters& c) {
  const std::string version = file_version(f);
  std::string key;
  try {
    key = mail::quick_key(f.path);
  } catch (const std::runtime_error&) {
    if (::access(f.path.c_str(), F_OK) != 0) {
      ++c.deferred;  // renamed or removed since the listing: listed again next pass
      return Take::Retry;
    }
    // Unreadable: reading it below says why, in the quarantine.
  }
  if (!key.empty()) {
    auto known = out.known(key);
    if (!known) known = out.known(key + "/1");  // stored per attachment
    if (known && known->version == version) {
      ++c.unchanged;
      return Take::Settled;
    }
    if (known && another_copy_stored(*known, f)) {
      ++c.unchanged;
      ++c.duplicates;
      return Take::Settled;
    }
  }
  if (const std::string why = mail::size_problem(f.size, s_.options); !why.empty()) {
    out.quarantine(key.empty() ? "maildir:" + folder.name + "/" + f.unique : key, why, locator_of(f));
    ++c.quarantined;
    return Take::Quarantined;
  }
  return emit_spooled(folder, f, version, out, c);
}

MaildirSource::Take MaildirSource::emit_spooled(const MaildirFolder& folder, const MessageFile& f,
                                                const std::string& version, sdk::Emitter& out, PassCounters& c) {
  mail::Spool spool(s_.work_dir);  // a failure here (disk full) fails the pass: nothing is lost
  std::string error;
  switch (copy_into(f.path, spool, error)) {
    case Copy::Vanished: ++c.deferred; return Take::Retry;
    case Copy::Failed:
      out.quarantine("maildir:" + folder.name + "/" + f.unique,
                     "the message file cannot be read (" + error + "): give the agent's user read access to " +
                         f.path + ", then run 'sseccoe-agent quarantine retry'",
                     locator_of(f));
      ++c.quarantined;
      return Take::Quarantined;
    case Copy::Done: break;
  }
  const mail::Origin origin{folder.name, locator_of(f), version, local_day(f.mtime)};
  std::vector<sdk::Item> items;
  try {
    items = mail::message_items(spool, origin, s_.options);
  } catch (const mail::MessageError& e) {
    out.quarantine(mail::fallback_key(spool), std::string("the message cannot be read: ") + e.what(),
                   origin.locator);
    ++c.quarantined;
    return Take::Quarantined;
  }
  // A winmail.dat kept whole: the message is harvested, and IT is told why.
  for (const auto& w : mail::message_warnings(items)) out.log(sdk::LogLevel::Warn, w);
  bool retry = false;
  bool quarantined = false;
  for (const auto& item : items) {
    const sdk::EmitResult r = out.emit(item);
    ++c.emitted;
    switch (r.outcome) {
      case sdk::EmitOutcome::New:
      case sdk::EmitOutcome::Changed: ++c.stored; break;
      case sdk::EmitOutcome::Unchanged: ++c.unchanged; break;
      case sdk::EmitOutcome::Quarantined:
        ++c.quarantined;
        quarantined = true;
        break;
      case sdk::EmitOutcome::Deferred:
        ++c.deferred;
        retry = true;
        break;
    }
  }
  return retry ? Take::Retry : quarantined ? Take::Quarantined : Take::Settled;
}

sdk::Cursor MaildirSource::harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) {
  for (const auto& note : watcher_.take_notes()) out.log(sdk::LogLevel::Warn, note);
  std::error_code ec;
  const std::vector<MaildirFolder> all = list_folders(s_.root, ec);
  if (ec) throw std::runtime_error(root_problem(ec));
  if (all.empty())
    throw std::runtime_error("source '" + s_.instance + "': " + s_.root +
                             " is not a Maildir: it has no cur/ or new/ and no Maildir++ subfolder (.Name/cur); "
                             "check option 'path' (usually ~/Maildir)");
  const std::vector<MaildirFolder> folders = selected(all, out);
  watcher_.watch(s_.root, folders);
  for (const auto& note : watcher_.take_notes()) out.log(sdk::LogLevel::Warn, note);

  // List every folder first, so that a copy in one folder is recognised
  // while another is read.
  PassCounters c;
  c.folders = folders.size();
  std::vector<std::pair<std::size_t, MessageFile>> files;
  std::vector<std::string> problems;
  present_.clear();
  for (std::size_t i = 0; i < folders.size(); ++i) {
    for (auto& f : list_messages(folders[i], problems)) {
      present_.insert(name_hash(f.unique));
      files.emplace_back(i, std::move(f));
    }
  }
  for (const auto& p : problems) out.log(sdk::LogLevel::Warn, "source '" + s_.instance + "': " + p);

  bool complete = true;
  for (const auto& [i, f] : files) {
    if (stop.stop_requested()) {
      complete = false;
      break;
    }
    ++c.files;
    const std::uint64_t h = name_hash(f.unique);
    if (settled_.count(h) != 0) {
      ++c.settled;
      continue;
    }
    if (auto it = recheck_.find(h); it != recheck_.end()) {
      if (std::chrono::steady_clock::now() < it->second) {
        ++c.settled;
        continue;
      }
      recheck_.erase(it);
    }
    switch (take(folders[i], f, out, c)) {
      case Take::Settled: settled_.insert(h); break;
      case Take::Quarantined: recheck_[h] = std::chrono::steady_clock::now() + quarantine_recheck_; break;
      case Take::Retry: break;
    }
  }
  if (complete) {
    // Forget what left the tree: both sets stay the size of the mailbox.
    std::erase_if(settled_, [&](std::uint64_t h) { return present_.count(h) == 0; });
    std::erase_if(recheck_, [&](const auto& e) { return present_.count(e.first) == 0; });
  }
  last_pass_ = c;
  const bool news = c.stored + c.quarantined + c.deferred > 0;
  out.log(news ? sdk::LogLevel::Info : sdk::LogLevel::Debug, summary(c));
  if (!complete) return from;
  return sdk::Cursor{"maildir-v1 complete=" + utc_now()};
}

std::string MaildirSource::summary(const PassCounters& c) const {
  return "listed " + std::to_string(c.files) + " messages in " + std::to_string(c.folders) + " folders: " +
         std::to_string(c.stored) + " items new or revised, " + std::to_string(c.unchanged) + " unchanged (" +
         std::to_string(c.duplicates) + " copies of stored messages), " + std::to_string(c.settled) +
         " settled earlier, " + std::to_string(c.quarantined) + " quarantined, " + std::to_string(c.deferred) +
         " deferred";
}

void MaildirSource::wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) {
  last_wake_ = watcher_.wait(timeout, std::move(stop));
}

std::string MaildirSource::probe() {
  std::error_code ec;
  const auto all = list_folders(s_.root, ec);
  if (ec) return root_problem(ec);
  if (all.empty()) return "source '" + s_.instance + "': " + s_.root + " is not a Maildir (no cur/ or new/)";
  if (::access(s_.work_dir.c_str(), W_OK) != 0)
    return "source '" + s_.instance + "': the work directory " + s_.work_dir + " is not writable";
  return {};
}

}  // namespace sseccoe::maildir
