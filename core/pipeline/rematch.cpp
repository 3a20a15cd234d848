#include "pipeline/rematch.hpp"

#include <algorithm>

#include "model/record.hpp"
#include "pipeline/understand.hpp"
#include "sseccoe/sdk/identity.hpp"

namespace sseccoe::core {

RematchReport rematch_unmatched(store::Store& store, const std::string& actor) {
  RematchReport report;
  for (const auto& r : store.records_with_unmatched_people()) {
    ++report.examined;
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (!body.is_object()) continue;
    model::Record rec;
    try {
      rec = model::record_from_json(body);
    } catch (const std::exception&) {
      continue;
    }
    auto& unmatched = rec.attributes["unmatched"];
    if (!unmatched.is_array()) continue;
    nlohmann::json still = nlohmann::json::array();
    std::size_t now_matched = 0;
    for (const auto& entry : unmatched) {
      const std::string who = entry.is_string() ? entry.get<std::string>() : std::string();
      // The person as the record carries it: by name, or by CURP when no
      // name was read.
      auto it = std::find_if(rec.people.begin(), rec.people.end(), [&](const model::Person& p) {
        return !who.empty() && (p.name == who || (p.name.empty() && p.curp == who));
      });
      if (it == rec.people.end()) {
        still.push_back(entry);
        continue;
      }
      const PersonMatch m = match_person(store, *it);
      if (!m.matched) {
        still.push_back(entry);
        continue;
      }
      *it = m.person;
      ++now_matched;
    }
    if (now_matched == 0) continue;
    if (still.empty())
      rec.attributes.erase("unmatched");
    else
      rec.attributes["unmatched"] = still;
    if (store.revise_people(r.id, model::to_json(rec).dump(), actor,
                            std::to_string(now_matched) + " person(s) matched in the people register")) {
      report.matched += now_matched;
      ++report.revised;
    }
  }
  return report;
}

}  // namespace sseccoe::core
