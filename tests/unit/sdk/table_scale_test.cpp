// TableHarvest over a million rows: memory stays flat (only the compact key
// set grows), duplicates are found across the whole pass, and rows gone are
// found against a million known keys streamed from the "store".
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "sseccoe/sdk/table.hpp"

namespace sseccoe::sdk::table {
namespace {

// AddressSanitizer keeps freed memory in quarantine and slows every
// allocation down: under it the pass is smaller and memory is not judged.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
constexpr std::uint64_t kRows = kSanitized ? 100'000 : 1'000'000;

// Counts what it is given and keeps nothing; its "store" is the million
// keys of an earlier pass plus a thousand that are gone, generated on the fly.
class CountingEmitter : public Emitter {
 public:
  EmitResult emit(const Item& item, const std::optional<Cursor>&) override {
    ++emitted;
    people += item.people.size();
    if (item.occurred_on == "2021-05-14") ++dated;
    return {EmitOutcome::New, {}, {}};
  }
  void quarantine(std::string_view, std::string_view reason, std::string_view) override {
    ++quarantined;
    last_reason = reason;
  }
  std::optional<KnownItem> known(std::string_view) override { return std::nullopt; }
  bool for_each_known(const std::function<void(std::string_view)>& visit) override {
    for (std::uint64_t i = 0; i < kRows + 1000; ++i) visit("row:E" + std::to_string(i));
    return true;
  }
  void checkpoint(const Cursor&) override {}
  void gone(std::string_view) override { ++gone_count; }
  void log(LogLevel, std::string_view) override { ++logs; }

  std::uint64_t emitted = 0, people = 0, dated = 0, quarantined = 0, gone_count = 0, logs = 0;
  std::string last_reason;
};

// Peak resident memory (getrusage), after resetting the kernel's high-water
// mark so that earlier tests in this process do not hide this one's peak.
long peak_rss_kib() {
  std::ofstream("/proc/self/clear_refs") << "5";
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

long peak_rss_kib_now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST(TableScale, AMillionRowsStreamWithBoundedMemory) {
  CountingEmitter out;
  const long before = peak_rss_kib();
  {
    TableHarvest h(Settings{"rh", {"employee_id"},
                            {{"employee_id", "No. Empleado"},
                             {"name", "Nombre"},
                             {"curp", "CURP"},
                             {"unit", "Unidad"},
                             {"course", "Curso"},
                             {"occurred_on", "Fecha"}},
                            "evidence"},
                   out);
    h.begin_table("plantilla.csv", "file:///srv/rh/plantilla.csv", "2021-06-30");
    h.header({"No. Empleado", "Nombre", "CURP", "Unidad", "Curso", "Fecha"}, 1);
    const char* curps[] = {"PEGL890909MJCRMS08", "HEGG560427MVZRRL04", "BOXW310820HNERXN09"};
    std::vector<std::string> row(6);
    for (std::uint64_t i = 0; i < kRows; ++i) {
      row[0] = "E" + std::to_string(i);
      row[1] = "Persona " + std::to_string(i);
      row[2] = curps[i % 3];
      row[3] = "Unidad " + std::to_string(i % 97);
      row[4] = "Ética pública";
      row[5] = "14/05/2021";
      h.row(row, i + 2);
    }
    // The very first key again, a million lines later.
    row[0] = "E0";
    EXPECT_EQ(h.row(row, kRows + 2), EmitOutcome::Quarantined);
    h.end_table();
    const Counts c = h.finish(true);
    EXPECT_EQ(c.rows, kRows + 1);
    EXPECT_EQ(c.emitted, kRows);
    EXPECT_EQ(c.quarantined, 1u);
    EXPECT_EQ(c.gone, 1000u) << "the thousand known keys beyond the export, and only those";
  }
  const long growth_kib = peak_rss_kib_now() - before;
  std::printf("[   INFO   ] %llu rows: peak RSS grew by %.1f MiB (%.1f bytes a row)%s\n",
              static_cast<unsigned long long>(kRows), growth_kib / 1024.0, growth_kib * 1024.0 / kRows,
              kSanitized ? " under AddressSanitizer, not judged" : "");
  EXPECT_EQ(out.emitted, kRows);
  EXPECT_EQ(out.people, kRows);
  EXPECT_EQ(out.dated, kRows);
  EXPECT_EQ(out.gone_count, 1000u);
  EXPECT_EQ(out.last_reason, "duplicate key (line 2 and line " + std::to_string(kRows + 2) + ")");
  if (!kSanitized) {
    EXPECT_LT(growth_kib, 64 * 1024) << "memory must not grow with the export beyond the compact key set";
  }
}

}  // namespace
}  // namespace sseccoe::sdk::table
