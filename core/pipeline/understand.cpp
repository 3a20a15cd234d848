#include "pipeline/understand.hpp"

#include <algorithm>
#include <set>

#include "sseccoe/sdk/identity.hpp"
#include "util/mask.hpp"

namespace sseccoe::core {

namespace {

bool cited(const Classification& c, const sdk::Content& content) {
  const std::string role = role_name(content.role);
  return std::find(c.file_roles.begin(), c.file_roles.end(), role) != c.file_roles.end();
}

// A reader failure that may be an attack or a parser bug (the child crashed
// or hit a limit) quarantines the item; a file that simply is not readable
// (damaged, a password, not really a PDF) is registered with its fields
// unread; a reader that cannot run at all is the agent's problem, not the
// file's: quarantined too, with the reason, so that a retry after the fix
// reads it.
bool quarantines(const extract::ReaderError& e) {
  using C = extract::ReaderError::Cause;
  switch (e.cause) {
    case C::not_a_pdf:
    case C::damaged:
    case C::password:
    case C::unsupported: return false;
    default: return true;
  }
}

void add_unread(nlohmann::json& attributes, const std::vector<std::string>& fields) {
  if (fields.empty()) return;
  if (!attributes.contains("unread")) attributes["unread"] = nlohmann::json::array();
  for (const auto& f : fields)
    if (std::find(attributes["unread"].begin(), attributes["unread"].end(), f) == attributes["unread"].end())
      attributes["unread"].push_back(f);
}

}  // namespace

PersonMatch match_person(store::Store& store, const model::Person& read) {
  PersonMatch m;
  m.person = read;
  if (!read.curp.empty()) {
    if (auto p = store.person_by_curp(read.curp)) {
      m.matched = true;
      m.why = "curp";
      m.person.employee_id = p->employee_id;
      if (m.person.rfc.empty()) m.person.rfc = p->rfc;
      return m;
    }
  }
  const std::string key = sdk::identity::name_key(read.name);
  if (key.empty()) {
    m.why = "no name was read";
    return m;
  }
  const auto candidates = store.people_by_name_key(key);
  // Several rows may be one person seen by several sources (one with the
  // CURP, one with only the employee number): they disagree only when two
  // CURPs, or (without any CURP) two employee numbers, differ.
  std::set<std::string> curps, employees;
  for (const auto& c : candidates) {
    if (!c.curp.empty()) curps.insert(c.curp);
    if (!c.employee_id.empty()) employees.insert(c.employee_id);
  }
  if (candidates.empty()) {
    m.why = "no one in the people register has this name";
  } else if (curps.size() > 1 || (curps.empty() && employees.size() > 1)) {
    m.why = std::to_string(std::max(curps.size(), employees.size())) + " people in the register share this name";
  } else if (!read.curp.empty() && curps.size() == 1 && *curps.begin() != read.curp) {
    m.why = "the register's person of this name has another CURP";
  } else {
    m.matched = true;
    m.why = "name";
    for (const auto& c : candidates) {
      if (m.person.curp.empty() && !c.curp.empty()) m.person.curp = c.curp;
      if (m.person.employee_id.empty() && !c.employee_id.empty()) m.person.employee_id = c.employee_id;
      if (m.person.rfc.empty() && !c.rfc.empty()) m.person.rfc = c.rfc;
    }
  }
  return m;
}

namespace {

void understand_certificate(const EmitterContext& ctx, const sdk::Item& item, const Classification& c,
                            const std::vector<store::BlobInfo>& blobs, Understanding& u) {
  auto readings = nlohmann::json::array();
  bool any_document = false;
  for (std::size_t i = 0; i < item.contents.size() && i < blobs.size(); ++i) {
    const auto& b = blobs[i];
    if (b.digest.empty() || !cited(c, item.contents[i])) continue;
    const std::string& name = item.contents[i].name;
    if (b.media_type.rfind("image/", 0) == 0) {
      // A screenshot of a passed course is evidence too; its text would
      // need OCR, which the agent does not do.
      any_document = true;
      add_unread(u.attributes, extract::kRequiredCertificateFields);
      readings.push_back({{"file", name}, {"media_type", b.media_type},
                          {"unread_because", "an image: its text is not read (no OCR)"}});
      continue;
    }
    if (b.media_type != "application/pdf") continue;
    any_document = true;
    nlohmann::json reading = {{"file", name}};
    if (!ctx.reader || !ctx.templates) {
      add_unread(u.attributes, extract::kRequiredCertificateFields);
      reading["unread_because"] = "the document reader is not available";
      readings.push_back(reading);
      continue;
    }
    extract::PdfText text;
    try {
      text = ctx.reader->pdf_text(ctx.store->blobs().path(b.digest));
    } catch (const extract::ReaderError& e) {
      if (quarantines(e)) {
        u.quarantine_reason = "'" + name + "': " + e.what();
        return;
      }
      add_unread(u.attributes, extract::kRequiredCertificateFields);
      reading["unread_because"] = e.what();
      readings.push_back(reading);
      continue;
    }
    if (text.no_text()) {
      add_unread(u.attributes, extract::kRequiredCertificateFields);
      reading["unread_because"] = "the PDF has no text layer (a scan or a photo; no OCR)";
      readings.push_back(reading);
      continue;
    }
    const extract::CertificateReading r = ctx.templates->read(text.pages);
    reading["template"] = r.template_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.template_id);
    if (!r.template_file.empty()) reading["template_file"] = r.template_file;
    reading["fields"] = nlohmann::json::object();
    for (const auto& [field, f] : r.fields)
      reading["fields"][field] = {{"value", f.value}, {"text", util::mask_personal(f.source)}};
    if (r.template_id.empty()) reading["unread_because"] = "no template recognises its text (docs/templates.md)";
    add_unread(u.attributes, r.unread);

    auto field = [&](const char* k) -> std::string {
      auto it = r.fields.find(k);
      return it == r.fields.end() ? std::string() : it->second.value;
    };
    if (!field("name").empty() || !field("curp").empty()) {
      model::Person holder{field("name"), field("curp"), {}, {}};
      PersonMatch m = match_person(*ctx.store, holder);
      reading["person"] = {{"matched", m.matched}, {"by", m.why}};
      if (!m.matched) {
        if (!u.attributes.contains("unmatched")) u.attributes["unmatched"] = nlohmann::json::array();
        u.attributes["unmatched"].push_back(holder.name.empty() ? holder.curp : holder.name);
      }
      u.people.push_back(m.person);
    }
    for (const char* k : {"course", "hours", "certificate_folio"})
      if (!field(k).empty() && !u.attributes.contains(k)) u.attributes[k] = field(k);
    if (u.attributes.contains("hours") && u.attributes["hours"].is_string()) {
      try {
        u.attributes["hours"] = std::stoi(u.attributes["hours"].get<std::string>());
      } catch (const std::exception&) {
      }
    }
    if (!field("occurred_on").empty() && u.occurred_on.empty()) {
      u.occurred_on = field("occurred_on");
      u.occurred_on_from = "text";
    }
    readings.push_back(reading);
  }
  if (!any_document) add_unread(u.attributes, extract::kRequiredCertificateFields);
  if (!readings.empty()) u.explain["extraction"] = readings;
}

void understand_image(const EmitterContext& ctx, const sdk::Item& item, const Classification& c,
                      const std::vector<store::BlobInfo>& blobs, Understanding& u) {
  if (!ctx.reader) return;
  for (std::size_t i = 0; i < item.contents.size() && i < blobs.size(); ++i) {
    const auto& b = blobs[i];
    if (b.digest.empty() || !cited(c, item.contents[i]) || b.media_type.rfind("image/", 0) != 0) continue;
    try {
      const auto info = ctx.reader->image_info(ctx.store->blobs().path(b.digest));
      if (!u.attributes.contains("width") && info.width > 0) {
        u.attributes["width"] = info.width;
        u.attributes["height"] = info.height;
      }
      if (u.occurred_on.empty() && info.datetime_original.size() >= 10) {
        u.occurred_on = info.datetime_original.substr(0, 10);
        u.occurred_on_from = "exif:DateTimeOriginal";
      }
      u.explain["image"] = {{"file", item.contents[i].name}, {"width", info.width}, {"height", info.height},
                            {"datetime_original", info.datetime_original}};
    } catch (const extract::ReaderError& e) {
      if (quarantines(e)) {
        u.quarantine_reason = "'" + item.contents[i].name + "': " + e.what();
        return;
      }
      u.explain["image"] = {{"file", item.contents[i].name}, {"unread_because", e.what()}};
    }
    return;  // the first image speaks for the record
  }
}

}  // namespace

Understanding understand(const EmitterContext& ctx, const sdk::Item& item, const Classification& c,
                         const std::vector<store::BlobInfo>& blobs) {
  Understanding u;
  if (c.kind == "course_certificate" && !item.contents.empty()) understand_certificate(ctx, item, c, blobs, u);
  if (c.kind == "diffusion_material") understand_image(ctx, item, c, blobs, u);
  return u;
}

void apply(const Understanding& u, model::Record& r, nlohmann::json& explain) {
  for (const auto& p : u.people) {
    const std::string key = sdk::identity::name_key(p.name);
    const bool known = std::any_of(r.people.begin(), r.people.end(), [&](const model::Person& q) {
      return (!p.curp.empty() && q.curp == p.curp) || (!key.empty() && sdk::identity::name_key(q.name) == key);
    });
    if (!known) r.people.push_back(p);
  }
  for (auto& [k, v] : u.attributes.items()) r.attributes[k] = v;
  if (!u.occurred_on.empty()) {
    // A certificate's written date is when the course was passed, whatever
    // the file's mtime or the mail's Date; an EXIF date only replaces a
    // file's mtime (or no date at all).
    const std::string from = r.attributes.value("occurred_on_from", std::string());
    if (u.occurred_on_from == "text" || r.occurred_on.empty() || from == "mtime") {
      r.occurred_on = u.occurred_on;
      r.attributes["occurred_on_from"] = u.occurred_on_from;
    }
  }
  for (auto& [k, v] : u.explain.items()) explain[k] = v;
}

}  // namespace sseccoe::core
