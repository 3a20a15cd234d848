// The imap source's cursor: per folder (by its name on the server, with
// bytes outside printable ASCII and '%' percent-encoded) the
// UIDVALIDITY it was read under and the highest UID below which every
// message is durable in the store (or quarantined, or known already).
//
//   {"format":"imap-v1","folders":{"INBOX":{"uidvalidity":1716200000,"last_uid":4411}}}
//
// Folders no longer configured keep their entry, so that configuring one
// again does not read it from the start.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace sseccoe::imap {

struct FolderCursor {
  std::uint32_t uidvalidity = 0;  // 0: never read
  std::uint32_t last_uid = 0;
  bool operator==(const FolderCursor&) const = default;
};

class HarvestCursor {
 public:
  // An empty text is a fresh start. Anything unreadable is a fresh start too,
  // with `problem` saying why (a fresh start costs a re-check, not duplicates:
  // known messages are recognised by Message-ID before their bodies are fetched).
  static HarvestCursor parse(const std::string& text, std::string& problem);
  std::string serialize() const;

  // By the folder's name as the server spells it.
  FolderCursor& at(const std::string& folder);
  FolderCursor get(const std::string& folder) const;
  std::size_t size() const { return folders_.size(); }

 private:
  std::map<std::string, FolderCursor> folders_;
};

}  // namespace sseccoe::imap
