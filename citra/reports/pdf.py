"""The report as an A4 PDF, laid out with ReportLab from the blocks of
``citra.reports.document``.

ReportLab is pure Python with no system libraries (WeasyPrint would need Pango from the
operating system), flows long tables over pages with their header repeated, and embeds
TrueType fonts with their Unicode maps, so the text can be searched and copied. The font is
DejaVu Sans as shipped inside matplotlib (Indonesian and English, the minus sign, curly quotes);
characters it lacks (emoji) are left out rather than printed as boxes. Black text, grey rules and
shading: readable when printed in black and white.
"""

from __future__ import annotations

from functools import cache
from html import escape
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from citra.i18n import translate
from citra.reports import figures
from citra.reports.document import (
    Bullets,
    Chart,
    Cover,
    Document,
    Heading,
    Link,
    PageBreak,
    Paragraph,
    Table,
)

FONT, BOLD = "CitraSans", "CitraSans-Bold"
MARGIN_CM = 2.0
INK = "#111827"
GREY = "#4B5563"
RULE = "#9CA3AF"
SHADE = "#E5E7EB"
LINK = "#1D4ED8"


@cache
def _fonts() -> frozenset[int]:
    """Register DejaVu Sans (regular, bold) once; returns the code points it can draw."""
    from matplotlib import get_data_path
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(get_data_path()) / "fonts" / "ttf"
    regular = TTFont(FONT, str(folder / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    return frozenset(regular.face.charToGlyph)


def _clean(text: str) -> str:
    """``text`` escaped for ReportLab's paragraph markup, without characters the font lacks."""
    drawable = _fonts()
    kept = "".join(c for c in text if ord(c) in drawable or c == "\n")
    return escape(" ".join(kept.split()) if "\n" not in kept else kept, quote=False)


def _styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    _fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12.5, textColor=HexColor(INK))
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=10, textColor=HexColor(GREY)
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "cell_right": ParagraphStyle(
            "cell_right", parent=base, fontSize=7.5, leading=9.5, alignment=2
        ),
        "header": ParagraphStyle("header", parent=base, fontName=BOLD, fontSize=7.5, leading=9.5),
        "header_right": ParagraphStyle(
            "header_right", parent=base, fontName=BOLD, fontSize=7.5, leading=9.5, alignment=2
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=11, bulletIndent=0, spaceAfter=3.5
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontSize=7.5, leading=10, textColor=HexColor(GREY), spaceAfter=6
        ),
        "kicker": ParagraphStyle(
            "kicker", parent=base, fontSize=10, leading=13, textColor=HexColor(GREY)
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=22, leading=27, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=8
        ),
    }


def _short_url(url: str) -> str:
    parts = urlsplit(url)
    text = (parts.netloc + parts.path).removeprefix("www.")
    return text if len(text) <= 60 else text[:59] + "…"


def _cell(value: Any, style: Any) -> Any:
    from reportlab.platypus import Paragraph as Para

    if isinstance(value, Link):
        text = _clean(value.text) or "–"
        if value.url:
            url = escape(value.url, quote=True)
            return Para(
                f'{text}<br/><a href="{url}" color="{LINK}"><font size="6.5">'
                f"{_clean(_short_url(value.url))}</font></a>",
                style,
            )
        return Para(text, style)
    return Para(_clean(str(value)), style)


def _table(block: Table, styles: dict[str, Any], width: float) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    def style_of(column: int, header: bool) -> Any:
        right = column in block.numeric
        if header:
            return styles["header_right" if right else "header"]
        return styles["cell_right" if right else "cell"]

    data = [[_cell(h, style_of(i, True)) for i, h in enumerate(block.header)]]
    data += [[_cell(v, style_of(i, False)) for i, v in enumerate(row)] for row in block.rows]
    table = RLTable(data, colWidths=[w * width for w in block.widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HexColor(SHADE)),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(INK)),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, HexColor(RULE)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _flowables(document: Document, styles: dict[str, Any], width: float) -> list[Any]:
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak, Image, KeepTogether, Spacer
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph as Para

    story: list[Any] = []
    pending: list[Any] = []  # a heading waits for what follows it, so it never ends a page
    for block in document.blocks:
        if isinstance(block, Cover):
            story += [
                Para(_clean(block.title), styles["kicker"]),
                Spacer(1, 0.2 * cm),
                Para(_clean(block.organisation), styles["title"]),
                Para(_clean(block.month), styles["subtitle"]),
                *[Para(_clean(line), styles["small"]) for line in block.lines],
                Spacer(1, 0.5 * cm),
            ]
            continue
        if isinstance(block, Heading):
            pending = [CondPageBreak(3 * cm), Para(_clean(block.text), styles["heading"])]
            continue
        keep = 1  # how many of the block's first flowables stay with a heading before it
        if isinstance(block, PageBreak):
            flowables: list[Any] = [RLPageBreak()]
        elif isinstance(block, Paragraph):
            flowables = [Para(_clean(block.text), styles["small" if block.small else "body"])]
        elif isinstance(block, Bullets):
            flowables = [
                Para(_clean(item), styles["bullet"], bulletText="•") for item in block.items
            ]
        elif isinstance(block, Table):
            flowables = [_table(block, styles, width), Spacer(1, 0.25 * cm)]
        elif isinstance(block, Chart):
            picture = figures.png(block.figure)
            height = width * figures.HEIGHT_INCHES / figures.WIDTH_INCHES
            flowables = [
                Image(BytesIO(picture), width=width, height=height),
                Para(_clean(block.caption), styles["caption"]),
            ]
            keep = 2
        else:  # pragma: no cover - every block kind is handled above
            raise TypeError(type(block).__name__)
        if pending or keep > 1:
            # One KeepTogether, never nested (a nested one always breaks the page).
            story += [
                *pending[:1],
                KeepTogether([*pending[1:], *flowables[:keep]]),
                *flowables[keep:],
            ]
            pending = []
        else:
            story += flowables
    return story


def render_pdf(document: Document, footer: str) -> bytes:
    """The document as PDF bytes (A4 portrait); ``footer`` is printed at the foot of every page
    with the page number."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    styles = _styles()
    buffer = BytesIO()
    margin = MARGIN_CM * cm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=1.6 * cm,
        bottomMargin=1.8 * cm,
        title=document.title,
        author="Citra",
        creator="Citra",
        lang=document.lang,
    )
    page_word = translate("page {n}", document.lang, n="{n}")
    drawable_footer = "".join(c for c in footer if ord(c) in _fonts())

    def decorate(canvas: Any, doc_: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(HexColor(GREY))
        canvas.drawString(margin, 1.0 * cm, drawable_footer)
        canvas.drawRightString(A4[0] - margin, 1.0 * cm, page_word.format(n=doc_.page))
        canvas.setStrokeColor(HexColor(RULE))
        canvas.setLineWidth(0.3)
        canvas.line(margin, 1.35 * cm, A4[0] - margin, 1.35 * cm)
        canvas.restoreState()

    doc.build(_flowables(document, styles, doc.width), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
