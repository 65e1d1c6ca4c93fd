"""Blocks as a Word document (python-docx): what a secretary pastes into the invitation letter
or prints as the minutes."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pokja.meetings.render.blocks import Block, Entries, Facts, Heading, Para, Table, Title

STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "List Number", "List Bullet")
DETAIL_STYLE = "List Bullet 2"
# XML 1.0 allows no control characters but tab, line feed and carriage return.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(text: str, bold: bool) -> Any:
    run = OxmlElement("w:r")
    if bold:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:b"))
        run.append(properties)
    for n, part in enumerate(_NOT_XML.sub("", text).split("\t")):
        if n:
            run.append(OxmlElement("w:tab"))
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = part
        run.append(element)
    return run


class _Writer:
    """Appends paragraphs before the body's section properties directly: python-docx's own
    ``add_paragraph`` looks the style up among all styles and the section properties among all
    paragraphs each time, which is quadratic for an agenda of thousands of lines."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.end = document.element.body.sectPr
        self.styles = {name: document.styles[name].style_id for name in (*STYLES, DETAIL_STYLE)}

    def paragraph(self, *runs: tuple[str, bool], style: str | None = None) -> None:
        paragraph = OxmlElement("w:p")
        if style is not None:
            properties, style_ref = OxmlElement("w:pPr"), OxmlElement("w:pStyle")
            style_ref.set(qn("w:val"), self.styles[style])
            properties.append(style_ref)
            paragraph.append(properties)
        for text, bold in runs:
            paragraph.append(_run(text, bold))
        self.end.addprevious(paragraph)

    def table(self, block: Table) -> None:
        table = self.document.add_table(rows=0, cols=len(block.headers))
        table.style = "Table Grid"
        for n, cells in enumerate([block.headers, *block.rows]):
            row = table.add_row().cells
            for cell, text in zip(row, cells, strict=True):
                cell.paragraphs[0]._p.append(_run(text, bold=n == 0))


def render(blocks: list[Block]) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(11)
    out = _Writer(document)
    for block in blocks:
        if isinstance(block, Title):
            out.paragraph((block.text, False), style="Title")
            if block.subtitle:
                out.paragraph((block.subtitle, True))
        elif isinstance(block, Facts):
            for key, value in block.rows:
                out.paragraph((f"{key}\t: ", True), (value, False))
        elif isinstance(block, Heading):
            out.paragraph((block.text, False), style=f"Heading {min(block.level, 3)}")
        elif isinstance(block, Para):
            out.paragraph((block.text, block.strong))
        elif isinstance(block, Entries):
            style = "List Number" if block.numbered else "List Bullet"
            for entry in block.entries:
                out.paragraph((entry.text, False), style=style)
                for detail in entry.details:
                    if detail:
                        out.paragraph((detail, False), style=DETAIL_STYLE)
        elif isinstance(block, Table):
            out.table(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
