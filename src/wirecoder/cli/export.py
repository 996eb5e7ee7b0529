"""`wirecoder export`: stored incidents as ACLED-style CSV, GDELT-like TSV, GeoJSON, Parquet or JSON lines."""

from __future__ import annotations

import os

import click

from ..errors import WirecoderError
from . import main
from .store import _db_option, _filters


@main.command()
@click.option("--format", "fmt", required=True,
              type=click.Choice(["acled-csv", "gdelt-tsv", "geojson", "parquet", "jsonl"]),
              help="acled-csv: ACLED's 31 columns; gdelt-tsv: OUT.events.tsv + OUT.mentions.tsv; geojson: points; "
                   "parquet: one typed table; jsonl: one incident record a line.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), default="-",
              help="Output file (default stdout); for gdelt-tsv a prefix or a folder; parquet and gdelt-tsv need one.")
@click.option("--all-types", is_flag=True,
              help="acled-csv: also write incidents of non-ACLED types (DIPLO, ORG_CRIME, ...).")
@click.option("--country", help="ISO 3166 alpha-2 code of the place, e.g. AF.")
@click.option("--type", "type_", help="Event type code, ACLED (sub-)event type or PLOVER type.")
@click.option("--since", help="From this day (YYYY-MM-DD), inclusive.")
@click.option("--until", help="Up to this day (YYYY-MM-DD), inclusive.")
@click.option("--near", help="LAT,LON,KM: within KM kilometres of a point.")
@click.option("--actor", help="Part of an actor's name (any case).")
@click.option("--text", help="Words an article of the incident must contain (full-text search).")
@click.option("--limit", type=int, help="At most N incidents.")
@_db_option
def export(fmt, output, all_types, country, type_, since, until, near, actor, text, limit, db):
    """Export the stored incidents matching every filter given; prints what was written and left out."""
    from ..export import export as export_incidents
    from ..store import open_store

    filters = _filters(country, type_, since, until, near, actor, text, limit)
    if "://" not in db and not os.path.exists(db):
        raise click.ClickException(f"no store at {db}: fill one first with `wirecoder run PATH... --db {db}`")
    try:
        with open_store(db) as store:
            result = export_incidents(store, fmt, output, all_types=all_types, **filters)
    except BrokenPipeError:  # `| head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        return
    except (WirecoderError, OSError) as exc:  # OSError: the output file cannot be written
        raise click.ClickException(str(exc)) from exc
    click.echo(summary(result), err=True)


def summary(result: dict) -> str:
    """One line: what was written where, and every incident left out with the reason."""
    if result["format"] == "gdelt-tsv":
        line = f"{result['events']} events, {result['mentions']} mentions"
    else:
        line = f"{result['written']} incidents"
    line += f" written to {', '.join(f for f in result['files'] if f != '-') or 'stdout'}"
    if result.get("not_acled"):
        line += f"; {result['not_acled']} of non-ACLED types left out (--all-types includes them)"
    if result.get("without_coordinates"):
        line += f"; {result['without_coordinates']} without coordinates left out (listed in the file)"
    return line
