#include "acuse.hpp"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <cstdio>
#include <stdexcept>


namespace sseccoe::sdk::mail::detail {

namespace {

// A4 in points, 2 cm margins.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.7;
constexpr double kFooter = 20.0;

std::string escape(const std::string& s) {
  // Pango refuses control characters other than tab and newline.
  std::string clean;
  clean.reserve(s.size());
  for (unsigned char c : s)
    if (c >= 0x20 || c == '\n' || c == '\t') clean += static_cast<char>(c);
  char* e = g_markup_escape_text(clean.c_str(), static_cast<gssize>(clean.size()));
  std::string out(e);
  g_free(e);
  return out;
}

// Digests and ids in a fixed-width face small enough that 64 hex digits
// stay on one line (so that they can be compared, and found by pdftotext).
std::string mono(const std::string& s) {
  return "<span font_family=\"DejaVu Sans Mono\" size=\"9pt\">" + escape(s) + "</span>";
}

std::string field(const char* label, const std::string& value) {
  return std::string("<b>") + label + ":</b> " + (value.empty() ? "<i>(sin dato)</i>" : escape(value)) + "\n";
}

std::string with_thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string markup(const AcuseInput& in) {
  std::string m;
  m += "<span size=\"16pt\" weight=\"bold\">Acuse de envío de correo electrónico</span>\n\n";
  m += field("De", in.from);
  m += field("Para", in.to);
  if (!in.cc.empty()) m += field("CC", in.cc);
  m += field("Asunto", in.subject);
  m += field("Fecha", in.date_display);
  if (!in.folder.empty()) m += field("Carpeta", in.folder);
  if (!in.message_id.empty()) m += "<b>Identificador del mensaje:</b> " + mono("<" + in.message_id + ">") + "\n";
  m += "\n<span size=\"12pt\" weight=\"bold\">Texto del mensaje</span>\n";
  m += in.body.empty() ? "<i>(el mensaje no tiene texto)</i>\n" : escape(in.body) + "\n";
  if (in.body_truncated) m += "<i>[…] texto truncado</i>\n";
  m += "\n<span size=\"12pt\" weight=\"bold\">Adjuntos</span>\n";
  if (in.attachments.empty()) m += "<i>(sin adjuntos)</i>\n";
  for (std::size_t i = 0; i < in.attachments.size(); ++i) {
    const auto& a = in.attachments[i];
    m += std::to_string(i + 1) + ". " + escape(a.name) + " — " + escape(a.media_type) + " — " +
         with_thousands(a.size) + " bytes\n";
    m += "    SHA-256:\n    " + mono(a.sha256) + "\n";
  }
  m += "\n<span size=\"12pt\" weight=\"bold\">Huella SHA-256 del mensaje</span>\n";
  m += mono(in.message_sha256) + "\n";
  m += "(" + with_thousands(in.message_size) + " bytes; el mensaje original acompaña a este acuse como mensaje.eml)\n";
  return m;
}

struct Cleanup {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PangoFontMap* font_map = nullptr;
  PangoContext* context = nullptr;
  PangoLayout* layout = nullptr;
  ~Cleanup() {
    if (layout != nullptr) g_object_unref(layout);
    if (context != nullptr) g_object_unref(context);
    if (font_map != nullptr) g_object_unref(font_map);
    if (cr != nullptr) cairo_destroy(cr);
    if (surface != nullptr) cairo_surface_destroy(surface);
  }
};

void footer(cairo_t* cr, PangoContext* ctx, int page) {
  PangoLayout* l = pango_layout_new(ctx);
  PangoFontDescription* fd = pango_font_description_from_string("DejaVu Sans 8");
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  const std::string text = "Página " + std::to_string(page);
  pango_layout_set_text(l, text.c_str(), -1);
  cairo_move_to(cr, kMargin, kPageHeight - kMargin + kFooter / 2);
  pango_cairo_show_layout(cr, l);
  g_object_unref(l);
}

}  // namespace

std::string spanish_date(int year, int month, int day, int hour, int minute, int offset_minutes) {
  static const char* kMonths[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                  "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  if (month < 1 || month > 12) return {};
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%d de %s de %d, %02d:%02d (UTC%c%02d:%02d)", day, kMonths[month - 1], year, hour,
                minute, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

void render_acuse(const AcuseInput& in, const std::string& pdf_path) {
  Cleanup c;
  c.surface = cairo_pdf_surface_create(pdf_path.c_str(), kPageWidth, kPageHeight);
  if (cairo_surface_status(c.surface) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cannot create the acuse PDF " + pdf_path + ": " +
                             cairo_status_to_string(cairo_surface_status(c.surface)));
  // Fixed metadata: the same message always renders the same bytes.
  cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_TITLE, "Acuse de envío de correo electrónico");
  cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_CREATOR, "sseccoe-agent");
  cairo_pdf_surface_set_metadata(c.surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                 in.date_rfc3339.empty() ? "2000-01-01T00:00:00Z" : in.date_rfc3339.c_str());
  c.cr = cairo_create(c.surface);
  c.font_map = pango_cairo_font_map_new();
  c.context = pango_font_map_create_context(c.font_map);
  pango_cairo_update_context(c.cr, c.context);
  c.layout = pango_layout_new(c.context);

  PangoFontDescription* fd = pango_font_description_from_string("DejaVu Sans 10");
  pango_layout_set_font_description(c.layout, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(c.layout, static_cast<int>((kPageWidth - 2 * kMargin) * PANGO_SCALE));
  pango_layout_set_wrap(c.layout, PANGO_WRAP_WORD_CHAR);
  const std::string m = markup(in);
  pango_layout_set_markup(c.layout, m.c_str(), static_cast<int>(m.size()));

  // Lines flow onto as many pages as they need.
  const double usable = kPageHeight - 2 * kMargin - kFooter;
  int page = 1;
  int page_top = 0;  // layout y (Pango units) at the top of the current page
  PangoLayoutIter* it = pango_layout_get_iter(c.layout);
  do {
    int y0 = 0;
    int y1 = 0;
    pango_layout_iter_get_line_yrange(it, &y0, &y1);
    if (static_cast<double>(y1 - page_top) / PANGO_SCALE > usable && y0 > page_top) {
      footer(c.cr, c.context, page);
      cairo_show_page(c.cr);
      ++page;
      page_top = y0;
    }
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    const int baseline = pango_layout_iter_get_baseline(it);
    cairo_move_to(c.cr, kMargin + static_cast<double>(logical.x) / PANGO_SCALE,
                  kMargin + static_cast<double>(baseline - page_top) / PANGO_SCALE);
    pango_cairo_show_layout_line(c.cr, pango_layout_iter_get_line_readonly(it));
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  footer(c.cr, c.context, page);
  cairo_show_page(c.cr);

  cairo_destroy(c.cr);
  c.cr = nullptr;
  cairo_surface_finish(c.surface);
  const cairo_status_t st = cairo_surface_status(c.surface);
  if (st != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cannot write the acuse PDF " + pdf_path + ": " + cairo_status_to_string(st));
}

}  // namespace sseccoe::sdk::mail::detail
