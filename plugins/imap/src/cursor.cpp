#include "cursor.hpp"

#include <nlohmann/json.hpp>

namespace sseccoe::imap {

namespace {
constexpr const char* kFormat = "imap-v1";
constexpr std::uint64_t kMaxU32 = 0xFFFFFFFFull;

// Folder names from the server are modified UTF-7 (printable ASCII); a
// server that sends raw 8-bit names still gets a stable, valid JSON key.
std::string key_for(const std::string& wire) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : wire) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7E || c == '%') {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}
}  // namespace

HarvestCursor HarvestCursor::parse(const std::string& text, std::string& problem) {
  HarvestCursor out;
  problem.clear();
  if (text.empty()) return out;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    problem = "the stored cursor is not JSON";
    return out;
  }
  if (j.value("format", "") != kFormat) {
    problem = "the stored cursor has an unknown format";
    return out;
  }
  const auto folders = j.find("folders");
  if (folders == j.end() || !folders->is_object()) {
    problem = "the stored cursor has no folders";
    return out;
  }
  for (const auto& [name, f] : folders->items()) {
    const auto v = f.find("uidvalidity");
    const auto u = f.find("last_uid");
    if (!f.is_object() || v == f.end() || u == f.end() || !v->is_number_unsigned() || !u->is_number_unsigned() ||
        v->get<std::uint64_t>() > kMaxU32 || u->get<std::uint64_t>() > kMaxU32) {
      problem = "the stored cursor of folder '" + name + "' is malformed";
      return HarvestCursor{};
    }
    out.folders_[name] = FolderCursor{static_cast<std::uint32_t>(v->get<std::uint64_t>()),
                                      static_cast<std::uint32_t>(u->get<std::uint64_t>())};
  }
  return out;
}

std::string HarvestCursor::serialize() const {
  nlohmann::json folders = nlohmann::json::object();
  for (const auto& [name, f] : folders_)
    folders[name] = {{"uidvalidity", f.uidvalidity}, {"last_uid", f.last_uid}};
  return nlohmann::json{{"format", kFormat}, {"folders", folders}}.dump();
}

FolderCursor& HarvestCursor::at(const std::string& folder) { return folders_[key_for(folder)]; }

FolderCursor HarvestCursor::get(const std::string& folder) const {
  const auto it = folders_.find(key_for(folder));
  return it == folders_.end() ? FolderCursor{} : it->second;
}

}  // namespace sseccoe::imap
