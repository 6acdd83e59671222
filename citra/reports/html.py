"""The report as one print-ready HTML file: the same blocks as the PDF
(``citra.reports.document``), charts inline as SVG, styles for A4 printing (``@page``), no
script and nothing loaded from elsewhere. Opened in a browser and printed, it gives the PDF's
content; the Reports page shows it as the preview.
"""

from __future__ import annotations

from html import escape
from typing import Any

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

STYLE = """
@page { size: A4; margin: 16mm 20mm 18mm 20mm; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111827;
       font-size: 10pt; line-height: 1.4; max-width: 170mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 22pt; margin: 2mm 0 1mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; break-after: avoid; }
.kicker { color: #4B5563; font-size: 11pt; margin: 0; }
.month { font-size: 15pt; font-weight: bold; margin: 0 0 3mm; }
.small, figcaption { color: #4B5563; font-size: 8pt; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 2mm 0 4mm; }
thead { display: table-header-group; }
th { background: #E5E7EB; text-align: left; border-bottom: 1.2px solid #111827; padding: 2px 4px; }
td { border-bottom: 0.5px solid #9CA3AF; padding: 2px 4px; vertical-align: top; }
tr { break-inside: avoid; }
.num { text-align: right; white-space: nowrap; }
a { color: #1D4ED8; }
.url { display: block; font-size: 7pt; color: #1D4ED8; }
figure { margin: 2mm 0 4mm; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
li { margin-bottom: 1.5mm; }
.break { break-before: page; }
@media print { a { text-decoration: none; } }
"""


def _cell(value: Any) -> str:
    if isinstance(value, Link):
        text = escape(value.text or "–")
        if value.url:
            url = escape(value.url, quote=True)
            return f'<a href="{url}">{text}</a><span class="url">{escape(value.url)}</span>'
        return text
    return escape(str(value))


def _table(block: Table) -> str:
    def klass(i: int) -> str:
        return ' class="num"' if i in block.numeric else ""

    widths = "".join(f'<col style="width:{w * 100:.0f}%">' for w in block.widths)
    head = "".join(f"<th{klass(i)}>{escape(h)}</th>" for i, h in enumerate(block.header))
    body = "".join(
        "<tr>" + "".join(f"<td{klass(i)}>{_cell(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in block.rows
    )
    return f"<table><colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(document: Document) -> str:
    """The document as a complete HTML page (UTF-8)."""
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Cover):
            parts.append(
                f'<header><p class="kicker">{escape(block.title)}</p>'
                f"<h1>{escape(block.organisation)}</h1>"
                f'<p class="month">{escape(block.month)}</p>'
                + "".join(f'<p class="small">{escape(line)}</p>' for line in block.lines)
                + "</header>"
            )
        elif isinstance(block, Heading):
            parts.append(f"<h2>{escape(block.text)}</h2>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p{' class=small' if block.small else ''}>{escape(block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Chart):
            parts.append(
                f"<figure>{figures.svg(block.figure)}"
                f"<figcaption>{escape(block.caption)}</figcaption></figure>"
            )
        elif isinstance(block, PageBreak):
            parts.append('<div class="break"></div>')
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(document.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
