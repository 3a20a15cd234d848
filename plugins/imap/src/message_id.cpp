#include "message_id.hpp"

#include <cctype>

namespace sseccoe::imap {

namespace {

bool field_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  // "Message-ID:" or "Message-ID :" (obsolete syntax allows space before the colon)
  std::size_t i = name.size();
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == ':';
}

}  // namespace

std::string message_id_value(std::string_view fields) {
  std::string value;
  bool in_field = false;
  while (!fields.empty()) {
    const std::size_t nl = fields.find('\n');
    std::string_view line = fields.substr(0, nl);
    fields = nl == std::string_view::npos ? std::string_view() : fields.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header block
    const bool continuation = line.front() == ' ' || line.front() == '\t';
    if (in_field) {
      if (!continuation) break;  // the first field is complete
      value += line;  // unfolding removes only the line break
      continue;
    }
    if (!continuation && field_is(line, "message-id")) {
      in_field = true;
      value = std::string(line.substr(line.find(':') + 1));
    }
  }
  return value;
}

}  // namespace sseccoe::imap
