#include "xml_parse.hpp"

#include <Poco/SAX/DeclHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>

#include "errors.hpp"
#include "text_util.hpp"

namespace sseccoe::xlsx {

namespace {

using Poco::XML::XMLChar;
using Poco::XML::XMLString;

// Refuses the document at its <!DOCTYPE>, which expat reports before it
// reads any declaration inside it; the declaration handlers are a second
// line should a parser ever report them first.
class DtdGuard final : public Poco::XML::LexicalHandler, public Poco::XML::DeclHandler {
 public:
  explicit DtdGuard(std::string_view part) : part_(part) {}

  void startDTD(const XMLString&, const XMLString&, const XMLString&) override { refuse(); }
  void endDTD() override {}
  void startEntity(const XMLString&) override { refuse(); }
  void endEntity(const XMLString&) override {}
  void startCDATA() override {}
  void endCDATA() override {}
  void comment(const XMLChar[], int, int) override {}

  void attributeDecl(const XMLString&, const XMLString&, const XMLString*, const XMLString*) override { refuse(); }
  void elementDecl(const XMLString&, const XMLString&) override { refuse(); }
  void externalEntityDecl(const XMLString&, const XMLString*, const XMLString&) override { refuse(); }
  void internalEntityDecl(const XMLString&, const XMLString&) override { refuse(); }

 private:
  [[noreturn]] void refuse() const {
    throw XlsxError("the entry " + quoted(part_) +
                    " declares a DTD (<!DOCTYPE>, the way entity attacks such as 'billion laughs' and external "
                    "entities work): refused; Excel never writes one, so the file was forged or damaged");
  }
  std::string part_;
};

}  // namespace

void parse_part(std::istream& in, Poco::XML::DefaultHandler& handler, std::string_view part) {
  DtdGuard guard(part);
  Poco::XML::SAXParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  // Partial reads take what the stream has (readsome) instead of waiting for
  // a full buffer: when the stream fails (a truncated entry), every byte it
  // delivered before has been parsed, and every row in them reported.
  parser.setFeature(Poco::XML::SAXParser::FEATURE_PARTIAL_READS, true);
  parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER, static_cast<Poco::XML::LexicalHandler*>(&guard));
  parser.setProperty(Poco::XML::XMLReader::PROPERTY_DECLARATION_HANDLER,
                     static_cast<Poco::XML::DeclHandler*>(&guard));
  parser.setContentHandler(&handler);
  Poco::XML::InputSource source(in);
  try {
    parser.parse(&source);
  } catch (const Poco::XML::SAXParseException& e) {
    throw XlsxError("the entry " + quoted(part) + " is not well-formed XML (" + e.message() + " at line " +
                    std::to_string(e.getLineNumber()) + ", column " + std::to_string(e.getColumnNumber()) +
                    "): the workbook is damaged; ask for a fresh export");
  } catch (const Poco::Exception& e) {
    throw XlsxError("the entry " + quoted(part) + " cannot be parsed (" + e.displayText() +
                    "): the workbook is damaged; ask for a fresh export");
  }
}

std::string_view attribute(const Poco::XML::Attributes& attrs, std::string_view name) {
  const int n = attrs.getLength();
  for (int i = 0; i < n; ++i)
    if (attrs.getLocalName(i) == name && attrs.getURI(i).empty()) return attrs.getValue(i);
  return {};
}

std::string_view namespaced_attribute(const Poco::XML::Attributes& attrs, std::string_view name) {
  const int n = attrs.getLength();
  for (int i = 0; i < n; ++i)
    if (attrs.getLocalName(i) == name && !attrs.getURI(i).empty()) return attrs.getValue(i);
  return {};
}

}  // namespace sseccoe::xlsx
