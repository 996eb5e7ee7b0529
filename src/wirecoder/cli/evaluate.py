"""`wirecoder eval ...`: score the pipeline against public gold formats and print the standard metric."""

from __future__ import annotations

import importlib
import json

import click

from ..errors import WirecoderError
from . import main


def _run(module: str, path: str, as_json: bool, **options) -> None:
    scorer = importlib.import_module(f"wirecoder.evaluate.{module}")
    try:
        result = scorer.evaluate(path, **options)
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(result, indent=2) if as_json else scorer.format_result(result))


_json_option = click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
_limit_option = click.option("--limit", type=int, help="Score only the first N documents.")


@main.group(name="eval")
def eval_group():
    """Score wirecoder on a public gold set."""


@eval_group.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
@_limit_option
def geo(gold, as_json, limit):
    """Toponyms from raw text (LGL, GeoVirus, TR-News, GeoWebNews XML): P/R/F1, acc@161km, mean/median km."""
    _run("geo", gold, as_json, limit=limit)


@eval_group.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
@_limit_option
def events(gold, as_json, limit):
    """CASE 2021 task-2 TSV: weighted and macro F1 over the 25 ACLED types and all 30, with a confusion table."""
    _run("events", gold, as_json, limit=limit)


@eval_group.command(name="event-location")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
@_limit_option
def event_location(gold, as_json, limit):
    """event_location JSONL: share of records whose event is placed at the gold span (or nowhere)."""
    _run("event_location", gold, as_json, limit=limit)


@eval_group.command()
@click.argument("gold", type=click.Path(exists=True, file_okay=False))
@_json_option
@_limit_option
def attribution(gold, as_json, limit):
    """PolNeAR brat folder (text/ + attributions/): P/R/F1 for source, cue and content, exact and overlap."""
    _run("attribution", gold, as_json, limit=limit)


@eval_group.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
def seed(gold, as_json):
    """One hand-annotated article (NAME.gold.json beside NAME.txt): places, events and attributions item by item."""
    _run("seed", gold, as_json)
