"""Dates: spaCy's DATE mentions resolved by dateparser against the publication date.

A relative expression ("Last Wednesday", "a few days ago", "in early June") needs the publication date as its
base; without one it stays unresolved with the reason. `value` is always a full ISO date: the day itself, or the
first day of the week/month/year the expression names, with `precision` saying which.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from dateparser.date import DateDataParser

from ..records import DateMention

# leading words that dateparser does not need and that spaCy sometimes puts inside the DATE span
_LEADING = re.compile(r"^(?:on|in|at|since|by|until|from|during|as of|as early as|the)\s+", re.I)
# "early June" / "mid-2020" / "late last year": the part of the period, kept for the value
_PART = re.compile(r"^(early|mid|late|the (?:start|beginning|middle|end) of)[\s-]+", re.I)
_VAGUE_AGO = re.compile(r"^(?:a few|several|some|a couple of)\s+(day|week|month|year)s?\s+ago$", re.I)
_WEEKDAY = re.compile(r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_NOT_A_POINT = re.compile(
    r"\b(daily|weekly|monthly|annual|yearly|decades?|centur(?:y|ies)|ages?|years old|\d+\s*-\s*year-old|"
    r"recent|recently|past (?:\w+ )?(?:years|months|weeks|days)|last (?:\w+ )?(?:years|months|weeks|days))\b",
    re.I,
)
_PRECISION = {"day": "day", "part_of_day": "day", "time": "day", "week": "week", "month": "month", "year": "year"}
_AGO_DAYS = {"day": 3, "week": 14, "month": 60, "year": 730}
_PART_DAY = {"early": 5, "mid": 15, "late": 25, "the start of": 1, "the beginning of": 1, "the middle of": 15,
             "the end of": 25}
# two bases far apart: an expression that resolves the same against both needs no base
_PROBE_BASES = (datetime(2001, 3, 14), datetime(2013, 10, 2))


class DateResolver:
    """Resolves one date expression against a base date. Built once: dateparser's parser is costly to create."""

    def __init__(self):
        self._parsers: dict[datetime, DateDataParser] = {}

    def _parser(self, base: datetime) -> DateDataParser:
        parser = self._parsers.get(base)
        if parser is None:
            if len(self._parsers) > 256:
                self._parsers.clear()
            parser = DateDataParser(
                languages=["en"],
                settings={
                    "RELATIVE_BASE": base,
                    "PREFER_DATES_FROM": "past",
                    "PREFER_DAY_OF_MONTH": "first",
                    "RETURN_TIME_AS_PERIOD": True,
                },
            )
            self._parsers[base] = parser
        return parser

    def _parse(self, text: str, base: datetime) -> tuple[date, str] | None:
        data = self._parser(base).get_date_data(text)
        if data.date_obj is None:
            return None
        return data.date_obj.date(), _PRECISION.get(data.period or "day", "day")

    def resolve(self, text: str, published: date | None) -> tuple[str | None, str | None, str | None]:
        """(value, precision, reason): value and precision when resolved, else the reason why not."""
        phrase = " ".join(text.split())
        while (stripped := _LEADING.sub("", phrase)) != phrase:
            phrase = stripped
        if _NOT_A_POINT.search(phrase):
            return None, None, "not a point in time"
        part_match = _PART.match(phrase)
        part = part_match.group(1).lower() if part_match else None
        phrase = _PART.sub("", phrase)

        vague = _VAGUE_AGO.match(phrase)
        if vague:
            if published is None:
                return None, None, "relative date and no publication date"
            unit = vague.group(1).lower()
            precision = {"day": "week", "week": "month", "month": "year", "year": "year"}[unit]
            return (published - timedelta(days=_AGO_DAYS[unit])).isoformat(), precision, None

        absolute = [self._parse(phrase, base) for base in _PROBE_BASES]
        if absolute[0] is None:
            return None, None, "not understood as a date"
        if published is None:
            if absolute[0] != absolute[1]:
                return None, None, "relative date and no publication date"
            value, precision = absolute[0]
        else:
            base = datetime(published.year, published.month, published.day, 12)
            parsed = self._parse(phrase, base)
            if parsed is None:
                return None, None, "not understood as a date"
            value, precision = parsed
            # "on Wednesday" in a Wednesday paper means that day, not a week before
            if precision == "day" and _WEEKDAY.match(phrase) and value + timedelta(days=7) == published:
                value = published
        if precision == "month":
            value = value.replace(day=_PART_DAY[part] if part else 1)
        elif precision == "year":
            value = value.replace(month=max(1, round(_PART_DAY[part] / 30 * 12)) if part else 1, day=1)
        return value.isoformat(), precision, None


def parse_published(value: str | None) -> date | None:
    """The publication date of an article as a date, or None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def make_stage(config: dict[str, Any]):
    resolver = DateResolver()

    def dates_stage(adoc) -> None:
        published = parse_published(adoc.article.published)
        if adoc.article.published and published is None:
            adoc.warnings.append(f"publication date {adoc.article.published!r} is not an ISO date; ignored")
        for ent in adoc.doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            value, precision, reason = resolver.resolve(ent.text, published)
            if ent.label_ == "TIME" and value is None:
                continue  # "two hours" and the like: durations, not dates
            adoc.dates.append(
                DateMention(
                    id=f"d{len(adoc.dates) + 1}",
                    start=ent.start_char,
                    end=ent.end_char,
                    text=ent.text,
                    value=value,
                    precision=precision,
                    confidence=0.9 if value and precision == "day" else 0.7 if value else 0.0,
                    reason=reason,
                )
            )

    return dates_stage
