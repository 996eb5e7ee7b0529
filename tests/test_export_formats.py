"""Every export read back with the library a user would use: pandas, json, pyarrow."""

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.export import ACLED_COLUMNS, EVENT_COLUMNS, MENTION_COLUMNS, write
from wirecoder.incidents import incident_from_event, merge
from wirecoder.records import Actor, Article, DateMention, Event, Place, Report, Span

# invented places and stories; real country codes so that the country tables apply
TOWN = Place("p1", 30, 37, "Dorvik", 9000001, "Dorvik", "AF", "11", "Herat", lat=34.35, lon=62.2, feature="city",
             precision="city", confidence=0.9)
PROVINCE = Place("p1", 30, 37, "Herat", 1140025, "Herat", "AF", "11", "Herat", lat=34.5, lon=62.0,
                 feature="admin1", precision="admin1", confidence=0.9)
ATTACK = ("ATTACK", {"event_type": "Violence against civilians", "sub_event_type": "Attack"}, "180",
          {"type": "ASSAULT", "mode": "firearms"})
CLASH = ("ARMED_CLASH", {"event_type": "Battles", "sub_event_type": "Armed clash"}, "190",
         {"type": "ASSAULT", "mode": "firearms"})
DIPLO = ("DIPLO", None, "042", {"type": "CONSULT", "mode": None})


REBELS, CIVILIANS, ARMY = ("Red Hand", 2, "AFGREB"), ("civilians", 7, "AFGCVL"), ("Afghan army", 1, "AFGMIL")


def story(text, outlet, place=TOWN, kind=ATTACK, day="2024-03-04", fatalities=4, actors=(REBELS, CIVILIANS)):
    """An article with one event, and its hand-built report."""
    article = Article(id=f"{outlet}-{day}-{kind[0]}", text=text, published="2024-03-05", outlet=outlet,
                      url=f"https://{outlet.lower().replace(' ', '')}.test/a")
    people = [Actor(f"a{i}", name, inter=inter, code=code) for i, (name, inter, code) in enumerate(actors, 1)]
    event = Event("e1", Span(7, 13, "killed"), [Span(0, len(text), text)], kind[0], acled=kind[1], cameo=kind[2],
                  plover=kind[3], actor1="a1", actor2="a2", location="p1" if place else None, date="d1",
                  date_value=day, date_precision="day", fatalities=fatalities, confidence=0.8)
    report = Report(id=article.id, published=article.published, outlet=outlet, url=article.url,
                    content_hash=article.content_hash, places=[place] if place else [],
                    dates=[DateMention("d1", 40, 46, "Monday", day, "day", 0.9)], actors=people, events=[event])
    return article, report


def incidents():
    a = story("Gunmen killed four villagers in Dorvik on Monday.", "Daily A")
    b = story("Four people were shot dead in Dorvik on Monday, police said.", "Wire B")
    merged = merge(*(incident_from_event(r, r.events[0]) for _, r in (a, b)))
    clash = story("Troops and rebels clashed in Herat province on Friday.", "Daily A", place=PROVINCE,
                  kind=CLASH, day="2024-03-08", fatalities=None, actors=(ARMY, REBELS))
    talks = story("Envoys met for talks on Tuesday.", "Wire B", place=None, kind=DIPLO, day="2024-03-05",
                  fatalities=None)
    return [merged] + [incident_from_event(r, r.events[0]) for _, r in (clash, talks)]


def test_export_acled_csv_reads_back_with_pandas(tmp_path):
    out = tmp_path / "acled.csv"
    result = write(incidents(), "acled-csv", str(out))
    assert (result["written"], result["not_acled"]) == (2, 1)
    df = pd.read_csv(out, keep_default_na=False)
    assert tuple(df.columns) == ACLED_COLUMNS
    attack = df[df.sub_event_type == "Attack"].iloc[0]
    assert attack.event_type == "Violence against civilians"
    assert attack.disorder_type == "Political violence"
    assert attack.event_date == "2024-03-04" and attack.year == 2024 and attack.time_precision == 1
    assert (attack.actor1, attack.inter1, attack.actor2, attack.inter2) == ("Red Hand", 2, "civilians", 7)
    assert attack.interaction == 27 and attack.civilian_targeting == "Civilian targeting"
    assert (attack.iso, attack.country, attack.region) == (4, "Afghanistan", "South Asia")
    assert (attack.admin1, attack.location, attack.geo_precision) == ("Herat", "Dorvik", 1)
    assert attack.source == "Daily A; Wire B" and attack.fatalities == 4
    assert attack.event_id_cnty.startswith("AFG") and attack.latitude == pytest.approx(34.35)
    clash = df[df.sub_event_type == "Armed clash"].iloc[0]
    assert clash.geo_precision == 3 and clash.admin1 == "Herat" and clash.fatalities == 0
    assert clash.interaction == 12 and clash.civilian_targeting == ""


def test_export_acled_csv_all_types_includes_diplo(tmp_path):
    out = tmp_path / "acled.csv"
    assert write(incidents(), "acled-csv", str(out), all_types=True)["written"] == 3
    df = pd.read_csv(out, keep_default_na=False)
    assert "DIPLO" in set(df.sub_event_type)
    assert df[df.sub_event_type == "DIPLO"].iloc[0].event_type == ""


def test_export_acled_names_an_unnamed_protester_actor(tmp_path):
    protest = ("PEACE_PROTEST", {"event_type": "Protests", "sub_event_type": "Peaceful protest"}, "141",
               {"type": "PROTEST", "mode": "demonstrate"})
    _, report = story("Hundreds marched in Dorvik on Monday.", "Daily A", kind=protest, fatalities=None)
    report.events[0].actor1 = report.events[0].actor2 = None
    out = tmp_path / "acled.csv"
    write([incident_from_event(report, report.events[0])], "acled-csv", str(out))
    row = pd.read_csv(out, keep_default_na=False).iloc[0]
    assert (row.actor1, row.inter1, row.interaction) == ("Protesters (Afghanistan)", 6, 60)
    assert row.disorder_type == "Demonstrations"


def test_export_gdelt_tables_join_on_event_id(tmp_path):
    result = write(incidents(), "gdelt-tsv", str(tmp_path / "out"))
    assert (result["events"], result["mentions"]) == (3, 4)
    events = pd.read_csv(tmp_path / "out.events.tsv", sep="\t", dtype={"EventCode": str, "EventRootCode": str})
    mentions = pd.read_csv(tmp_path / "out.mentions.tsv", sep="\t")
    assert tuple(events.columns) == EVENT_COLUMNS and tuple(mentions.columns) == MENTION_COLUMNS
    joined = mentions.merge(events, on="GLOBALEVENTID")
    assert len(joined) == 4
    attack = events[events.EventCode == "180"].iloc[0]
    assert (attack.SQLDATE, attack.EventRootCode, attack.QuadClass, attack.GoldsteinScale) == (20240304, "18", 4, -9.0)
    assert (attack.NumArticles, attack.NumSources, attack.ActionGeo_Type) == (2, 2, 4)
    assert (attack.Actor1CountryCode, attack.Actor1Type1Code) == ("AFG", "REB")
    assert attack.ActionGeo_FullName == "Dorvik, Herat, Afghanistan" and attack.ActionGeo_CountryCode == "AF"
    assert set(mentions.MentionSourceName) == {"Daily A", "Wire B"}
    assert (mentions.ActionCharOffset == 7).all()


def test_export_gdelt_into_a_folder(tmp_path):
    folder = tmp_path / "gdelt"
    folder.mkdir()
    result = write(incidents(), "gdelt-tsv", str(folder))
    assert result["files"] == [str(folder / "events.tsv"), str(folder / "mentions.tsv")]


def test_export_geojson_counts_incidents_without_coordinates(tmp_path):
    out = tmp_path / "incidents.geojson"
    result = write(incidents(), "geojson", str(out))
    assert (result["written"], result["without_coordinates"]) == (2, 1)
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection" and data["without_coordinates"] == 1
    attack = next(f for f in data["features"] if f["properties"]["type"] == "ATTACK")
    assert attack["geometry"] == {"type": "Point", "coordinates": [62.2, 34.35]}
    props = attack["properties"]
    assert (props["date"], props["fatalities"], props["num_articles"]) == ("2024-03-04", 4, 2)
    assert props["sources"] == "Daily A; Wire B" and props["actors"] == "Red Hand; civilians"


def test_export_parquet_reads_back_with_pandas_and_pyarrow(tmp_path):
    out = tmp_path / "incidents.parquet"
    assert write(incidents(), "parquet", str(out))["written"] == 3
    df = pd.read_parquet(out)
    attack = df[df.type == "ATTACK"].iloc[0]
    assert str(attack.date) == "2024-03-04" and attack.num_sources == 2
    assert list(attack.sources) == ["Daily A", "Wire B"]
    assert len(attack.mentions) == 2 and attack.mentions[0]["trigger_start"] == 7
    table = pq.read_table(out)
    assert str(table.schema.field("date").type) == "date32[day]"
    assert str(table.schema.field("latitude").type) == "double"


def test_export_parquet_empty_keeps_columns(tmp_path):
    out = tmp_path / "empty.parquet"
    assert write([], "parquet", str(out))["written"] == 0
    assert "fatalities" in pd.read_parquet(out).columns


def test_export_jsonl_round_trips(tmp_path):
    from wirecoder.records import Incident

    out = tmp_path / "incidents.jsonl"
    original = incidents()
    write(original, "jsonl", str(out))
    back = [Incident.from_dict(json.loads(line)) for line in out.read_text().splitlines()]
    assert [i.to_dict() for i in back] == [i.to_dict() for i in original]


def test_export_refuses_parquet_to_stdout():
    from wirecoder.errors import WirecoderError

    with pytest.raises(WirecoderError, match="-o"):
        write([], "parquet", "-")


def test_export_cli_from_store(tmp_path):
    from wirecoder.store import open_store

    db = str(tmp_path / "w.db")
    with open_store(db) as store:
        for article, report in (story("Gunmen killed four villagers in Dorvik on Monday.", "Daily A"),
                                story("Four people were shot dead in Dorvik on Monday, police said.", "Wire B"),
                                story("Envoys met for talks on Tuesday.", "Wire B", place=None, kind=DIPLO)):
            store.save(article, report, source=article.id)
    out = tmp_path / "acled.csv"
    result = CliRunner().invoke(main, ["export", "--format", "acled-csv", "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 incidents written" in result.output and "1 of non-ACLED types left out" in result.output
    df = pd.read_csv(out, keep_default_na=False)
    assert len(df) == 1 and df.iloc[0].source == "Daily A; Wire B"
    result = CliRunner().invoke(main, ["export", "--format", "geojson", "--db", db, "--country", "AF"])
    assert result.exit_code == 0
    assert len(json.loads(result.output.splitlines()[0])["features"]) == 1


def test_export_cli_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no store at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_export_unresolved_place_has_no_precision(tmp_path):
    unresolved = Place("p1", 30, 36, "Tigray", country=None, confidence=0.3)
    _, report = story("Fighters clashed in Tigray on Monday.", "Daily A", place=unresolved, kind=CLASH)
    out = tmp_path / "acled.csv"
    write([incident_from_event(report, report.events[0])], "acled-csv", str(out))
    row = pd.read_csv(out, keep_default_na=False).iloc[0]
    assert (row.location, row.geo_precision, row.latitude, row.country) == ("Tigray", "", "", "")
