#include "mailbox_reader.hpp"

#include <cctype>

namespace sseccoe::imap {

bool Mailbox::has_attribute(std::string_view attribute) const {
  for (const auto& a : attributes) {
    if (a.size() != attribute.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < a.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(a[i])) == std::tolower(static_cast<unsigned char>(attribute[i]));
    if (same) return true;
  }
  return false;
}

bool Mailbox::selectable() const { return !has_attribute("\\Noselect") && !has_attribute("\\NonExistent"); }

}  // namespace sseccoe::imap
