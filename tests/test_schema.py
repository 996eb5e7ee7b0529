"""The JSON form of reports: validated against the shipped JSON Schema, and round-tripped through the records."""

import json

import jsonschema
import pytest

from wirecoder.config import data_path
from wirecoder.records import Report

ARTICLE = (
    "Militants stormed a police post in Kunduz on Tuesday, killing four officers, the provincial police chief said. "
    "\u201cThey came at night with rockets,\u201d he told reporters. The Taliban denied any involvement. "
    "Residents of the city launched the hashtag #ProtectKunduz calling for more troops."
)


@pytest.fixture(scope="module")
def schema():
    return json.loads(data_path("schema", "report.schema.json").read_text("utf-8"))


def test_schema_is_a_valid_json_schema(schema):
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_accepts_real_output(extract, schema):
    report = extract(ARTICLE, published="2022-02-15", id="kunduz-1", outlet="Invented Wire")
    jsonschema.validate(report.to_dict(), schema)


def test_schema_accepts_failures_and_rejects_broken_reports(schema):
    jsonschema.validate({"id": "x", "error": "x.jsonl:3: invalid JSON"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "places": []}, schema)


def test_report_round_trips_through_its_json_form(extract):
    report = extract(ARTICLE, published="2022-02-15", id="kunduz-1")
    again = Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report
