// The keys one pass has seen, in the least memory that still answers "was
// this key seen, and where first?": a 64-bit fingerprint of the key (the
// first 8 bytes of its SHA-256) and a 32-bit location, never the key itself.
//
// Layout: 256 shards (by the fingerprint's top byte), each an open-
// addressing table with linear probing over two parallel arrays (8 + 4 = 12
// bytes a slot, no padding), filled to at most 85% and grown by a quarter.
// A pass costs 12 / 0.85 = 14.1 to 12 / 0.68 = 17.6 bytes a row
// (1,000,000 rows: 14-18 MB). Because shards grow one at a time, a growth
// holds the old and the new arrays of one shard only, 1/256 of the set,
// instead of briefly doubling the whole. Fingerprints of 64 bits make a false
// "duplicate" unlikely: about n^2 / 2^65, 3 in 100 million for a pass of a
// million rows.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>

namespace sseccoe::sdk::table::detail {

class KeySet {
 public:
  // Adds `fingerprint` at `location`. When it is already there, leaves the
  // set as it was and returns the location stored first.
  std::optional<std::uint32_t> insert(std::uint64_t fingerprint, std::uint32_t location);
  bool contains(std::uint64_t fingerprint) const;

  std::size_t size() const;
  std::size_t bytes() const;  // the slots' memory

 private:
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  struct Shard {
    // 0 marks an empty slot; a fingerprint that is 0 is stored as 1.
    std::unique_ptr<std::uint64_t[], Free> fingerprints;
    std::unique_ptr<std::uint32_t[], Free> locations;
    std::size_t capacity = 0;
    std::size_t size = 0;
    void grow();
  };
  static constexpr std::size_t kShards = 256;
  std::array<Shard, kShards> shards_;
};

}  // namespace sseccoe::sdk::table::detail
