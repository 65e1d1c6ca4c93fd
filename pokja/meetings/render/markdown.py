"""Blocks as Markdown (CommonMark), with the users' text escaped so that it reads as written
and carries no markup or HTML of its own."""

from __future__ import annotations

import re

from pokja.meetings.render.blocks import Block, Entries, Facts, Heading, Para, Table, Title

_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!~])")


def escape(text: str) -> str:
    """Backslash every character Markdown could read as markup; lines stay lines."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def render(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Title):
            out.append(f"# {escape(block.text)}")
            if block.subtitle:
                out.append(f"\n**{escape(block.subtitle)}**")
        elif isinstance(block, Facts):
            out.append("\n".join(f"- **{escape(k)}:** {escape(v)}" for k, v in block.rows))
        elif isinstance(block, Heading):
            out.append(f"{'#' * block.level} {escape(block.text)}")
        elif isinstance(block, Para):
            out.append(f"**{escape(block.text)}**" if block.strong else escape(block.text))
        elif isinstance(block, Entries):
            lines = []
            for n, entry in enumerate(block.entries, start=1):
                marker = f"{n}." if block.numbered else "-"
                lines.append(f"{marker} {escape(entry.text)}")
                indent = " " * (len(marker) + 1)
                lines += [f"{indent}- {escape(detail)}" for detail in entry.details if detail]
            out.append("\n".join(lines))
        elif isinstance(block, Table):
            rows = [block.headers, ["---"] * len(block.headers), *block.rows]
            out.append("\n".join("| " + " | ".join(escape(c) for c in r) + " |" for r in rows))
    return "\n\n".join(out) + "\n"
