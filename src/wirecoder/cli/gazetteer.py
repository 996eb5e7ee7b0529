"""`wirecoder gazetteer build|info|lookup`: the local GeoNames index the places stage reads."""

from __future__ import annotations

import click

from ..errors import WirecoderError
from . import main

_path_option = click.option("--path", type=click.Path(dir_okay=False),
                            help="Index file (default: $WIRECODER_GAZETTEER, [gazetteer] path, or the user cache).")


def _where(path: str | None):
    from ..config import load_config
    from ..places.gazetteer import default_path

    return path or default_path(load_config())


@main.group()
def gazetteer():
    """The local GeoNames gazetteer index (built once from installed packages; see docs/gazetteer.md)."""


@gazetteer.command()
@_path_option
@click.option("--force", is_flag=True, help="Rebuild even when the index exists.")
def build(path, force):
    """Build the index (about a minute); without --force an existing index is kept."""
    from ..places.gazetteer import build as build_index

    where = _where(path)
    try:
        built = build_index(where, force=force)
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"gazetteer: {built}")


@gazetteer.command()
@_path_option
def info(path):
    """Where the index is, and how many places and names it holds."""
    import sqlite3
    from pathlib import Path

    where = Path(_where(path))
    if not where.exists():
        click.echo(f"{where}: not built yet (it is built on first use, or with `wirecoder gazetteer build`)")
        return
    con = sqlite3.connect(f"file:{where}?mode=ro", uri=True)
    places = dict(con.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature").fetchall())
    names = con.execute("SELECT COUNT(*) FROM names").fetchone()[0]
    con.close()
    click.echo(f"{where}: {sum(places.values())} places ({', '.join(f'{k} {v}' for k, v in sorted(places.items()))}), "
               f"{names} names")


@gazetteer.command()
@click.argument("name")
@_path_option
@click.option("--limit", type=int, default=10, show_default=True)
def lookup(name, path, limit):
    """The places NAME can refer to, most populous first."""
    from ..places.gazetteer import Gazetteer

    try:
        gaz = Gazetteer(_where(path))
    except WirecoderError as exc:
        raise click.ClickException(str(exc)) from exc
    cands = sorted(gaz.lookup(name), key=lambda c: -c.population)[:limit]
    if not cands:
        click.echo(f"no place named {name!r}")
    for c in cands:
        admin1 = gaz.admin1_name(c.country, c.admin1) or ""
        click.echo(f"{c.geonameid or '-':>9}  {c.feature:<9} {c.name}, {admin1 + ', ' if admin1 else ''}"
                   f"{c.country or ''}  ({c.lat:.3f}, {c.lon:.3f})  pop {c.population}  [{c.match}]")
