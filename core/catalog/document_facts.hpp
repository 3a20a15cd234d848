// What a PAT document says about itself outside its tables: the program year,
// the institution (acronym and full name), the title, and how many
// activities it announces. Fed line by line, it keeps a bounded amount of
// state, so that the importer still streams.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sseccoe::catalog {

class DocumentFacts {
 public:
  // Lines before the body starts (the cover: institution, committee, title).
  void cover_line(std::size_t line_no, const std::string& text);
  // Any other line outside a section heading: prose and table cells.
  void body_line(std::size_t line_no, const std::string& text);
  // The start year of an activity's window: a weak vote for the program year.
  void activity_year(int year);

  // The program year by weighted vote (cover "PAT 2021" > "ejercicio 2021" >
  // activity dates > other "PAT 2020" mentions); nullopt when nothing says.
  // Appends a warning for every mention that contradicts the result.
  std::optional<int> year(std::vector<std::string>& warnings) const;

  std::string institution_name() const;  // "" when the cover has none
  // The acronym: the initials of the full name when the body uses them
  // ("INSTITUTO NACIONAL DE MIGRACIÓN" -> "INM"), else the most mentioned
  // capitalised token that is not a federal acronym (with a warning).
  std::optional<std::string> institution(std::vector<std::string>& warnings) const;
  std::string title() const;
  std::optional<std::size_t> announced_activities() const { return announced_activities_; }

 private:
  struct YearMention {
    int year;
    int weight;
    std::size_t line;
    std::string quote;
  };
  void note_year_mentions(std::size_t line_no, const std::string& folded, bool on_cover);
  void count_acronyms(const std::string& text);

  std::vector<std::string> cover_paragraphs_;
  bool cover_paragraph_open_ = false;
  std::vector<YearMention> mentions_;
  std::map<int, int> activity_years_;
  std::map<std::string, int> acronym_counts_;
  std::optional<std::size_t> announced_activities_;
};

}  // namespace sseccoe::catalog
