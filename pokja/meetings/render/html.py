"""Blocks as one self-contained, printable HTML page (A4, print CSS, no external asset), with
every text escaped."""

from __future__ import annotations

from html import escape

from pokja.meetings.render.blocks import Block, Entries, Facts, Heading, Para, Title

STYLE = """
@page { size: A4; margin: 20mm 18mm; }
html { font-family: "Times New Roman", Times, serif; font-size: 11.5pt; color: #000; }
body { max-width: 174mm; margin: 0 auto; line-height: 1.35; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 2mm; text-transform: uppercase; }
.subtitle { text-align: center; font-weight: bold; margin: 0 0 5mm; }
h2 { font-size: 12.5pt; margin: 5mm 0 2mm; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 3mm 0 1mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
th, td { border: 0.3mm solid #000; padding: 1mm 2mm; text-align: left; vertical-align: top; }
table.facts td, table.facts th { border: none; padding: 0.5mm 2mm 0.5mm 0; }
table.facts th { width: 32mm; font-weight: normal; }
li { margin: 1mm 0; break-inside: avoid; }
li ul { margin: 0.5mm 0; padding-left: 5mm; list-style: disc; }
.details { font-size: 10.5pt; }
p.strong { font-weight: bold; }
@media screen { body { margin: 10mm auto; } }
"""


def _entries(block: Entries) -> str:
    tag = "ol" if block.numbered else "ul"
    items = []
    for entry in block.entries:
        details = "".join(f"<li>{escape(d)}</li>" for d in entry.details if d)
        sub = f'<ul class="details">{details}</ul>' if details else ""
        items.append(f"<li>{escape(entry.text)}{sub}</li>")
    return f"<{tag}>{''.join(items)}</{tag}>"


def _block(block: Block) -> str:
    if isinstance(block, Title):
        sub = f'<p class="subtitle">{escape(block.subtitle)}</p>' if block.subtitle else ""
        return f"<h1>{escape(block.text)}</h1>{sub}"
    if isinstance(block, Facts):
        rows = "".join(
            f"<tr><th>{escape(k)}</th><td>: {escape(v)}</td></tr>" for k, v in block.rows
        )
        return f'<table class="facts">{rows}</table>'
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        css = ' class="strong"' if block.strong else ""
        return f"<p{css}>{escape(block.text)}</p>"
    if isinstance(block, Entries):
        return _entries(block)
    head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(blocks: list[Block], lang: str) -> str:
    title = next((b.text for b in blocks if isinstance(b, Title)), "")
    body = "\n".join(_block(block) for block in blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
