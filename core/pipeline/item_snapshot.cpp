#include "pipeline/item_snapshot.hpp"

#include <nlohmann/json.hpp>

namespace sseccoe::core {

namespace {
constexpr int kSnapshotVersion = 1;
}

std::string to_snapshot(const sdk::Item& item, const std::vector<store::BlobInfo>& blobs) {
  nlohmann::json j = {{"v", kSnapshotVersion},
                      {"key", item.natural_key},
                      {"version", item.version},
                      {"metadata", item.metadata},
                      {"occurred_on", item.occurred_on},
                      {"occurred_on_from", item.occurred_on_from},
                      {"locator", item.locator},
                      {"contents", nlohmann::json::array()},
                      {"people", nlohmann::json::array()}};
  for (std::size_t i = 0; i < item.contents.size(); ++i) {
    const auto& c = item.contents[i];
    const store::BlobInfo b = i < blobs.size() ? blobs[i] : store::BlobInfo{};
    j["contents"].push_back({{"name", c.name},
                             {"media_type", b.media_type.empty() ? c.media_type : b.media_type},
                             {"role", c.role},
                             {"only_for_kind", c.only_for_kind},
                             {"sha256", b.digest},
                             {"size", b.size}});
  }
  for (const auto& p : item.people)
    j["people"].push_back({{"name", p.name}, {"curp", p.curp}, {"rfc", p.rfc}, {"employee_id", p.employee_id}});
  // Bytes that are not UTF-8 (a Windows-1252 subject a broken mailer sent
  // raw) become U+FFFD here: a snapshot only feeds rules again, and a rule
  // cannot name such bytes anyway (sdk/regex.hpp).
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ItemSnapshot from_snapshot(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("v", 0) != kSnapshotVersion)
    throw std::invalid_argument("not an item snapshot of version " + std::to_string(kSnapshotVersion));
  ItemSnapshot s;
  try {
    s.item.natural_key = j.at("key").get<std::string>();
    s.item.version = j.value("version", std::string());
    s.item.metadata = j.at("metadata").get<std::map<std::string, std::string>>();
    s.item.occurred_on = j.value("occurred_on", std::string());
    s.item.occurred_on_from = j.value("occurred_on_from", std::string());
    s.item.locator = j.value("locator", std::string());
    for (const auto& c : j.at("contents")) {
      sdk::Content content;
      content.name = c.value("name", std::string());
      content.media_type = c.value("media_type", std::string());
      content.role = c.value("role", std::string());
      content.only_for_kind = c.value("only_for_kind", std::string());
      s.item.contents.push_back(std::move(content));
      s.blobs.push_back({c.value("sha256", std::string()), c.value("size", std::uint64_t{0}),
                         c.value("media_type", std::string()), std::string()});
    }
    for (const auto& p : j.at("people"))
      s.item.people.push_back({p.value("name", std::string()), p.value("curp", std::string()),
                               p.value("rfc", std::string()), p.value("employee_id", std::string())});
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("a damaged item snapshot: ") + e.what());
  }
  return s;
}

}  // namespace sseccoe::core
