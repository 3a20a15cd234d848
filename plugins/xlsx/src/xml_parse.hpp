// One entry of the package parsed with Poco's SAX parser (expat), hardened:
// a document with a DTD is refused outright, before any entity in it can be
// declared or expanded (billion laughs, external entities reading local
// files or URLs). SpreadsheetML never needs a DTD, so nothing genuine is lost.
#pragma once

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>

#include <istream>
#include <string>
#include <string_view>

namespace sseccoe::xlsx {

// Parses `in` (an entry named `part`, for messages) into `handler`, with
// namespaces on: handlers compare local names, so a prefixed document
// (<x:row>) and the strict namespace read the same. Throws XlsxError for XML
// that is not well-formed or that has a DTD; exceptions the handler or the
// stream throw (XlsxError, StopRequested, the emitter's) pass unchanged.
void parse_part(std::istream& in, Poco::XML::DefaultHandler& handler, std::string_view part);

// The value of the attribute with local name `name` and no namespace, or
// empty when it is absent.
std::string_view attribute(const Poco::XML::Attributes& attrs, std::string_view name);

// The value of the attribute with local name `name` in any namespace (r:id
// in the transitional or the strict relationships namespace).
std::string_view namespaced_attribute(const Poco::XML::Attributes& attrs, std::string_view name);

}  // namespace sseccoe::xlsx
