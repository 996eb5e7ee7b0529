"""`wirecoder run`, `status`, `events`, `incidents`: fill the event store and read it back."""

from __future__ import annotations

import csv
import json
import sys

import click

from ..errors import WirecoderError
from . import _check_date, config_options, load_settings, main

_db_option = click.option("--db", default="wirecoder.db", show_default=True, envvar="WIRECODER_DB",
                          help="Store: an SQLite file, or a postgresql:// URL ($WIRECODER_DB).")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_db_option
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--reprocess", is_flag=True, help="Extract again the articles already stored, replacing them.")
@click.option("--processes", "-j", type=int, default=1, show_default=True, help="spaCy worker processes.")
@click.option("--workers", type=click.IntRange(1), help="Extract on a local Dask cluster of N worker processes.")
@click.option("--scheduler", help="Extract on an existing Dask cluster (tcp://HOST:PORT).")
@click.option("--text-column", default="text", show_default=True, help="Field of JSONL/Parquet rows with the text.")
@click.option("--id-column", default="id", show_default=True, help="Field of JSONL/Parquet rows with the id.")
@config_options
def run(paths, db, published, reprocess, processes, workers, scheduler, text_column, id_column, config,
        event_threshold):
    """Extract PATHS (text, HTML, JSONL(.gz), Parquet or folders) into the store and cluster the events into incidents.

    Articles already stored (same text) are skipped, so running again adds only what is new; an interrupted
    run resumes where it stopped. `wirecoder status` lists what failed and why.
    """
    from ..pipeline import Pipeline
    from ..run import run as run_inputs

    if published:
        _check_date(published)
    cluster = None
    try:
        settings = load_settings(config, event_threshold)
        pipeline = Pipeline(settings) if settings is not None else None
        if workers or scheduler:
            from ..cluster import DaskPipeline

            pipeline = cluster = DaskPipeline(workers=workers, scheduler=scheduler, config=settings)
        result = run_inputs(paths, db=db, reprocess=reprocess, published=published, n_process=processes,
                            progress=True, pipeline=pipeline, text_column=text_column, id_column=id_column)
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if cluster is not None:
            cluster.close()
    for failure in result.failures:
        click.echo(f"error: {failure.error}", err=True)
    if result.sample:
        rows = [_event_row(event, report.by_id(event.location), _name(report, event.actor1),
                           _name(report, event.actor2), report.id) for report, event in result.sample]
        _table(rows, ["date", "country", "place", "type", "actor1", "actor2", "fatalities", "article"])
        if result.events > len(result.sample):
            click.echo(f"... and {result.events - len(result.sample)} more events (wirecoder events --db {db})")
    click.echo(
        f"{result.processed} processed, {result.skipped} skipped (already stored), {result.failed} failed; "
        f"{result.events} events stored; {result.incidents} incidents in {result.store}"
    )


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(db, as_json):
    """Inputs processed, skipped as duplicates and failed (with the reasons), and the rows stored."""
    try:
        with _open_existing(db) as store:
            info = store.status()
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(info, indent=2, default=str))
        return
    inputs = info["inputs"]
    click.echo(f"store: {info['store']} (schema version {info['schema_version']})")
    click.echo("inputs: " + ", ".join(f"{inputs.get(k, 0)} {k}" for k in ("processed", "duplicate", "failed")))
    rows = info["rows"]
    click.echo(f"stored: {rows['articles']} articles, {rows['events']} events, {rows['incidents']} incidents")
    last = info["last_run"]
    if last:
        state = "finished" if last["finished_at"] else "unfinished"
        click.echo(f"last run #{last['id']} ({last['started_at']}, {state}): {last['processed']} processed, "
                   f"{last['skipped']} skipped, {last['failed']} failed")
    if info["failures"]:
        click.echo("failures:")
        for f in info["failures"]:
            click.echo(f"  {f['source']}: {f['reason']}")


_format_option = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                              show_default=True)


def _filter_options(command):
    """The filters `events` and `incidents` share (the keyword arguments of Store.events / Store.incidents)."""
    options = [
        click.option("--country", help="ISO 3166 alpha-2 code of the place, e.g. AF."),
        click.option("--type", "type_", help="Event type code, ACLED (sub-)event type or PLOVER type."),
        click.option("--since", help="From this day (YYYY-MM-DD), inclusive."),
        click.option("--until", help="Up to this day (YYYY-MM-DD), inclusive."),
        click.option("--near", help="LAT,LON,KM: within KM kilometres of a point."),
        click.option("--actor", help="Part of an actor's name (any case)."),
        click.option("--text", help="Words the article must contain (full-text search)."),
        click.option("--limit", type=int, help="At most N rows."),
        _format_option,
        _db_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(country, type_, since, until, near, actor, text, limit) -> dict:
    for name, value in (("--since", since), ("--until", until)):
        if value:
            _check_day(value, name)
    if near:
        try:
            lat, lon, km = (float(x) for x in near.split(","))
        except ValueError:
            raise click.BadParameter(f"{near!r} is not LAT,LON,KM", param_hint="--near") from None
        near = (lat, lon, km)
    return dict(country=country, type=type_, since=since, until=until, near=near, actor=actor, text=text,
                limit=limit)


@main.command()
@_filter_options
def events(country, type_, since, until, near, actor, text, limit, fmt, db):
    """Stored events matching every filter given, with their place and article."""
    filters = _filters(country, type_, since, until, near, actor, text, limit)
    try:
        with _open_existing(db) as store:
            if fmt == "json":
                for meta, event in store.events(**filters):
                    click.echo(json.dumps({"article": meta.to_dict(), "event": event.to_dict()}, ensure_ascii=False))
                return
            rows = [_event_row(event, meta.place, meta.actor1, meta.actor2, meta.article_id, meta.incident_id)
                    for meta, event in store.events(**filters)]
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(rows, ["date", "country", "place", "type", "actor1", "actor2", "fatalities", "article", "incident"], fmt)


@main.command()
@_filter_options
def incidents(country, type_, since, until, near, actor, text, limit, fmt, db):
    """Stored incidents (events merged across articles) matching every filter given."""
    filters = _filters(country, type_, since, until, near, actor, text, limit)
    try:
        with _open_existing(db) as store:
            if fmt == "json":
                for incident in store.incidents(**filters):
                    click.echo(json.dumps(incident.to_dict(), ensure_ascii=False))
                return
            rows = [_incident_row(i) for i in store.incidents(**filters)]
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(rows, ["id", "date", "country", "place", "type", "actor1", "actor2", "fatalities", "articles", "sources"],
          fmt)


def _open_existing(db: str):
    """The store at `db`; a missing SQLite file is an error here (reading must not create an empty store)."""
    from pathlib import Path

    from ..store import open_store

    if "://" not in db and not Path(db).exists():
        raise click.ClickException(f"no store at {db}: fill one first with `wirecoder run PATH... --db {db}`")
    return open_store(db)


def _check_day(value: str, option: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint=option) from None


def _name(report, actor_id: str | None) -> str | None:
    actor = report.by_id(actor_id)
    return actor.name if actor is not None else None


def _event_row(event, place, actor1: str | None, actor2: str | None, article: str, incident: str | None = None):
    return {
        "date": event.date_value or "",
        "country": (place.country if place else None) or "",
        "place": (place.name or place.text) if place else "",
        "type": event.type,
        "actor1": actor1 or "",
        "actor2": actor2 or "",
        "fatalities": "" if event.fatalities is None else event.fatalities,
        "article": article,
        "incident": incident or "",
    }


def _incident_row(incident) -> dict:
    place = incident.place
    return {
        "id": incident.id,
        "date": incident.date or "",
        "country": (place.country if place else None) or "",
        "place": (place.name or place.text) if place else "",
        "type": incident.type,
        "actor1": incident.actor1 or "",
        "actor2": incident.actor2 or "",
        "fatalities": "" if incident.fatalities is None else incident.fatalities,
        "articles": incident.num_articles,
        "sources": incident.num_sources,
    }


def _emit(rows: list[dict], columns: list[str], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        _table(rows, columns)


def _table(rows: list[dict], columns: list[str]) -> None:
    """A plain aligned text table, cells cut at 30 characters."""
    cells = [[str(r.get(c, ""))[:30] for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
    if not rows:
        click.echo("(none)")
