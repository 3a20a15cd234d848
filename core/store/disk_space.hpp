// Free space on the state directory's filesystem, and whether a failure
// means "the disk is full". A full state directory must pause harvesting
// (never quarantine an item or damage what is stored) and resume by itself
// once space is freed; the harvester uses these to tell the two apart.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

namespace sseccoe::store {

struct DiskSpace {
  std::uint64_t available = 0;  // bytes an unprivileged writer may still use
  std::uint64_t total = 0;      // size of the filesystem
};

// statvfs() of `dir`; nullopt when it cannot be asked (then no pre-check is
// made and only a real ENOSPC pauses).
std::optional<DiskSpace> disk_space(const std::string& dir);

// Space kept free for SQLite (journal, WAL checkpoint) and the syncer's
// bookkeeping: [agent] min_free_space when the operator set it, else 64 MiB,
// but at most 1/20 of a small filesystem so a small state volume can still
// be used.
std::uint64_t disk_reserve(const DiskSpace& space, std::optional<std::uint64_t> configured = std::nullopt);
inline constexpr std::uint64_t kDiskReserveMax = 64ULL << 20;

// True when the exception says the filesystem (or the user's quota) is full:
// ENOSPC/EDQUOT from the blob store, SQLITE_FULL from the database.
bool is_disk_full(const std::exception& e);

// Thrown by the harvester's pre-check when free space is below the reserve.
struct DiskFull : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace sseccoe::store
