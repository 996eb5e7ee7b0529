"""Dates: expressions found by spaCy, resolved against the publication date."""

from datetime import date

import pytest

from wirecoder.dates import DateResolver

FRIDAY = date(2021, 7, 30)


@pytest.mark.parametrize(
    "text,value,precision",
    [
        ("Last Wednesday", "2021-07-28", "day"),
        ("on Thursday", "2021-07-29", "day"),
        ("Friday", "2021-07-30", "day"),  # the paper's own day, not a week before
        ("last Friday", "2021-07-23", "day"),
        ("Tuesday night", "2021-07-27", "day"),
        ("yesterday", "2021-07-29", "day"),
        ("last night", "2021-07-29", "day"),
        ("two days ago", "2021-07-28", "day"),
        ("a few days ago", "2021-07-27", "week"),
        ("last week", "2021-07-19", "week"),
        ("earlier this month", "2021-07-01", "month"),
        ("last year", "2020-01-01", "year"),
        ("late last year", "2020-10-01", "year"),
        ("in early June", "2021-06-05", "month"),
        ("late June", "2021-06-25", "month"),
        ("12 March 2020", "2020-03-12", "day"),
        ("2019", "2019-01-01", "year"),
        ("mid-2020", "2020-06-01", "year"),
    ],
)
def test_dates_resolve_against_publication_date(text, value, precision):
    got_value, got_precision, reason = DateResolver().resolve(text, FRIDAY)
    assert (got_value, got_precision, reason) == (value, precision, None)


def test_dates_without_base_stay_unresolved_with_reason():
    resolver = DateResolver()
    assert resolver.resolve("Last Wednesday", None) == (None, None, "relative date and no publication date")
    assert resolver.resolve("12 March 2020", None) == ("2020-03-12", "day", None)
    assert resolver.resolve("yesterday", None) == (None, None, "relative date and no publication date")
    assert resolver.resolve("1998", None) == ("1998-01-01", "year", None)


def test_dates_skip_durations_and_vague_periods():
    resolver = DateResolver()
    assert resolver.resolve("the past three years", FRIDAY)[2] == "not a point in time"
    assert resolver.resolve("daily", FRIDAY)[2] == "not a point in time"
    assert resolver.resolve("five years", FRIDAY)[2] == "a duration, not a point in time"
    assert resolver.resolve("the past two weeks", FRIDAY)[0] is None


def test_dates_stage_on_parsed_text(extract):
    report = extract("Gunmen attacked a checkpoint near Ghazni last Wednesday, police said.", published="2021-07-30")
    (mention,) = [d for d in report.dates if "Wednesday" in d.text]
    assert mention.value == "2021-07-28" and mention.precision == "day"
    assert report.to_dict()["dates"][0]["start"] == mention.start
