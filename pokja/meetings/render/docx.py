"""Blocks as a Word document (python-docx): what a secretary pastes into the invitation letter
or prints as the minutes."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Mm, Pt

from pokja.meetings.render.blocks import Block, Entries, Facts, Heading, Para, Table, Title


def _table(document: Any, block: Table) -> None:
    table = document.add_table(rows=0, cols=len(block.headers))
    table.style = "Table Grid"
    for n, cells in enumerate([block.headers, *block.rows]):
        row = table.add_row().cells
        for cell, text in zip(row, cells, strict=True):
            cell.text = text
            if n == 0:
                cell.paragraphs[0].runs[0].bold = True


def render(blocks: list[Block]) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(11)
    for block in blocks:
        if isinstance(block, Title):
            document.add_heading(block.text, level=0)
            if block.subtitle:
                document.add_paragraph().add_run(block.subtitle).bold = True
        elif isinstance(block, Facts):
            for key, value in block.rows:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{key}\t: ").bold = True
                paragraph.add_run(value)
        elif isinstance(block, Heading):
            document.add_heading(block.text, level=min(block.level, 3))
        elif isinstance(block, Para):
            document.add_paragraph().add_run(block.text).bold = block.strong
        elif isinstance(block, Entries):
            style = "List Number" if block.numbered else "List Bullet"
            for entry in block.entries:
                document.add_paragraph(entry.text, style=style)
                for detail in entry.details:
                    if detail:
                        document.add_paragraph(detail, style="List Bullet 2")
        elif isinstance(block, Table):
            _table(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
