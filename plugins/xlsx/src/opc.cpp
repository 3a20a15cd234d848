#include "opc.hpp"

#include "errors.hpp"
#include "text_util.hpp"
#include "xml_parse.hpp"
#include "zip_package.hpp"

namespace sseccoe::xlsx {

namespace {

// Far beyond any real workbook (one per sheet, image, comment...), small
// enough that a forged .rels cannot eat memory.
constexpr std::size_t kMaxRelationships = 100'000;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

class RelsHandler final : public Poco::XML::DefaultHandler {
 public:
  RelsHandler(std::string_view source_part, std::string_view rels_part)
      : source_part_(source_part), rels_part_(rels_part) {}

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local, const Poco::XML::XMLString&,
                    const Poco::XML::Attributes& attrs) override {
    if (local != "Relationship") return;
    if (rels.size() == kMaxRelationships)
      throw XlsxError("the entry " + quoted(rels_part_) + " lists more than " + std::to_string(kMaxRelationships) +
                      " relationships: refused as a forged or damaged workbook");
    Relationship r;
    r.id = std::string(attribute(attrs, "Id"));
    r.type = std::string(attribute(attrs, "Type"));
    if (lower_ascii(attribute(attrs, "TargetMode")) != "external")
      r.target = resolve_target(source_part_, attribute(attrs, "Target"));
    rels.push_back(std::move(r));
  }

  std::vector<Relationship> rels;

 private:
  std::string source_part_;
  std::string rels_part_;
};

}  // namespace

std::string rels_part_for(std::string_view part) {
  const auto slash = part.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
  const std::string_view name = slash == std::string_view::npos ? part : part.substr(slash + 1);
  return std::string(dir) + "_rels/" + std::string(name) + ".rels";
}

std::string resolve_target(std::string_view source_part, std::string_view target) {
  const std::string decoded = percent_decode(target);
  std::vector<std::string> segments;
  std::string_view rest = decoded;
  if (!rest.empty() && rest.front() == '/') {
    rest.remove_prefix(1);
  } else {
    std::string_view dir = source_part;
    const auto slash = dir.rfind('/');
    dir = slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
    while (!dir.empty()) {
      const auto next = dir.find('/');
      segments.emplace_back(dir.substr(0, next));
      if (next == std::string_view::npos) break;
      dir.remove_prefix(next + 1);
    }
  }
  while (!rest.empty()) {
    const auto next = rest.find('/');
    const std::string_view seg = rest.substr(0, next);
    if (seg == "..") {
      if (segments.empty()) return {};
      segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.emplace_back(seg);
    }
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next + 1);
  }
  std::string out;
  for (const auto& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

bool type_is(std::string_view type, std::string_view kind) {
  return type.size() > kind.size() && type.substr(type.size() - kind.size()) == kind &&
         type[type.size() - kind.size() - 1] == '/';
}

std::vector<Relationship> read_relationships(ZipPackage& zip, std::string_view source_part) {
  const std::string rels_part = rels_part_for(source_part);
  if (!zip.has(rels_part)) return {};
  RelsHandler handler(source_part, rels_part);
  auto in = zip.open(rels_part);
  parse_part(*in, handler, rels_part);
  return std::move(handler.rels);
}

}  // namespace sseccoe::xlsx
