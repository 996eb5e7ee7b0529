"""The `wirecoder` command: a thin layer over the library. Each command reads its options, calls one library
function and prints the result; library errors become one-line messages here and nowhere else."""

from __future__ import annotations

import json
import sys

import click
from tqdm import tqdm

from ..errors import WirecoderError
from ..records import Failure


def config_options(command):
    """--config and --event-threshold: settings laid over the defaults for this run."""
    command = click.option("--event-threshold", type=click.FloatRange(0.0, 1.0),
                           help="Probability a sentence needs to tell an ACLED-kind event ([events] threshold).")(command)
    return click.option("--config", type=click.Path(exists=True, dir_okay=False), envvar="WIRECODER_CONFIG",
                        help="A TOML file of settings laid over the defaults ($WIRECODER_CONFIG).")(command)


def load_settings(config: str | None, event_threshold: float | None) -> dict | None:
    """The settings of --config and --event-threshold; None when neither is given (the default pipeline)."""
    if config is None and event_threshold is None:
        return None
    from ..config import load_config

    settings = load_config(config)
    if event_threshold is not None:
        settings.setdefault("events", {})["threshold"] = event_threshold
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wirecoder")
def main():
    """Turn conflict news into structured, geocoded, source-attributed event data."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="jsonl", show_default=True,
              help="jsonl: one report a line; json: one array.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), default="-", help="Output file (default stdout).")
@click.option("--processes", "-j", type=int, default=1, show_default=True, help="spaCy worker processes.")
@config_options
def extract(paths, published, fmt, output, processes, config, event_threshold):
    """Extract places, dates, actors, events and attributions from PATHS (text, HTML, JSONL or folders)."""
    from ..ingest import read_inputs
    from ..pipeline import Pipeline, extract_many

    if published:
        _check_date(published)
    try:
        settings = load_settings(config, event_threshold)
        pipeline = Pipeline(settings) if settings is not None else None
        results = extract_many(read_inputs(paths, published=published), n_process=processes, pipeline=pipeline)
        failures = unreadable = written = 0
        with click.open_file(output, "w", encoding="utf-8") as out:
            if fmt == "json":
                out.write("[\n")
            first = True
            for result in tqdm(results, desc="extract", unit="article", disable=None, file=sys.stderr):
                if isinstance(result, Failure):
                    failures += 1
                    click.echo(f"error: {result.error}", err=True)
                    if result.id is None:  # a whole file that could not be read: it has no line to answer
                        unreadable += 1
                        continue
                    obj = {"id": result.id, "error": result.error}
                else:
                    obj = result.to_dict()
                written += 1
                line = json.dumps(obj, ensure_ascii=False)
                if fmt == "json":
                    out.write(("" if first else ",\n") + line)
                else:
                    out.write(line + "\n")
                first = False
            if fmt == "json":
                out.write("\n]\n")
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    if unreadable and not written:
        raise click.ClickException("no input could be read")
    if failures:
        click.echo(f"{failures} input(s) failed; see the error lines above.", err=True)


def _check_date(value: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)", param_hint="--published") from None


from . import evaluate  # noqa: E402,F401  (registers the `eval` group)
from . import store  # noqa: E402,F401  (registers `run`, `status`, `events`, `incidents`)
from . import export  # noqa: E402,F401  (registers `export`)
from . import serve  # noqa: E402,F401  (registers `serve` and the `token` group)
from . import gazetteer  # noqa: E402,F401  (registers the `gazetteer` group)
from . import watch  # noqa: E402,F401  (registers `watch`)
