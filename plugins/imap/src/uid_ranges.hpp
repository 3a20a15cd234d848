// A set of message UIDs kept as sorted, disjoint, inclusive ranges: what a
// SEARCH or ESEARCH answer lists, split into FETCH batches. A folder of
// 100,000 consecutive UIDs is one range, not 100,000 numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sseccoe::imap {

class UidRanges {
 public:
  using Range = std::pair<std::uint32_t, std::uint32_t>;  // first, last (inclusive)

  // Adds a UID (cheap when UIDs come in ascending order, as servers send them).
  void add(std::uint32_t uid) { add_range(uid, uid); }
  void add_range(std::uint32_t first, std::uint32_t last);

  // Parses an IMAP sequence set of UIDs ("1:5,7,12:9"). "*" and 0 are
  // refused: a server's answer never contains them. Throws ProtocolError.
  static UidRanges parse(std::string_view set);

  bool empty() const { return ranges_.empty(); }
  std::uint64_t count() const;
  bool contains(std::uint32_t uid) const;
  // Forgets every UID <= `uid`.
  void drop_through(std::uint32_t uid);
  // Removes and returns the `n` smallest UIDs.
  UidRanges take_front(std::uint64_t n);
  // "1:5,7" (empty string for an empty set).
  std::string to_string() const;
  const std::vector<Range>& ranges() const { return ranges_; }

 private:
  std::vector<Range> ranges_;
};

}  // namespace sseccoe::imap
