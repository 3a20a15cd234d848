#include "maildir_options.hpp"

#include <stdexcept>

#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::maildir {

namespace {

using sdk::OptionSpec;
using sdk::OptionType;

constexpr OptionSpec kOwn[] = {
    {"path", OptionType::Path, "", true, false,
     "The Maildir root: the directory holding INBOX's cur/ and new/ and the Maildir++ subfolders (.Sent, "
     ".Archivo.2021, ...), e.g. /home/comite/Maildir"},
    {"folders", OptionType::StringList, "[]", false, false,
     "Folders to harvest: \"INBOX\" for the root, \"Sent\" for .Sent, \"Archivo.2021\" for .Archivo.2021 (IMAP "
     "names, decoded from modified UTF-7); empty harvests every folder"},
    {"exclude_folders", OptionType::StringList, "[]", false, false,
     "Folders never harvested, by the same names (e.g. [\"Drafts\", \"Junk\"])"},
    {"watch", OptionType::Boolean, "true", false, false,
     "Use inotify to notice deliveries at once; set false when the Maildir is on a network mount written by "
     "another machine (the poll interval covers it either way)"},
};

}  // namespace

std::span<const sdk::OptionSpec> option_table() {
  static const std::vector<OptionSpec> table = [] {
    std::vector<OptionSpec> t(std::begin(kOwn), std::end(kOwn));
    for (const auto& s : sdk::mail::shared_options()) t.push_back(s);
    return t;
  }();
  return table;
}

MaildirSettings read_settings(const sdk::SourceConfig& config) {
  const sdk::OptionValues& o = config.options;
  MaildirSettings s;
  s.instance = config.instance;
  s.root = o.str("path");
  s.folders = o.list("folders");
  s.exclude_folders = o.list("exclude_folders");
  s.watch = o.boolean("watch");
  s.work_dir = config.work_dir;
  s.options = o;

  const std::string where = "source '" + s.instance + "': ";
  if (s.root.empty()) throw std::invalid_argument(where + "option 'path' is empty: set it to the Maildir root");
  for (const auto* list : {&s.folders, &s.exclude_folders})
    for (const auto& f : *list)
      if (f.empty())
        throw std::invalid_argument(where + "option '" + (list == &s.folders ? "folders" : "exclude_folders") +
                                    "' holds an empty name: write \"INBOX\" for the root folder");
  if (s.work_dir.empty())
    throw std::invalid_argument(where + "no work directory to spool messages in (the agent sets one per source)");
  return s;
}

}  // namespace sseccoe::maildir
