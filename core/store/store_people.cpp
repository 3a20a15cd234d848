// The people register: one row per person the harvested items name, keyed by
// the strongest identity known (CURP, else the HR employee number within its
// source, else the normalised name), with the records that name them. It
// never leaves the machine; later stages match certificate holders and
// committee members against it.
#include <algorithm>

#include "sseccoe/sdk/identity.hpp"
#include "store/store.hpp"
#include "util/time.hpp"

namespace sseccoe::store {

namespace {

std::string identity_of(const model::Person& p, const std::string& source, const std::string& name_key) {
  if (!p.curp.empty()) return "curp:" + p.curp;
  if (!p.employee_id.empty()) return "employee:" + source + ":" + p.employee_id;
  if (!name_key.empty()) return "name:" + name_key;
  return {};
}

PersonEntry read_person(Stmt& st) {
  PersonEntry p;
  p.id = st.integer(0);
  p.identity = st.text(1);
  p.name = st.text(2);
  p.name_key = st.text(3);
  p.curp = st.text(4);
  p.rfc = st.text(5);
  p.employee_id = st.text(6);
  p.first_seen = st.text(7);
  p.last_seen = st.text(8);
  return p;
}

constexpr const char* kPersonColumns =
    "SELECT id, identity, name, name_key, curp, rfc, employee_id, first_seen, last_seen FROM people ";

}  // namespace

std::string Store::upsert_person(const model::Person& p, const std::string& source, const std::string& now) {
  const std::string name_key = sdk::identity::name_key(p.name);
  const std::string identity = identity_of(p, source, name_key);
  if (identity.empty()) return {};  // nothing to know the person by
  // A later sighting fills what an earlier one lacked and never blanks a
  // field: an export without the RFC column does not erase a known RFC.
  db_->prepare("INSERT INTO people(identity, name, name_key, curp, rfc, employee_id, first_seen, last_seen) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) "
               "ON CONFLICT(identity) DO UPDATE SET "
               "name=CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END, "
               "name_key=CASE WHEN excluded.name_key <> '' THEN excluded.name_key ELSE name_key END, "
               "rfc=CASE WHEN excluded.rfc <> '' THEN excluded.rfc ELSE rfc END, "
               "employee_id=CASE WHEN excluded.employee_id <> '' THEN excluded.employee_id ELSE employee_id END, "
               "last_seen=excluded.last_seen")
      .bind(1, identity)
      .bind(2, p.name)
      .bind(3, name_key)
      .bind(4, p.curp)
      .bind(5, p.rfc)
      .bind(6, p.employee_id)
      .bind(7, now)
      .run();
  return identity;
}

void Store::register_people(const Harvested& h, const std::string& now) {
  const std::size_t n = std::min(h.registered_people, h.record.people.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string identity = upsert_person(h.record.people[i], h.source, now);
    if (identity.empty()) continue;
    db_->prepare("INSERT OR IGNORE INTO person_records(person_id, record_id, source) "
                 "SELECT id, ?2, ?3 FROM people WHERE identity=?1")
        .bind(1, identity)
        .bind(2, h.record.id)
        .bind(3, h.source)
        .run();
  }
}

void Store::register_known_people(const std::string& source, const std::vector<model::Person>& people) {
  std::lock_guard lock(mu_);
  const std::string now = util::now_rfc3339();
  Transaction tx(*db_);
  for (const auto& p : people) upsert_person(p, source, now);
  tx.commit();
}

std::optional<PersonEntry> Store::person_by_curp(const std::string& curp) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(std::string(kPersonColumns) + "WHERE identity=?1");
  st.bind(1, "curp:" + curp);
  if (!st.step()) return std::nullopt;
  PersonEntry p = read_person(st);
  auto r = db_->prepare("SELECT record_id FROM person_records WHERE person_id=?1 ORDER BY record_id");
  r.bind(1, p.id);
  while (r.step()) p.record_ids.push_back(r.text(0));
  return p;
}

std::vector<PersonEntry> Store::people_by_name_key(const std::string& name_key) {
  std::lock_guard lock(mu_);
  std::vector<PersonEntry> out;
  auto st = db_->prepare(std::string(kPersonColumns) + "WHERE name_key=?1 ORDER BY id");
  st.bind(1, name_key);
  while (st.step()) out.push_back(read_person(st));
  return out;
}

std::int64_t Store::people_count() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT count(*) FROM people");
  st.step();
  return st.integer(0);
}

}  // namespace sseccoe::store
