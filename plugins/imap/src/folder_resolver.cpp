#include "folder_resolver.hpp"

#include <cctype>

namespace sseccoe::imap {

namespace {

constexpr std::string_view kSpecialUse[] = {"\\All", "\\Archive", "\\Drafts", "\\Flagged",
                                             "\\Junk", "\\Sent", "\\Trash"};

struct WellKnown {
  std::string_view name;
  std::string_view attribute;
};
// English and Spanish names people write for the special-use folders.
constexpr WellKnown kWellKnown[] = {
    {"sent", "\\Sent"},          {"sent items", "\\Sent"},   {"sent messages", "\\Sent"},
    {"enviados", "\\Sent"},      {"elementos enviados", "\\Sent"},
    {"drafts", "\\Drafts"},      {"borradores", "\\Drafts"},
    {"trash", "\\Trash"},        {"deleted items", "\\Trash"}, {"papelera", "\\Trash"},
    {"elementos eliminados", "\\Trash"},
    {"junk", "\\Junk"},          {"spam", "\\Junk"},          {"correo no deseado", "\\Junk"},
    {"archive", "\\Archive"},    {"archivo", "\\Archive"},
    {"all", "\\All"},            {"all mail", "\\All"},       {"flagged", "\\Flagged"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

std::string special_use_of(const Mailbox& m) {
  for (const auto a : kSpecialUse)
    if (m.has_attribute(a)) return std::string(a);
  return {};
}

std::string known_names(const std::vector<Mailbox>& listed) {
  std::string out;
  std::size_t n = 0;
  for (const auto& m : listed) {
    if (!m.selectable()) continue;
    if (++n > 20) {
      out += ", ...";
      break;
    }
    if (!out.empty()) out += ", ";
    out += m.name;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

FolderResolution resolve_folders(const std::vector<std::string>& configured, std::vector<Mailbox> listed,
                                 const std::function<std::string(std::string_view)>& decode) {
  for (auto& m : listed) m.name = m.wire == "INBOX" ? "INBOX" : decode(m.wire);
  FolderResolution out;
  auto add = [&](const std::string& entry, const Mailbox& m) {
    if (!m.selectable()) {
      out.problems.push_back("folder '" + entry + "' (" + m.name + ") cannot be opened on the server (\\Noselect)");
      return;
    }
    for (const auto& f : out.folders)
      if (f.mailbox.wire == m.wire) return;  // two entries, one mailbox
    out.folders.push_back(ResolvedFolder{entry, m, special_use_of(m)});
  };
  auto by_attribute = [&](std::string_view attribute) -> const Mailbox* {
    for (const auto& m : listed)
      if (m.has_attribute(attribute) && m.selectable()) return &m;
    return nullptr;
  };

  for (const auto& entry : configured) {
    if (entry.front() == '\\') {
      if (const Mailbox* m = by_attribute(entry)) {
        add(entry, *m);
      } else {
        out.problems.push_back("no folder on the server has the special-use attribute " + entry +
                               " (folders: " + known_names(listed) + ")");
      }
      continue;
    }
    const Mailbox* found = nullptr;
    for (const auto& m : listed)
      if (m.name == entry || m.wire == entry || (m.wire == "INBOX" && iequals(entry, "INBOX"))) found = &m;
    if (found == nullptr) {
      // The same name with other capitals, if only one folder has it.
      int matches = 0;
      for (const auto& m : listed)
        if (iequals(m.name, entry)) {
          found = &m;
          ++matches;
        }
      if (matches > 1) found = nullptr;
    }
    if (found == nullptr) {
      // Servers whose folders all live under INBOX ("INBOX.Avisos").
      for (const auto& m : listed)
        if (m.delimiter != 0 && m.name == "INBOX" + std::string(1, m.delimiter) + entry) found = &m;
    }
    if (found == nullptr) {
      for (const auto& w : kWellKnown)
        if (lower(entry) == w.name) {
          found = by_attribute(w.attribute);
          break;
        }
    }
    if (found != nullptr) {
      add(entry, *found);
    } else {
      out.problems.push_back("folder '" + entry + "' does not exist on the server (folders: " + known_names(listed) +
                             ")");
    }
  }
  return out;
}

}  // namespace sseccoe::imap
