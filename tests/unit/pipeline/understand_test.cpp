// Understanding what was harvested, against a real store and a fake
// document reader (a script that prints what sseccoe-reader would): the
// detected media type wins over the declared one, a certificate's holder is
// matched against the people register (CURP, then the name in any order,
// never a guess), its written date replaces the file's mtime, what could not
// be read is listed, a reader that crashes quarantines the item alone, and
// the same content reaching the same activity twice is one record with an
// alias.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../store/support.hpp"
#include "model/catalog.hpp"
#include "pipeline/rematch.hpp"
#include "pipeline/store_emitter.hpp"

namespace sseccoe::core {
namespace {

using ::testing::HasSubstr;
using store::testing::TempDir;

const model::Catalog& pat2021() {
  static const model::Catalog c = model::load_catalog_file(SSECCOE_SOURCE_DIR "/config/catalog/PAT-2021.json");
  return c;
}

const std::string kPdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
// The 8-byte PNG signature and an IHDR chunk: libmagic says image/png.
const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0", 33);

sdk::Content file(std::string name, std::string body, std::string media_type = {}) {
  sdk::Content c;
  c.name = std::move(name);
  c.media_type = std::move(media_type);
  c.open = [body]() -> std::unique_ptr<std::istream> { return std::make_unique<std::istringstream>(body); };
  return c;
}

sdk::Item file_item(std::string key, sdk::Content content) {
  sdk::Item item;
  item.natural_key = std::move(key);
  item.version = "v1";
  item.metadata = {{"name", item.natural_key}};
  item.occurred_on = "2026-12-01";  // a fresh copy's mtime: outside every 2021 window
  item.occurred_on_from = "mtime";
  item.contents.push_back(std::move(content));
  return item;
}

RuleSection rule(int index, std::string source, std::string kind, std::string activity,
                 std::map<std::string, std::string> regex = {}) {
  RuleSection r;
  r.index = index;
  r.source = std::move(source);
  r.kind = std::move(kind);
  r.activity = std::move(activity);
  r.regex = std::move(regex);
  r.where = {"agent.toml", 10 * index, 1};
  return r;
}

class UnderstandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store.emplace(dir.state());
    templates_dir = dir.path() + "/templates";
    std::filesystem::create_directories(templates_dir);
    std::ofstream(templates_dir + "/prueba.toml") << R"(id = "prueba"
issuer = "Pruebas"
detect = '(?i)constancia de prueba'
[fields]
name = '(?i)otorgada a:?\s+(?P<value>.+?)\s+por'
curp = '(?P<value>[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d)'
course = '(?i)el curso\s+[«"]?(?P<value>.+?)[»"]?\s+con'
hours = '(?i)duraci[oó]n de\s+(?P<value>\d+)\s+horas'
occurred_on = '(?i)el\s+(?P<value>\d{1,2}\s+de\s+\w+\s+de\s+\d{4})'
)";
    templates.emplace(extract::TemplateSet::load({templates_dir}));
  }

  // A fake sseccoe-reader: prints `json` for every PDF, `image_json` for
  // every image (its first argument is "pdf" or "image").
  void reader_says(const std::string& json, const std::string& extra_shell = {},
                   const std::string& image_json = R"({"width": 800, "height": 600, "format": "png", "datetime_original": "2021-06-01T10:00:00"})") {
    const std::string path = dir.path() + "/fake-reader";
    std::ofstream(path) << "#!/bin/sh\n"
                        << extra_shell << "if [ \"$1\" = image ]; then\ncat <<'JSON'\n"
                        << image_json << "\nJSON\nelse\ncat <<'JSON'\n"
                        << json << "\nJSON\nfi\n";
    ::chmod(path.c_str(), 0755);
    reader.emplace(path);
  }

  StoreEmitter emitter(const std::string& source, std::vector<RuleSection> rules_now) {
    sections = std::move(rules_now);
    rules.emplace(sections);
    EmitterContext ctx{"INM", "PAT-2021", source, "test", &pat2021(), &*rules, &*store, "evidence",
                       reader ? &*reader : nullptr, &*templates};
    return StoreEmitter(ctx);
  }

  model::Record body(const std::string& id) {
    auto r = store->record(id);
    EXPECT_TRUE(r.has_value()) << id;
    return model::record_from_json(nlohmann::json::parse(r->body));
  }

  std::string id_of(const std::string& source, const std::string& key) {
    return model::make_record_id("INM", source, key);
  }

  // A person HR knows: a training list row.
  void hr_knows(const std::string& name, const std::string& curp, const std::string& employee_id) {
    sdk::Item row;
    row.natural_key = "row:" + employee_id;
    row.version = "r" + employee_id;
    row.metadata = {{"table", "plantilla.csv"}};
    row.occurred_on = "2021-03-01";
    row.people.push_back({name, curp, "", employee_id});
    auto out = emitter("rh", {});
    out.emit(row, std::nullopt);
  }

  TempDir dir;
  std::string templates_dir;
  std::optional<store::Store> store;
  std::optional<extract::TemplateSet> templates;
  std::optional<extract::DocumentReader> reader;
  std::vector<RuleSection> sections;
  std::optional<RuleSet> rules;
};

const char* kCertificateText =
    R"({"pages": ["CONSTANCIA DE PRUEBA\nOtorgada a: JOSÉ NÚÑEZ PEÑA por haber acreditado el curso «Ética pública» con duración de 20 horas, el 15 de marzo de 2021."], "page_count": 1, "encrypted": false})";

TEST_F(UnderstandTest, ACertificatesHolderCourseHoursAndWrittenDateReachTheRecord) {
  hr_knows("Núñez Peña José", "NUPJ800101HDFXXX05", "INM-7");
  reader_says(kCertificateText);
  auto out = emitter("comite", {rule(1, "comite", "course_certificate", "1.1.1")});
  out.emit(file_item("Constancias/jose.pdf", file("jose.pdf", kPdf)), std::nullopt);
  const auto r = store->record(id_of("comite", "Constancias/jose.pdf"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "pending") << r->status_reason << ": the written date, not the 2026 mtime, decides";
  const auto b = body(r->id);
  EXPECT_EQ(b.occurred_on, "2021-03-15");
  EXPECT_EQ(b.attributes.value("occurred_on_from", ""), "text");
  EXPECT_EQ(b.attributes.value("course", ""), "Ética pública");
  EXPECT_EQ(b.attributes.value("hours", 0), 20);
  ASSERT_EQ(b.people.size(), 1u);
  EXPECT_EQ(b.people[0].employee_id, "INM-7") << "matched by name in any order: HR's employee id";
  EXPECT_FALSE(b.attributes.contains("unmatched"));
  EXPECT_THAT(r->explain, HasSubstr("\"template\":\"prueba\""));
  EXPECT_EQ(store->people_count(), 1) << "a holder read from a file is matched, never added";
}

// Sources run in parallel: a certificate may be read before the HR export
// that names its holder. When the register grows, the holder is matched
// and the record revised (queued again if it was registered).
TEST_F(UnderstandTest, AHolderHarvestedBeforeHrIsMatchedWhenTheRegisterGrows) {
  reader_says(kCertificateText);
  auto out = emitter("comite", {rule(1, "comite", "course_certificate", "1.1.1")});
  out.emit(file_item("Constancias/jose.pdf", file("jose.pdf", kPdf)), std::nullopt);
  const std::string id = id_of("comite", "Constancias/jose.pdf");
  ASSERT_TRUE(body(id).attributes.contains("unmatched"));
  store->mark_synced(id, store->record(id)->fingerprint, "SSECCOE-INM-2021-000001", 1, "created");
  EXPECT_EQ(rematch_unmatched(*store).revised, 0u) << "nobody new in the register yet";

  hr_knows("Núñez Peña José", "NUPJ800101HDFXXX05", "INM-7");
  const auto report = rematch_unmatched(*store);
  EXPECT_EQ(report.matched, 1u);
  EXPECT_EQ(report.revised, 1u);
  const auto r = store->record(id);
  EXPECT_EQ(r->status, "pending") << "the registry gets the completed person";
  EXPECT_EQ(r->revision, 2);
  EXPECT_EQ(r->folio, "SSECCOE-INM-2021-000001");
  const auto b = body(id);
  EXPECT_FALSE(b.attributes.contains("unmatched"));
  ASSERT_EQ(b.people.size(), 1u);
  EXPECT_EQ(b.people[0].curp, "NUPJ800101HDFXXX05");
  EXPECT_EQ(b.people[0].employee_id, "INM-7");
  EXPECT_EQ(rematch_unmatched(*store).examined, 0u) << "nothing left to match";
}

TEST_F(UnderstandTest, AnAmbiguousOrUnknownHolderIsKeptAsReadAndSaidSo) {
  hr_knows("José Núñez Peña", "NUPJ800101HDFXXX05", "INM-7");
  hr_knows("Peña José Núñez", "NUPJ900101HDFXXX01", "INM-8");  // the same name, another person
  reader_says(kCertificateText);
  auto out = emitter("comite", {rule(1, "comite", "course_certificate", "1.1.1")});
  out.emit(file_item("Constancias/jose.pdf", file("jose.pdf", kPdf)), std::nullopt);
  const auto b = body(id_of("comite", "Constancias/jose.pdf"));
  ASSERT_EQ(b.people.size(), 1u);
  EXPECT_EQ(b.people[0].curp, "") << "never a guess";
  EXPECT_EQ(b.people[0].name, "José Núñez Peña");
  ASSERT_TRUE(b.attributes.contains("unmatched"));
  EXPECT_THAT(store->record(id_of("comite", "Constancias/jose.pdf"))->explain, HasSubstr("share this name"));
}

TEST_F(UnderstandTest, AScanWithoutTextIsRegisteredWithItsFieldsUnread) {
  reader_says(R"({"pages": ["  \n "], "page_count": 1, "encrypted": false})");
  auto out = emitter("comite", {rule(1, "comite", "course_certificate", "1.1.1")});
  auto item = file_item("Constancias/escaneo.pdf", file("escaneo.pdf", kPdf));
  item.occurred_on = "2021-05-14";
  out.emit(item, std::nullopt);
  const auto r = store->record(id_of("comite", "Constancias/escaneo.pdf"));
  EXPECT_EQ(r->status, "pending");
  const auto b = body(r->id);
  EXPECT_EQ(b.attributes["unread"], nlohmann::json::array({"name", "course", "occurred_on"}));
  EXPECT_THAT(r->explain, HasSubstr("no text layer"));
}

TEST_F(UnderstandTest, APngNamedPdfIsAnImageAndARuleMayMatchOnMediaType) {
  reader_says(kCertificateText);
  auto out = emitter("comite", {rule(1, "comite", "diffusion_material", "2.1.1", {{"media_type", "^image/"}}),
                                rule(2, "comite", "course_certificate", "1.1.1")});
  auto item = file_item("Constancias/cartel.pdf", file("cartel.pdf", kPng, "application/pdf"));
  item.occurred_on = "2021-05-14";
  out.emit(item, std::nullopt);
  const auto r = store->record(id_of("comite", "Constancias/cartel.pdf"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, "diffusion_material") << "the content, not the name, decides";
  const auto b = body(r->id);
  ASSERT_EQ(b.files.size(), 1u);
  EXPECT_EQ(b.files[0].media_type, "image/png");
  EXPECT_EQ(b.attributes.value("width", 0), 800);
  EXPECT_EQ(b.occurred_on, "2021-06-01") << "the EXIF date, not the mtime";
}

TEST_F(UnderstandTest, AnImagesExifDateReplacesItsMtime) {
  reader_says(kCertificateText);
  auto out = emitter("comite", {rule(1, "comite", "diffusion_material", "2.1.1")});
  out.emit(file_item("Difusion/cartel.png", file("cartel.png", kPng)), std::nullopt);
  const auto b = body(id_of("comite", "Difusion/cartel.png"));
  EXPECT_EQ(b.occurred_on, "2021-06-01");
  EXPECT_EQ(b.attributes.value("occurred_on_from", ""), "exif:DateTimeOriginal");
  EXPECT_EQ(b.attributes.value("height", 0), 600);
}

TEST_F(UnderstandTest, AReaderThatCrashesQuarantinesThatItemAlone) {
  reader_says("", "kill -SEGV $$\n");
  auto out = emitter("comite", {rule(1, "comite", "course_certificate", "1.1.1")});
  const auto result = out.emit(file_item("Constancias/hostil.pdf", file("hostil.pdf", kPdf)), std::nullopt);
  EXPECT_EQ(result.outcome, sdk::EmitOutcome::Quarantined);
  const auto q = store->quarantine();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_THAT(q[0].reason, HasSubstr("hostil.pdf"));
  EXPECT_FALSE(store->record(id_of("comite", "Constancias/hostil.pdf")));
}

TEST_F(UnderstandTest, TheSameCertificateFromMailAndFolderIsOneRecordWithAnAlias) {
  reader_says(kCertificateText);
  auto share = emitter("comite", {rule(1, "comite", "course_certificate", "1.1.1")});
  share.emit(file_item("Constancias/jose.pdf", file("jose.pdf", kPdf)), std::nullopt);
  sections.push_back(rule(2, "buzon", "course_certificate", "1.1.1"));
  auto mail = emitter("buzon", sections);
  sdk::Item message;
  message.natural_key = "msgid:abc@inm";
  message.version = "m1";
  message.metadata = {{"subject", "Constancia"}};
  message.occurred_on = "2021-05-20";
  auto att = file("Constancia José.pdf", kPdf, "application/pdf");
  att.role = "attachment";
  message.contents.push_back(att);
  const auto result = mail.emit(message, std::nullopt);
  const std::string first = id_of("comite", "Constancias/jose.pdf");
  EXPECT_EQ(result.record_id, first);
  EXPECT_FALSE(store->record(id_of("buzon", "msgid:abc@inm"))) << "no second record";
  EXPECT_EQ(store->counts().records, 1);
  const auto aliases = store->aliases_of(first);
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].source, "buzon");
  EXPECT_EQ(aliases[0].natural_key, "msgid:abc@inm");
  // Seen again: still known, still no record.
  EXPECT_EQ(mail.emit(message, std::nullopt).outcome, sdk::EmitOutcome::Unchanged);
  EXPECT_EQ(store->counts().records, 1);
}

}  // namespace
}  // namespace sseccoe::core
