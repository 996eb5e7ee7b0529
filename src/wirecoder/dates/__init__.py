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
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_PHRASE = re.compile(
    rf"^(last |this past |this |early |late )?({'|'.join(_WEEKDAYS)})(?:'s)?"
    r"(?: (?:morning|afternoon|evening|night|overnight))?$"
)
_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "yesterday": 1, "last night": 1, "overnight": 1}
_DAY_WORD = re.compile(rf"^({'|'.join(sorted(_DAY_WORDS, key=len, reverse=True))})$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DURATION = re.compile(
    r"^(?:(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|few|many|some|the past|"
    r"the last|the next|the coming|nearly|almost|about|over|more than|at least|up to|a few|a couple of)\s+)*"
    r"(?:hours?|days?|nights?|weeks?|months?|years?)$",
    re.I,
)
_PERIOD = re.compile(r"^(last|this|earlier this|later this|the previous|the same) (week|month|year)$", re.I)
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
        self._cache: dict[tuple[str, date | None], tuple[str | None, str | None, str | None]] = {}

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
        key = (text, published)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            cached = self._cache[key] = self._resolve(text, published)
        return cached

    def _resolve(self, text: str, published: date | None) -> tuple[str | None, str | None, str | None]:
        phrase = " ".join(text.split())
        while (stripped := _LEADING.sub("", phrase)) != phrase:
            phrase = stripped
        if _NOT_A_POINT.search(phrase):
            return None, None, "not a point in time"
        part_match = _PART.match(phrase)
        part = part_match.group(1).lower() if part_match else None
        phrase = _PART.sub("", phrase)

        if _DURATION.match(phrase):
            return None, None, "a duration, not a point in time"
        if _YEAR.match(phrase):
            value, precision = date(int(phrase), 1, 1), "year"
        elif period := _PERIOD.match(phrase):
            if published is None:
                return None, None, "relative date and no publication date"
            value, precision = _period_start(period.group(1).lower(), period.group(2).lower(), published)
        elif (relative := _relative_day(phrase, published)) is not None:
            if published is None:
                return None, None, "relative date and no publication date"
            value, precision = relative, "day"
        elif vague := _VAGUE_AGO.match(phrase):
            if published is None:
                return None, None, "relative date and no publication date"
            unit = vague.group(1).lower()
            precision = {"day": "week", "week": "month", "month": "year", "year": "year"}[unit]
            return (published - timedelta(days=_AGO_DAYS[unit])).isoformat(), precision, None
        elif published is None:
            probes = [self._parse(phrase, base) for base in _PROBE_BASES]
            if probes[0] is None:
                return None, None, "not understood as a date"
            if probes[0] != probes[1]:
                return None, None, "relative date and no publication date"
            value, precision = probes[0]
        else:
            parsed = self._parse(phrase, datetime(published.year, published.month, published.day, 12))
            if parsed is None:
                return None, None, "not understood as a date"
            value, precision = parsed
        if precision == "month":
            value = value.replace(day=_PART_DAY[part] if part else 1)
        elif precision == "year":
            value = value.replace(month=max(1, round(_PART_DAY[part] / 30 * 12)) if part else 1, day=1)
        return value.isoformat(), precision, None


def _period_start(which: str, unit: str, published: date) -> tuple[date, str]:
    """First day of the week/month/year that "last week", "this month", "earlier this year" name."""
    back = which in ("last", "the previous")
    if unit == "week":
        return published - timedelta(days=published.weekday() + (7 if back else 0)), "week"
    if unit == "month":
        first = published.replace(day=1)
        return (first - timedelta(days=1)).replace(day=1) if back else first, "month"
    return date(published.year - (1 if back else 0), 1, 1), "year"


def _relative_day(phrase: str, published: date | None) -> date | None | bool:
    """The day a weekday or "yesterday"-type phrase names, counted back from the publication date.

    Returns None when the phrase is not of that kind, and False (a relative day, but no base) without a date.
    These are most of the dates in news, and dateparser is slow on them.
    """
    lower = phrase.lower()
    match = _WEEKDAY_PHRASE.match(lower)
    if match:
        if published is None:
            return False
        back = (published.weekday() - _WEEKDAYS.index(match.group(2))) % 7
        # "on Wednesday" in a Wednesday paper means that day; "last Wednesday" then means a week before
        if back == 0 and match.group(1) and match.group(1).strip() in ("last", "this past"):
            back = 7
        return published - timedelta(days=back)
    match = _DAY_WORD.match(lower)
    if match:
        if published is None:
            return False
        return published - timedelta(days=_DAY_WORDS[match.group(1)])
    return None


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
