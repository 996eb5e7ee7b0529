"""`wirecoder watch`: keep a store current from folders and RSS/Atom feeds."""

from __future__ import annotations

import click

from ..errors import WirecoderError
from . import main
from .store import _db_option


@main.command()
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="An RSS/Atom feed to poll (repeatable).")
@_db_option
@click.option("--interval", type=float, default=1.0, show_default=True, help="Seconds between folder polls.")
@click.option("--feed-interval", type=float, default=60.0, show_default=True, help="Seconds between feed polls.")
def watch(folders, feeds, db, interval, feed_interval):
    """Store new articles as they arrive in FOLDERS and in the --feed URLs, until Ctrl-C or SIGTERM.

    What has been seen is remembered in the store, so a restarted watcher carries on where it stopped.
    """
    from ..pipeline import default_pipeline
    from ..watch import stop_on_signals
    from ..watch import watch as watch_sources

    if not folders and not feeds:
        raise click.UsageError("give at least one folder or --feed URL")

    def report(result):
        click.echo(f"{result.processed} stored, {result.skipped} skipped, {result.failed} failed; "
                   f"{result.incidents} incidents", err=True)
        for failure in result.failures:
            click.echo(f"error: {failure.error}", err=True)

    try:
        pipeline = default_pipeline()
        stop = stop_on_signals()
        click.echo(f"watching {len(folders)} folder(s) and {len(feeds)} feed(s) into {db}; Ctrl-C stops")
        watch_sources(folders, feeds, db=db, interval=interval, feed_interval=feed_interval, pipeline=pipeline,
                      stop=stop, on_result=report)
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("stopped")
