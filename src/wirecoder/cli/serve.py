"""`wirecoder serve` (the REST API and the map dashboard) and `wirecoder token create` (write access)."""

from __future__ import annotations

import ipaddress
import sys

import click

from ..errors import WirecoderError
from . import main

_db_option = click.option("--db", default="wirecoder.db", show_default=True, envvar="WIRECODER_DB",
                          help="The store: an SQLite file or a postgresql:// URL.")


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--open-reads", is_flag=True,
              help="Let any address read without a token (by default only loopback clients may).")
@click.option("--tiles", metavar="URL",
              help="Map tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: only the "
              "plain basemap shipped with wirecoder, which needs no network).")
@click.option("--tile-attribution", metavar="TEXT", help="Credit line the tile provider asks for.")
@click.option("--max-body", type=click.IntRange(1), default=1_000_000, show_default=True,
              help="Largest request body accepted, in bytes.")
@click.option("--max-page", type=click.IntRange(1), default=500, show_default=True,
              help="Largest page a list endpoint returns.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (one per CPU core uses them all; each keeps its own connections and cache).")
@click.option("--no-cache", is_flag=True, help="Answer every read from the store, never from the response cache.")
def serve(db, host, port, open_reads, tiles, tile_attribution, max_body, max_page, workers, no_cache):
    """Serve the REST API (/api, spec at /openapi.json) and the map dashboard (/) over the store."""
    import uvicorn

    from ..serve import create_app, workers as processes

    options = dict(store_url=db, open_reads=open_reads, tiles=tiles, tile_attribution=tile_attribution,
                   max_body=max_body, max_page=max_page, cache=not no_cache)
    try:
        app = create_app(**options)
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    if not _is_loopback(host) and not open_reads:
        click.echo(f"note: listening on {host}; clients other than this machine need a token to read "
                   "(or start with --open-reads)", err=True)
    if workers > 1:
        try:
            sock = processes.listen(host, port)
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
        port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"wirecoder: dashboard at http://{shown}:{port}/ , API at http://{shown}:{port}/api", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    else:  # each process builds its own app from the same options (see serve/workers.py)
        sys.exit(processes.run(options, sock, workers))


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@main.group()
def token():
    """API tokens (writes need one; reads from other machines too unless the server has --open-reads)."""


@token.command(name="create")
@click.argument("name")
@_db_option
def token_create(name, db):
    """Make a token called NAME and print it (only its hash is stored: keep it, it cannot be shown again)."""
    from ..serve import create_token
    from ..store import open_store

    try:
        with open_store(db) as store:
            click.echo(create_token(store, name))
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
