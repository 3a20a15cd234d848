// Classification rules: first match wins in file order; a rule matches on
// the source, a case-insensitive glob over the natural key and regexes over
// metadata; `explain` shows what each rule said.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/rules.hpp"

namespace sseccoe::core {
namespace {

using ::testing::HasSubstr;
using Meta = std::map<std::string, std::string>;

RuleSection rule(int index, std::string glob, std::string activity, std::string kind = "course_certificate") {
  RuleSection r;
  r.index = index;
  r.glob = std::move(glob);
  r.activity = std::move(activity);
  r.kind = std::move(kind);
  r.where = {"agent.toml", 10 * index, 0};
  return r;
}

TEST(Rules, FirstMatchWinsInFileOrder) {
  const std::vector<RuleSection> rules{rule(1, "**/*.pdf", "1.1.1"), rule(2, "constancias/**", "1.1.2")};
  RuleSet set(rules);

  std::vector<RuleVerdict> trace;
  auto d = set.classify("constancias", "constancias/ana.pdf", {}, &trace);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->activity, "1.1.1");
  EXPECT_EQ(d->rule, &rules[0]);
  ASSERT_EQ(trace.size(), 1u) << "evaluation stops at the first match";
  EXPECT_TRUE(trace[0].matched);

  trace.clear();
  d = set.classify("constancias", "constancias/ana.docx", {}, &trace);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->activity, "1.1.2");
  EXPECT_EQ(d->rule->index, 2);
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_FALSE(trace[0].matched);
  EXPECT_EQ(trace[0].why, "glob '**/*.pdf' does not match the key");
  EXPECT_TRUE(trace[1].matched);
  EXPECT_EQ(trace[1].why, "matched");
}

TEST(Rules, AnAttachmentGlobMatchesAnyOneAttachmentName) {
  RuleSection r = rule(1, "", "1.1.1");
  r.attachment = "constancia*.pdf";
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  EXPECT_TRUE(set.classify("buzon", "msgid:a@b", {{"attachment", "logo.png\nConstancia-Ana.PDF"}}));
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("buzon", "msgid:a@b", {{"attachment", "logo.png\ncarta.pdf"}}, &trace));
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_EQ(trace[0].why, "no attachment name matches 'constancia*.pdf'");
  EXPECT_FALSE(set.classify("buzon", "msgid:a@b", {}));
}

TEST(Rules, NothingMatchesStaysUnclassified) {
  const std::vector<RuleSection> rules{rule(1, "**/*.pdf", "1.1.1")};
  RuleSet set(rules);
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("constancias", "notas.txt", {}, &trace));
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_FALSE(trace[0].matched);

  RuleSet none(std::vector<RuleSection>{});
  trace.clear();
  EXPECT_FALSE(none.classify("constancias", "a.pdf", {}, &trace));
  EXPECT_TRUE(trace.empty());
}

TEST(Rules, SourceFilter) {
  auto r = rule(1, "", "5.2.1", "email_dispatch");
  r.source = "enviados";
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("constancias", "a.pdf", {}, &trace));
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_EQ(trace[0].why, "source is 'constancias', the rule is for 'enviados'");
  EXPECT_TRUE(set.classify("enviados", "<id@mail>", {}));
}

TEST(Rules, ARuleWithNoConditionsMatchesEverything) {
  const std::vector<RuleSection> rules{rule(1, "", "2.1.1", "diffusion_material")};
  RuleSet set(rules);
  EXPECT_TRUE(set.classify("any", "any/key", {}));
  EXPECT_TRUE(set.classify("other", "", {}));
}

TEST(Rules, GlobIsCaseInsensitiveIncludingAccents) {
  const std::vector<RuleSection> rules{rule(1, "Difusión/**/*.png", "2.1.1", "diffusion_material")};
  RuleSet set(rules);
  EXPECT_TRUE(set.classify("difusion", "DIFUSIÓN/2021/Cartel.PNG", {}));
  EXPECT_TRUE(set.classify("difusion", "difusión/cartel.png", {}));
  EXPECT_FALSE(set.classify("difusion", "Difusion/cartel.png", {})) << "an accent is not case";
  EXPECT_FALSE(set.classify("difusion", "otros/Difusión/cartel.png", {}));
}

TEST(Rules, RegexSearchesMetadataCaseInsensitively) {
  auto r = rule(1, "", "1.1.1");
  r.regex = {{"subject", "constancia"}};
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"subject", "Envío de CONSTANCIA del curso"}}));
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"subject", "Reunión ordinaria"}}, &trace));
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_EQ(trace[0].why, "'subject' does not match /constancia/ (ignoring case): it is \"Reunión ordinaria\"");
}

// What a Spanish-speaking IT person writes (issue: "Rules and dates as IT
// writes them"): std::regex matched bytes, so each of these failed.
struct SpanishCase {
  const char* pattern;
  const char* subject;
  bool matches;
};

class RulesSpanish : public ::testing::TestWithParam<SpanishCase> {};

TEST_P(RulesSpanish, SubjectAsWritten) {
  auto r = rule(1, "", "5.2.1", "email_dispatch");
  r.regex = {{"subject", GetParam().pattern}};
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  EXPECT_EQ(set.classify("buzon", "<a@b>", Meta{{"subject", GetParam().subject}}).has_value(), GetParam().matches)
      << "/" << GetParam().pattern << "/ on \"" << GetParam().subject << "\"";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RulesSpanish,
    ::testing::Values(SpanishCase{"pr[aá]cticas?", "Buenas prácticas", true},
                      SpanishCase{"capacitaci[oó]n", "Constancia de capacitación", true},
                      SpanishCase{"PRÁCTICA", "Reporte de buena práctica", true},
                      SpanishCase{"práctica", "REPORTE DE BUENA PRÁCTICA", true},
                      SpanishCase{"(?i)constancia", "CONSTANCIA", true},
                      SpanishCase{"(?-i)Constancia", "CONSTANCIA", false},
                      SpanishCase{"(?-i)Constancia", "Constancia", true},
                      SpanishCase{"compañía", "COMPAÑÍA DE TEATRO", true},
                      SpanishCase{"AÑO", "año 2021", true},
                      SpanishCase{"^.tica$", "Ética", true},           // '.' is one letter, not one byte
                      SpanishCase{"^..tica$", "Ética", false},
                      SpanishCase{"^[^x]tica$", "ética", true},
                      SpanishCase{"\\bprácticas\\b", "las prácticas.", true},
                      SpanishCase{"pr[aá]ctica", "Pra\u0301ctica (written on a Mac, NFD)", true},
                      SpanishCase{"Práctica", "PRA\u0301CTICA", true},
                      SpanishCase{"difusi[oó]n", "Difusion sin acento", true},
                      SpanishCase{"difusión", "Difusion sin acento", false}));

TEST(Rules, RegexAnchorsAreHonoured) {
  auto r = rule(1, "", "5.2.1", "email_dispatch");
  r.regex = {{"to", "@sfp\\.gob\\.mx$"}};
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  EXPECT_TRUE(set.classify("enviados", "k", Meta{{"to", "ueppci@SFP.gob.mx"}}));
  EXPECT_FALSE(set.classify("enviados", "k", Meta{{"to", "ueppci@sfp.gob.mx.example.com"}}));
}

TEST(Rules, EveryRegexMustMatch) {
  auto r = rule(1, "", "1.1.1");
  r.regex = {{"from", "@cursos\\.example$"}, {"subject", "constancia"}};
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  EXPECT_TRUE(set.classify("buzon", "k", Meta{{"from", "no-reply@cursos.example"}, {"subject", "Tu constancia"}}));
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("buzon", "k", Meta{{"from", "ana@inm.gob.mx"}, {"subject", "Tu constancia"}}, &trace));
  EXPECT_THAT(trace.at(0).why, HasSubstr("'from' does not match"));
}

TEST(Rules, AMissingFieldIsNoMatchAndSaysWhy) {
  auto r = rule(1, "", "1.1.1");
  r.regex = {{"subject", "constancia"}};
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("constancias", "a.pdf", Meta{{"path", "a.pdf"}}, &trace));
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_EQ(trace[0].why, "the item has no 'subject'");
  // Present but empty is a value: it is searched.
  r.regex = {{"subject", "^$"}};
  const std::vector<RuleSection> rules2{r};
  EXPECT_TRUE(RuleSet(rules2).classify("c", "k", Meta{{"subject", ""}}));
}

TEST(Rules, ExplainTraceNamesEachRuleAndWhereItIs) {
  auto a = rule(1, "**/*.pdf", "1.1.1");
  auto b = rule(2, "", "5.2.1", "email_dispatch");
  b.source = "enviados";
  auto c = rule(3, "", "1.2.1", "consultation");
  c.regex = {{"subject", "consulta"}};
  auto d = rule(4, "**", "2.1.1", "diffusion_material");
  const std::vector<RuleSection> rules{a, b, c, d};
  RuleSet set(rules);
  std::vector<RuleVerdict> trace;
  auto dec = set.classify("buzon", "<x@y>", Meta{{"subject", "Aviso"}}, &trace);
  ASSERT_TRUE(dec);
  EXPECT_EQ(dec->activity, "2.1.1");
  ASSERT_EQ(trace.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(trace[i].index, i + 1);
    EXPECT_EQ(trace[i].location, "agent.toml:" + std::to_string(10 * (i + 1)));
  }
  EXPECT_THAT(trace[0].why, HasSubstr("glob"));
  EXPECT_THAT(trace[1].why, HasSubstr("'enviados'"));
  EXPECT_THAT(trace[2].why, HasSubstr("/consulta/"));
  EXPECT_EQ(trace[3].why, "matched");

  auto j = to_json(trace);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 4u);
  EXPECT_EQ(j[0]["rule"], 1);
  EXPECT_EQ(j[0]["at"], "agent.toml:10");
  EXPECT_EQ(j[0]["matched"], false);
  EXPECT_EQ(j[3]["matched"], true);
  EXPECT_EQ(j[3]["why"], "matched");
  EXPECT_TRUE(to_json(std::vector<RuleVerdict>{}).empty());
}

TEST(Rules, DecisionCarriesKindActivityTitleAndAttributes) {
  auto r = rule(1, "**/*.pdf", "1.1.1");
  r.title = "Constancia: {stem}";
  r.attributes = {{"curso", "{meta.subject}"}, {"origen", "carpeta {path}"}};
  const std::vector<RuleSection> rules{r};
  RuleSet set(rules);
  auto d = set.classify("c", "2021/ana.pdf", Meta{{"stem", "ana"}, {"path", "2021/ana.pdf"}, {"subject", "Ética"}});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->kind, "course_certificate");
  EXPECT_EQ(d->activity, "1.1.1");
  EXPECT_EQ(d->title, "Constancia: ana");
  EXPECT_EQ(d->attributes["curso"], "Ética");
  EXPECT_EQ(d->attributes["origen"], "carpeta 2021/ana.pdf");
}

TEST(Rules, DefaultTitleIsTheName) {
  const std::vector<RuleSection> rules{rule(1, "", "1.1.1")};
  RuleSet set(rules);
  EXPECT_EQ(set.classify("c", "x/ana.pdf", Meta{{"name", "ana.pdf"}})->title, "ana.pdf");
  EXPECT_EQ(set.classify("c", "x/ana.pdf", Meta{})->title, "");
}

TEST(RenderTemplate, Placeholders) {
  const Meta m{{"stem", "constancia-ana"}, {"subject", "Curso"}, {"name", "c.pdf"}};
  EXPECT_EQ(render_template("{stem}", m), "constancia-ana");
  EXPECT_EQ(render_template("{meta.subject}", m), "Curso");
  EXPECT_EQ(render_template("{subject} / {name}", m), "Curso / c.pdf");
  EXPECT_EQ(render_template("sin marcadores", m), "sin marcadores");
  EXPECT_EQ(render_template("", m), "");
}

TEST(RenderTemplate, DoubledBracesAreLiteral) {
  const Meta m{{"stem", "x"}};
  EXPECT_EQ(render_template("{{stem}}", m), "{stem}");
  EXPECT_EQ(render_template("{{{stem}}}", m), "{x}");
  EXPECT_EQ(render_template("a }} b", m), "a } b");
}

TEST(RenderTemplate, UnknownNamesExpandToNothing) {
  const Meta m{{"stem", "x"}};
  EXPECT_EQ(render_template("[{nope}]", m), "[]");
  EXPECT_EQ(render_template("[{meta.nope}]", m), "[]");
  EXPECT_EQ(render_template("[{}]", m), "[]");
}

TEST(RenderTemplate, UnclosedBraceIsKeptAsWritten) {
  const Meta m{{"stem", "x"}};
  EXPECT_EQ(render_template("{stem} {stem", m), "x {stem");
  EXPECT_EQ(render_template("{", m), "{");
  EXPECT_EQ(render_template("a}b", m), "a}b");
}

}  // namespace
}  // namespace sseccoe::core
