"""`wirecoder eval ...`: score the pipeline against public gold formats and print the standard metric."""

from __future__ import annotations

import importlib
import json

import click

from ..errors import WirecoderError
from . import main


def _run(module: str, path, as_json: bool, function: str = "evaluate", formatter: str = "format_result",
         **options) -> None:
    scorer = importlib.import_module(f"wirecoder.evaluate.{module}")
    try:
        result = getattr(scorer, function)(path, **options)
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(result, indent=2) if as_json else getattr(scorer, formatter)(result))


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
    """CASE 2021 task-2 TSV: the primary event's type; weighted and macro F1 over the 25 ACLED types and all 30."""
    _run("events", gold, as_json, limit=limit)


@eval_group.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
@_limit_option
def satp(gold, as_json, limit):
    """SATP incident reports TSV: example F1 of the attack families of all events (armed assault, bombing)."""
    _run("events", gold, as_json, "evaluate_satp", "format_satp", limit=limit)


@eval_group.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
@_limit_option
def cameo(gold, as_json, limit):
    """CAMEO pentacode TSV (text, class 0-4): the class of the primary event's CAMEO code, macro F1."""
    _run("events", gold, as_json, "evaluate_cameo", "format_cameo", limit=limit)


@eval_group.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_json_option
def quiet(gold, as_json):
    """LGL/GeoVirus-style XML: false ACLED-kind events in articles with no word of violence or security."""
    _run("events", list(gold), as_json, "evaluate_quiet", "format_quiet")


@eval_group.command(name="event-location")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
@_limit_option
def event_location(gold, as_json, limit):
    """event_location JSONL: share of records whose event is placed at the gold span (or nowhere)."""
    _run("event_location", gold, as_json, limit=limit)


@eval_group.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_json_option
@_limit_option
def roles(gold, as_json, limit):
    """Source/target BIO file (CoNLL): the primary event's actor1 and actor2 against the gold spans, P/R/F1."""
    _run("roles", gold, as_json, limit=limit)


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
