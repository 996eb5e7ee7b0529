"""The learned event layer on invented reports: no events in quiet news, one event per happening, verbal events
with CAMEO codes, the primary event, and the thresholds a user sets."""

import json

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.config import load_config
from wirecoder.pipeline import Pipeline, make_article

QUIET = ("The city council voted on Tuesday to extend the opening hours of the public library. "
         "Residents praised the decision at a meeting, and the mayor said the budget allows two new librarians. "
         "A local bakery will open a stall in the library garden on weekends from next month.")
GENERIC = ("The supermarket chains are locked in a price war that analysts expect to last until spring. "
           "Farmers and retailers reached an agreement on prices after weeks of talks, and the minister "
           "repeated that the war on drugs remains a priority of his office.")
CONFLICT = ("Militants attacked a police post in the town of Garda in northern Mali on Monday, officials said. "
            "The attack on the post left three officers dead. "
            "On Wednesday, gunmen attacked a market in the town of Serra, killing a trader.")


def _acled(report):
    return [e for e in report.events if e.acled]


@pytest.mark.parametrize("text", [QUIET, GENERIC])
def test_learned_no_acled_events_in_news_without_violence(extract, text):
    assert _acled(extract(text, published="2024-04-02")) == []


def test_learned_one_happening_is_one_event_and_others_stay_apart(extract):
    report = extract(CONFLICT, published="2024-04-05")
    events = _acled(report)
    garda = [e for e in events if report.by_id(e.location) and report.by_id(e.location).text == "Garda"]
    serra = [e for e in events if report.by_id(e.location) and report.by_id(e.location).text == "Serra"]
    assert len(garda) == 1 and len(serra) == 1
    # the restatement ("The attack on the post ...") is evidence of the first event, with its toll
    assert len(garda[0].evidence) >= 2 and garda[0].fatalities == 3
    assert garda[0].date_value != serra[0].date_value


def test_learned_verbal_event_gets_its_cameo_code(extract):
    report = extract("The foreign minister of Norland met his counterpart from Sudania in Geneva on Tuesday "
                     "to discuss the border dispute.", published="2024-04-05")
    meeting = next(e for e in report.events if e.trigger.text == "met")
    assert meeting.type == "DIPLO" and meeting.acled is None
    assert meeting.cameo.startswith("04") and meeting.plover["type"] == "CONSULT"
    assert report.primary_event == meeting.id


def test_learned_primary_event_is_the_leads(extract):
    report = extract("An airstrike hit a fuel depot on the outskirts of Kuran on Friday, killing four guards. "
                     "Later that day hundreds of residents protested in the town square against the war.",
                     published="2024-04-06")
    primary = report.by_id(report.primary_event)
    assert primary.type == "AIR_STRIKE" and primary.trigger.start < 20


def test_learned_events_carry_a_confidence_between_0_and_1(extract):
    report = extract(CONFLICT, published="2024-04-05")
    assert report.events and all(0.0 < e.confidence <= 1.0 for e in report.events)


def _pipeline(**events):
    config = load_config()
    config["events"] = dict(config["events"], **events)
    return Pipeline(config)


def test_learned_threshold_setting_trades_events_for_certainty():
    article = make_article(CONFLICT, published="2024-04-05")
    # no sentence is certain: at threshold 1 nothing is violent enough, at the default both attacks are
    assert _acled(_pipeline(threshold=1.0)(article)) == []
    assert len(_acled(_pipeline()(article))) == 2


def test_learned_threshold_setting_rejects_non_probabilities():
    from wirecoder.errors import ConfigError

    with pytest.raises(ConfigError, match="between 0 and 1"):
        _pipeline(threshold=1.5)


def test_learned_cli_event_threshold_flag(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": CONFLICT, "published": "2024-04-05"}) + "\n", "utf-8")
    counts = {}
    for threshold in ("0.5", "1"):
        out = tmp_path / f"out{threshold}.jsonl"
        result = CliRunner().invoke(main, ["extract", str(source), "--format", "jsonl", "-o", str(out),
                                           "--event-threshold", threshold])
        assert result.exit_code == 0, result.output
        report = json.loads(out.read_text("utf-8"))
        counts[threshold] = len([e for e in report["events"] if e["acled"]])
    assert counts["1"] == 0 and counts["0.5"] == 2
    result = CliRunner().invoke(main, ["extract", str(source), "--event-threshold", "2"])
    assert result.exit_code != 0 and "event-threshold" in result.output
