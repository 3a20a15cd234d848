"""The diffusion images of the share and the screenshot of a passed course."""
from __future__ import annotations

import random
from dataclasses import dataclass

from .png import GLYPH_H, MARK_H, Canvas, Colour

WHITE: Colour = (255, 255, 255)


@dataclass(frozen=True)
class Theme:
    background: Colour
    band: Colour
    ink: Colour
    accent: Colour


CODIGO_ETICA = Theme((250, 246, 240), (105, 28, 50), (60, 20, 30), (188, 149, 92))
CONFLICTO = Theme((236, 244, 248), (18, 82, 112), (12, 50, 70), (235, 160, 40))
CODIGO_CONDUCTA = Theme((238, 247, 238), (22, 96, 62), (14, 60, 40), (200, 170, 60))


def _line_height(scale: int) -> int:
    """Glyph rows, accent rows and one row of leading."""
    return (GLYPH_H + MARK_H + 1) * scale


def poster(rng: random.Random, theme: Theme, heading: list[str], body: list[str],
           size: tuple[int, int] = (480, 640)) -> Canvas:
    """A poster: a coloured band with the heading, body lines, decoration and the committee's footer.

    The decoration depends on `rng`, so two posters with the same text still differ.
    """
    w, h = size
    c = Canvas(w, h, theme.background)
    heading_scale = [3 if c.text_width(line, 4) > w - 24 else 4 for line in heading]
    body_scale = [3 if c.text_width(line, 3) <= w - 24 else 2 for line in body]
    band = 16 + sum(_line_height(s) for s in heading_scale) + 8
    body_end = band + 24 + sum(_line_height(s) for s in body_scale)
    # Decoration first, below the text where there is room, so the text stays legible.
    shade = tuple((a * 3 + b) // 4 for a, b in zip(theme.background, theme.accent))
    for _ in range(6):
        r = rng.randrange(w // 12, w // 5)
        c.disc(rng.randrange(w), rng.randrange(min(body_end + r, h - 80), h - 40), r, shade)  # type: ignore[arg-type]
    c.rect(0, 0, w, band, theme.band)
    y = 16
    for line, scale in zip(heading, heading_scale):
        c.text_centred(y, line, scale, WHITE)
        y += _line_height(scale)
    y = band + 24
    for line, scale in zip(body, body_scale):
        c.text_centred(y, line, scale, theme.ink)
        y += _line_height(scale)
    c.rect(24, h - 64, w - 48, 3, theme.accent)
    c.text_centred(h - 48, "COMITÉ DE ÉTICA - INM", 2, theme.ink)
    c.text_centred(h - 26, "COMITE_ETICA@INAMI.GOB.MX", 1, theme.ink)
    return c


def course_screenshot(full_name: str, course: str, score: int) -> Canvas:
    """A browser window showing SICAVISP's 'course passed' page."""
    c = Canvas(800, 450, (235, 235, 235))
    c.rect(0, 0, 800, 34, (210, 210, 210))
    for i, col in enumerate(((237, 106, 94), (245, 191, 79), (98, 197, 84))):
        c.disc(20 + i * 20, 17, 6, col)
    c.rect(90, 8, 560, 18, WHITE)
    c.text(98, 9, "SICAVISP.FUNCIONPUBLICA.GOB.MX", 1, (90, 90, 90))
    c.rect(0, 34, 800, 56, (105, 28, 50))
    c.text(24, 50, "SICAVISP - MIS CURSOS", 2, WHITE)
    c.text(776 - c.text_width(full_name, 1), 56, full_name, 1, WHITE)
    c.rect(40, 110, 720, 310, WHITE)
    c.disc(100, 180, 34, (46, 160, 67))
    for t in range(12):  # a tick: a short stroke down, then a long one up
        c.rect(80 + t, 176 + t, 7, 7, WHITE)
    for t in range(24):
        c.rect(92 + t, 187 - t, 7, 7, WHITE)
    c.text(160, 160, "CURSO ACREDITADO", 3, (46, 120, 60))
    words, lines, line = course.upper().split(), [], ""
    for word in words:
        if line and c.text_width(line + " " + word, 2) > 560:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for i, text in enumerate(lines):
        c.text(160, 220 + i * 26, text, 2, (40, 40, 40))
    c.text(160, 240 + len(lines) * 26, f"CALIFICACIÓN: {score}", 2, (40, 40, 40))
    c.rect(160, 290 + len(lines) * 26, 220, 34, (105, 28, 50))
    c.text(176, 298 + len(lines) * 26, "DESCARGAR CONSTANCIA", 1, WHITE)
    return c
