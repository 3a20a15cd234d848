#include "delimiter.hpp"

#include <cctype>
#include <stdexcept>
#include <vector>

#include "byte_source.hpp"
#include "record_reader.hpp"

namespace sseccoe::csv {

namespace {

constexpr std::size_t kRecordsJudged = 100;

struct Score {
  std::size_t header_fields = 0;
  std::size_t agreeing = 0;  // records after the header with as many fields
  std::size_t judged = 0;    // records after the header

  // agreeing/judged compared as fractions, without rounding; a header
  // alone agrees with itself.
  bool better_than(const Score& o) const {
    const unsigned long long a = judged == 0 ? 1 : agreeing, b = judged == 0 ? 1 : judged;
    const unsigned long long oa = o.judged == 0 ? 1 : o.agreeing, ob = o.judged == 0 ? 1 : o.judged;
    if (a * ob != oa * b) return a * ob > oa * b;
    return header_fields > o.header_fields;
  }
};

Score score(std::string_view sample, bool whole, char d) {
  StringSource src{std::string(sample)};
  ReaderLimits limits;
  limits.buffer_bytes = 64u << 10;
  RecordReader reader(src, 0, d, limits);
  std::vector<std::size_t> counts;
  bool reached_end = false;
  while (counts.size() <= kRecordsJudged) {
    const RecordReader::Event e = reader.next();
    if (e == RecordReader::Event::End) {
      reached_end = true;
      break;
    }
    if (e == RecordReader::Event::Record) counts.push_back(reader.fields().size());
  }
  // The last record of a cut sample may itself be cut.
  if (reached_end && !whole && counts.size() > 1) counts.pop_back();
  Score s;
  if (counts.empty()) return s;
  s.header_fields = counts[0];
  for (std::size_t i = 1; i < counts.size(); ++i) {
    ++s.judged;
    if (counts[i] == counts[0]) ++s.agreeing;
  }
  return s;
}

}  // namespace

DelimiterGuess detect_delimiter(std::string_view sample, bool whole) {
  DelimiterGuess best;
  Score best_score;
  for (const char d : kDelimiterCandidates) {
    const Score s = score(sample, whole, d);
    if (s.header_fields < 2) continue;
    if (!best.found || s.better_than(best_score)) {
      best = {d, true};
      best_score = s;
    }
  }
  return best;
}

std::optional<SepLine> excel_sep_line(std::string_view sample) {
  if (sample.size() < 5 || sample.substr(0, 4) != "sep=") return std::nullopt;
  const char d = sample[4];
  if (d == '"' || d == '\r' || d == '\n') return std::nullopt;
  std::string_view rest = sample.substr(5);
  if (rest.empty()) return SepLine{d, 5};
  if (rest.substr(0, 2) == "\r\n") return SepLine{d, 7};
  if (rest[0] == '\n' || rest[0] == '\r') return SepLine{d, 6};
  return std::nullopt;
}

std::string describe_delimiter(char d) {
  if (d == '\t') return "tab";
  return std::string("'") + d + "'";
}

char parse_delimiter_option(std::string_view text) {
  if (text == "auto") return 0;
  if (text == "tab" || text == "\t" || text == "\\t") return '\t';
  const auto c = text.size() == 1 ? static_cast<unsigned char>(text[0]) : 0;
  if (c != 0 && c < 0x80 && std::isgraph(c) && !std::isalnum(c) && c != '"') return static_cast<char>(c);
  throw std::invalid_argument("'" + std::string(text) +
                              "' cannot separate fields: use \"auto\" (detects , ; tab |), \"tab\", or one "
                              "punctuation character such as \",\" or \";\"");
}

}  // namespace sseccoe::csv
