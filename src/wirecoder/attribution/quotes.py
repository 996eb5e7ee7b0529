"""Direct quotations found from quotation marks alone, before any parse is read.

Marks are paired per paragraph the way news copy uses them: curly marks by their direction, straight marks by
alternation. A quote still open at the end of a paragraph continues when the next paragraph opens with a mark
(the house rule for multi-paragraph quotes) and otherwise ends with the paragraph, so an unbalanced mark never
swallows the rest of the article. A short quoted run inside a sentence ("the situation is now "unpredictable"")
is a quoted phrase: it makes its attribution mixed rather than direct.
"""

from __future__ import annotations

import re

_OPEN = "“«„"
_CLOSE = "”»"
_STRAIGHT = '"'
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, "open" | "close") for every quotation mark of one paragraph."""
    marks, open_now = [], False
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            kind = "open"
        elif ch in _CLOSE:
            kind = "close"
        elif ch == _STRAIGHT:
            kind = "close" if open_now else "open"
        else:
            continue
        marks.append((i, kind))
        open_now = kind == "open"
    return marks


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of direct quotations, marks included, in text order."""
    quotes: list[tuple[int, int]] = []
    carried: int | None = None  # start of a quote left open by the previous paragraph
    for p_start, p_end in _paragraphs(text):
        opened: int | None = None
        marks = _marks(text, p_start, p_end)
        first = text[p_start:p_end].lstrip()
        if carried is not None and not (first and (first[0] in _OPEN or first[0] == _STRAIGHT)):
            carried = None
        for offset, kind in marks:
            if kind == "open" and opened is None:
                opened = offset
            elif kind == "close":
                if opened is not None:
                    quotes.append((carried if carried is not None else opened, offset + 1))
                    carried = None
                opened = None
        if opened is not None:
            if carried is None:
                carried = opened
            if not _continues(text, p_end):
                quotes.append((carried, p_end))
                carried = None
    return _outermost(quotes)


def _continues(text: str, p_end: int) -> bool:
    """Whether the next paragraph opens with a quotation mark (a quote running on across paragraphs)."""
    rest = text[p_end:].lstrip()
    return bool(rest) and (rest[0] in _OPEN or rest[0] == _STRAIGHT)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and start < result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result
