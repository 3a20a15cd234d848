#include "key_set.hpp"

#include <new>

namespace sseccoe::sdk::table::detail {

namespace {

// A shard's first size: small, so that a pass of ten rows costs 256 * 16
// slots (48 KiB), not megabytes.
constexpr std::size_t kInitialCapacity = 16;

std::uint64_t stored(std::uint64_t fingerprint) { return fingerprint == 0 ? 1 : fingerprint; }

std::size_t shard_of(std::uint64_t f) { return static_cast<std::size_t>(f >> 56); }

// The high 64 bits of a * b: maps a uniformly spread fingerprint onto
// [0, capacity) without a power-of-two capacity (Lemire's "fastrange"), so
// a shard can grow by a quarter instead of doubling. The top byte chose the
// shard; the bits below it choose the slot.
std::size_t home(std::uint64_t f, std::size_t capacity) {
  const std::uint64_t a = f << 8, b = capacity;
  const std::uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo;
  const std::uint64_t hi_lo = a_hi * b_lo;
  const std::uint64_t lo_hi = a_lo * b_hi;
  const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
  return static_cast<std::size_t>(a_hi * b_hi + (hi_lo >> 32) + (cross >> 32));
}

std::size_t next(std::size_t i, std::size_t capacity) { return i + 1 == capacity ? 0 : i + 1; }

template <typename T>
T* zeroed(std::size_t n) {
  // calloc: the kernel hands out zero pages, nothing is written up front.
  void* p = std::calloc(n, sizeof(T));
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<T*>(p);
}

}  // namespace

std::optional<std::uint32_t> KeySet::insert(std::uint64_t fingerprint, std::uint32_t location) {
  const std::uint64_t f = stored(fingerprint);
  Shard& s = shards_[shard_of(f)];
  // Grow before the load passes 85%: linear probing stays short below that.
  if ((s.size + 1) * 100 > s.capacity * 85) s.grow();
  for (std::size_t i = home(f, s.capacity);; i = next(i, s.capacity)) {
    if (s.fingerprints[i] == f) return s.locations[i];
    if (s.fingerprints[i] == 0) {
      s.fingerprints[i] = f;
      s.locations[i] = location;
      ++s.size;
      return std::nullopt;
    }
  }
}

bool KeySet::contains(std::uint64_t fingerprint) const {
  const std::uint64_t f = stored(fingerprint);
  const Shard& s = shards_[shard_of(f)];
  if (s.capacity == 0) return false;
  for (std::size_t i = home(f, s.capacity);; i = next(i, s.capacity)) {
    if (s.fingerprints[i] == f) return true;
    if (s.fingerprints[i] == 0) return false;
  }
}

std::size_t KeySet::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) n += s.size;
  return n;
}

std::size_t KeySet::bytes() const {
  std::size_t n = 0;
  for (const auto& s : shards_) n += s.capacity * (sizeof(std::uint64_t) + sizeof(std::uint32_t));
  return n;
}

void KeySet::Shard::grow() {
  const std::size_t new_capacity = capacity == 0 ? kInitialCapacity : capacity + capacity / 4;
  // The new arrays first: should they not fit, the shard stays as it was.
  std::unique_ptr<std::uint64_t[], Free> new_fingerprints(zeroed<std::uint64_t>(new_capacity));
  std::unique_ptr<std::uint32_t[], Free> new_locations(zeroed<std::uint32_t>(new_capacity));
  for (std::size_t j = 0; j < capacity; ++j) {
    const std::uint64_t f = fingerprints[j];
    if (f == 0) continue;
    std::size_t i = home(f, new_capacity);
    while (new_fingerprints[i] != 0) i = next(i, new_capacity);
    new_fingerprints[i] = f;
    new_locations[i] = locations[j];
  }
  fingerprints = std::move(new_fingerprints);
  locations = std::move(new_locations);
  capacity = new_capacity;
}

}  // namespace sseccoe::sdk::table::detail
