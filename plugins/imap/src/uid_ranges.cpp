#include "uid_ranges.hpp"

#include <algorithm>
#include <charconv>

#include "errors.hpp"

namespace sseccoe::imap {

void UidRanges::add_range(std::uint32_t first, std::uint32_t last) {
  if (first > last) std::swap(first, last);
  // Fast paths: a range after the last one, or one that touches it.
  if (ranges_.empty() || first > static_cast<std::uint64_t>(ranges_.back().second) + 1) {
    ranges_.emplace_back(first, last);
    return;
  }
  if (first >= ranges_.back().first) {
    ranges_.back().second = std::max(ranges_.back().second, last);
    return;
  }
  // General case: insert, then merge neighbours that touch or overlap.
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), Range{first, last});
  it = ranges_.insert(it, Range{first, last});
  std::vector<Range> merged;
  merged.reserve(ranges_.size());
  for (const Range& r : ranges_) {
    if (!merged.empty() && static_cast<std::uint64_t>(r.first) <= static_cast<std::uint64_t>(merged.back().second) + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  ranges_ = std::move(merged);
}

UidRanges UidRanges::parse(std::string_view set) {
  UidRanges out;
  if (set.empty()) throw ProtocolError("the mail server sent an empty UID set");
  auto number = [&](std::string_view s) {
    std::uint32_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v == 0 || s.empty())
      throw ProtocolError("the mail server sent a malformed UID set (\"" + std::string(set.substr(0, 100)) + "\")");
    return v;
  };
  while (!set.empty()) {
    const std::size_t comma = set.find(',');
    const std::string_view part = set.substr(0, comma);
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos) {
      out.add(number(part));
    } else {
      out.add_range(number(part.substr(0, colon)), number(part.substr(colon + 1)));
    }
    if (comma == std::string_view::npos) break;
    set.remove_prefix(comma + 1);
    if (set.empty()) throw ProtocolError("the mail server sent a UID set ending in ','");
  }
  return out;
}

std::uint64_t UidRanges::count() const {
  std::uint64_t n = 0;
  for (const Range& r : ranges_) n += static_cast<std::uint64_t>(r.second) - r.first + 1;
  return n;
}

bool UidRanges::contains(std::uint32_t uid) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), uid,
                             [](std::uint32_t u, const Range& r) { return u < r.first; });
  if (it == ranges_.begin()) return false;
  --it;
  return uid >= it->first && uid <= it->second;
}

void UidRanges::drop_through(std::uint32_t uid) {
  auto it = ranges_.begin();
  while (it != ranges_.end() && it->second <= uid) ++it;
  ranges_.erase(ranges_.begin(), it);
  if (!ranges_.empty() && ranges_.front().first <= uid) ranges_.front().first = uid + 1;
}

UidRanges UidRanges::take_front(std::uint64_t n) {
  UidRanges out;
  std::size_t used = 0;
  for (; used < ranges_.size() && n > 0; ++used) {
    Range& r = ranges_[used];
    const std::uint64_t size = static_cast<std::uint64_t>(r.second) - r.first + 1;
    if (size <= n) {
      out.ranges_.push_back(r);
      n -= size;
      continue;
    }
    const auto last = static_cast<std::uint32_t>(r.first + n - 1);
    out.ranges_.emplace_back(r.first, last);
    r.first = last + 1;
    n = 0;
    break;
  }
  ranges_.erase(ranges_.begin(), ranges_.begin() + static_cast<std::ptrdiff_t>(used));
  return out;
}

std::string UidRanges::to_string() const {
  std::string out;
  for (const Range& r : ranges_) {
    if (!out.empty()) out += ',';
    out += std::to_string(r.first);
    if (r.second != r.first) {
      out += ':';
      out += std::to_string(r.second);
    }
  }
  return out;
}

}  // namespace sseccoe::imap
