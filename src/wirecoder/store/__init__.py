"""The event store: `open_store(url)` gives a `Store` over SQLite (a file path) or PostgreSQL (a URL).

    >>> from wirecoder.store import open_store
    >>> with open_store("wirecoder.db") as store:
    ...     for incident in store.incidents(country="AF", since="2021-07-01"):
    ...         print(incident.date, incident.type, incident.num_articles)

See docs/store.md for the tables, migrations and the query filters.
"""

from __future__ import annotations

import os

from . import postgres, sqlite
from .db import EventMeta, Store

DEFAULT_DB = "wirecoder.db"

__all__ = ["DEFAULT_DB", "EventMeta", "Store", "open_store"]


def open_store(url: str | os.PathLike | None = None) -> Store:
    """Open (creating or upgrading as needed) the store at `url`: a `postgresql://` URL, an `sqlite:///` URL or
    a file path; default `wirecoder.db` in the current folder."""
    url = str(url or DEFAULT_DB)
    if url.startswith(("postgresql://", "postgres://")):
        dialect, where = postgres, _redact(url)
    else:
        dialect, where = sqlite, url.removeprefix("sqlite:///")
    conn = dialect.connect(url if dialect is postgres else where)
    try:
        return Store(conn, dialect, where)
    except BaseException:
        conn.close()
        raise


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}@{host}" if at else url
