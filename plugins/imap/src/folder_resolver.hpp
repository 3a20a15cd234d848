// Which server mailboxes the configured `folders` mean. An entry is a name
// as the server shows it ("INBOX", "INBOX.Avisos", "Enviados"), or a
// special-use attribute (RFC 6154: "\Sent"). A well-known name the server
// does not have ("Sent", "Enviados", "Drafts", ...) finds the mailbox the
// server marks with that attribute: the committee's sent mail is found
// whether the server calls it Sent, Sent Items or Elementos enviados.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "imap_session.hpp"

namespace sseccoe::imap {

struct ResolvedFolder {
  std::string configured;   // the entry of `folders`
  Mailbox mailbox;          // mailbox.name: decoded for people and metadata
  std::string special_use;  // "\\Sent" etc. when the server marks it, else ""
};

struct FolderResolution {
  std::vector<ResolvedFolder> folders;  // in configured order, each mailbox once
  std::vector<std::string> problems;    // entries that mean no selectable mailbox, and why
};

// `decode` turns a wire name (modified UTF-7) into UTF-8.
FolderResolution resolve_folders(const std::vector<std::string>& configured, std::vector<Mailbox> listed,
                                 const std::function<std::string(std::string_view)>& decode);

}  // namespace sseccoe::imap
