#include "store/disk_space.hpp"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "store/sqlite.hpp"

namespace sseccoe::store {

std::optional<DiskSpace> disk_space(const std::string& dir) {
  struct statvfs st{};
  if (::statvfs(dir.c_str(), &st) != 0) return std::nullopt;
  const std::uint64_t unit = st.f_frsize ? st.f_frsize : st.f_bsize;
  return DiskSpace{static_cast<std::uint64_t>(st.f_bavail) * unit, static_cast<std::uint64_t>(st.f_blocks) * unit};
}

std::uint64_t disk_reserve(const DiskSpace& space, std::optional<std::uint64_t> configured) {
  // A configured reserve is taken as written: the operator knows the disk
  // (check-config warns when it is as large as the filesystem).
  if (configured) return *configured;
  return std::min(kDiskReserveMax, space.total / 20);
}

bool is_disk_full(const std::exception& e) {
  if (dynamic_cast<const DiskFull*>(&e)) return true;
  if (const auto* se = dynamic_cast<const std::system_error*>(&e)) {
    const auto& c = se->code();
    if (c.category() == std::generic_category() || c.category() == std::system_category())
      return c.value() == ENOSPC || c.value() == EDQUOT;
  }
  if (const auto* de = dynamic_cast<const DbError*>(&e))
    return (de->code & 0xff) == SQLITE_FULL;
  return false;
}

}  // namespace sseccoe::store
