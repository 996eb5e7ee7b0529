"""`wirecoder run`: idempotent, resumable, every input accounted for; and the commands that read the store."""

import importlib
import json

import pytest
from click.testing import CliRunner
from test_store_queries import ALEPPO, HERAT, db_url  # noqa: F401  (db_url: the store fixture over both backends)

from wirecoder.cli import main
from wirecoder.pipeline import Pipeline, register_stage
from wirecoder.records import Event, Place
from wirecoder.run import run
from wirecoder.store import open_store

ARTICLES = {
    "herat-a.txt": "Taliban fighters attacked a police checkpoint in Herat, killing four officers.",
    "herat-b.txt": "Four officers died when gunmen attacked a checkpoint on the edge of Herat.",
    "aleppo.txt": "Regime aircraft attacked a market in Aleppo, a local monitor said.",
    "quiet.txt": "The harvest festival in the valley drew large crowds this year.",
    "nested/herat-copy.txt": "Taliban fighters attacked a police checkpoint in Herat, killing four officers.",
}


def _keyword_events(config):
    """A stand-in extractor for these tests: "attacked" near a known city name makes an armed clash there, so
    that the run's storing and clustering are tested whatever the real stages find."""
    cities = {"Herat": HERAT, "Aleppo": ALEPPO}

    def stage(adoc):
        trigger = adoc.text.find("attacked")
        for name, fields in cities.items():
            start = adoc.text.find(name)
            if trigger < 0 or start < 0:
                continue
            adoc.places.append(Place(id="p1", start=start, end=start + len(name), text=name, confidence=0.9,
                                     **fields))
            adoc.events.append(Event(id="e1", trigger=adoc.span(trigger, trigger + 8),
                                     evidence=[adoc.span(0, len(adoc.text))], type="ARMED_CLASH",
                                     acled={"event_type": "Battles", "sub_event_type": "Armed clash"},
                                     location="p1", date_value=adoc.article.published, date_precision="day",
                                     confidence=0.8))

    return stage


register_stage("test.keyword_events.v1", _keyword_events)


@pytest.fixture(scope="module")
def keyword_pipeline():
    return Pipeline(stages=["test.keyword_events.v1"])


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "news"
    for name, text in ARTICLES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00")
    (folder / "feed.jsonl").write_text(
        json.dumps({"id": "wire-1", "text": "Militants attacked an army post near Aleppo overnight.",
                    "published": "2021-07-27", "outlet": "Wire"}) + "\n{not json\n",
        encoding="utf-8",
    )
    return folder


def _rows(url):
    with open_store(url) as store:
        events = sorted((m.article_id, e.id, m.incident_id is not None) for m, e in store.events())
        return store.counts(), events


def test_run_accounts_for_every_input(db_url, corpus, keyword_pipeline):
    result = run([corpus], db=db_url, published="2021-07-27", pipeline=keyword_pipeline)
    assert (result.processed, result.skipped, result.failed) == (5, 1, 2)
    assert result.events == 4 and result.incidents == 2  # Herat told twice, Aleppo twice
    with open_store(db_url) as store:
        status = store.status()
    assert status["inputs"] == {"processed": 5, "duplicate": 1, "failed": 2}
    reasons = {f["source"].rsplit("/", 1)[1]: f["reason"] for f in status["failures"]}
    assert "cannot detect the text encoding" in reasons["broken.txt"]
    assert "invalid JSON" in reasons["feed.jsonl:2"]
    assert status["duplicates"][0]["article_id"] == "nested/herat-copy"


def test_run_twice_adds_nothing(db_url, corpus, pipeline):
    first = run([corpus], db=db_url, published="2021-07-27", pipeline=pipeline)
    before = _rows(db_url)
    second = run([corpus], db=db_url, published="2021-07-27", pipeline=pipeline)
    assert (second.processed, second.skipped, second.failed) == (0, first.processed + first.skipped, 2)
    assert _rows(db_url) == before
    with open_store(db_url) as store:
        assert store.status()["inputs"] == {"processed": 5, "duplicate": 1, "failed": 2}


def test_run_reprocess_redoes_stored_articles(db_url, corpus, keyword_pipeline):
    run([corpus], db=db_url, published="2021-07-27", pipeline=keyword_pipeline)
    before = _rows(db_url)
    again = run([corpus], db=db_url, published="2021-07-27", pipeline=keyword_pipeline, reprocess=True)
    assert again.processed == 5
    assert _rows(db_url) == before


class Interrupted:
    """The pipeline, stopped dead after `after` articles (as a kill or Ctrl-C would stop a run)."""

    def __init__(self, pipeline, after):
        self.pipeline, self.after = pipeline, after

    def pipe(self, items, **options):
        for count, report in enumerate(self.pipeline.pipe(items, **options)):
            if count == self.after:
                raise KeyboardInterrupt
            yield report


@pytest.mark.parametrize("after", [0, 2, 4])
def test_run_resumes_after_an_interruption(db_url, corpus, keyword_pipeline, tmp_path, after):
    reference = str(tmp_path / "reference.db")
    run([corpus], db=reference, published="2021-07-27", pipeline=keyword_pipeline)
    with pytest.raises(KeyboardInterrupt):
        run([corpus], db=db_url, published="2021-07-27", pipeline=Interrupted(keyword_pipeline, after))
    assert _rows(db_url)[0]["articles"] == after
    resumed = run([corpus], db=db_url, published="2021-07-27", pipeline=keyword_pipeline)
    assert resumed.processed == 5 - after
    assert _rows(db_url) == _rows(reference)
    with open_store(db_url) as store:
        assert store.status()["inputs"] == {"processed": 5, "duplicate": 1, "failed": 2}


@pytest.fixture
def cli(monkeypatch, keyword_pipeline):
    # the module, not the `run` function that wirecoder/__init__.py re-exports under the same name
    monkeypatch.setattr(importlib.import_module("wirecoder.run"), "default_pipeline", lambda: keyword_pipeline)
    return CliRunner()


def test_run_cli_prints_events_and_incident_count(cli, corpus, tmp_path):
    db = str(tmp_path / "cli.db")
    out = cli.invoke(main, ["run", str(corpus), "--db", db, "--published", "2021-07-27"])
    assert out.exit_code == 0, out.output
    assert "ARMED_CLASH" in out.stdout and "Herat" in out.stdout
    assert "5 processed, 1 skipped (already stored), 2 failed; 4 events stored; 2 incidents in" in out.stdout
    assert "cannot detect the text encoding" in out.stderr

    status = cli.invoke(main, ["status", "--db", db])
    assert "5 processed, 1 duplicate, 2 failed" in status.stdout
    assert "broken.txt: " in status.stdout

    events = cli.invoke(main, ["events", "--db", db, "--country", "SY", "--format", "json"])
    lines = [json.loads(line) for line in events.stdout.splitlines()]
    assert sorted(x["article"]["article_id"] for x in lines) == ["aleppo", "wire-1"]
    assert {x["event"]["trigger"]["text"] for x in lines} == {"attacked"}

    table = cli.invoke(main, ["incidents", "--db", db, "--near", "34.3,62.2,50", "--format", "csv"])
    assert table.stdout.splitlines()[0].startswith("id,date,country,place,type")
    assert table.stdout.splitlines()[1].split(",")[2:4] == ["AF", "Herat"]


@pytest.mark.parametrize("args,message", [
    (["events", "--near", "north"], "is not LAT,LON,KM"),
    (["incidents", "--since", "yesterday"], "is not an ISO date"),
    (["events", "--text", "?!"], "no words to search for"),
])
def test_run_cli_bad_query_options_are_clear_errors(cli, tmp_path, args, message):
    db = tmp_path / "q.db"
    open_store(db).close()
    out = cli.invoke(main, [*args, "--db", str(db)])
    assert out.exit_code != 0 and message in out.output


@pytest.mark.parametrize("command", ["status", "events", "incidents"])
def test_run_cli_reading_a_missing_store_is_an_error_not_a_new_store(cli, tmp_path, command):
    db = tmp_path / "typo.db"
    out = cli.invoke(main, [command, "--db", str(db)])
    assert out.exit_code != 0 and "no store at" in out.output
    assert not db.exists()
