"""SQLite, the default backend: one file, no server. FTS5 for full-text search."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from ..errors import StoreError
from .db import search_words

name = "sqlite"

TEXT_FILTER = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode (the store opens its own transactions), WAL so readers never block."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: durable at each checkpoint, never corrupt
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB of pages (default 2 MB): indexes of a large store
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open as an SQLite database: {exc}") from exc
    return conn


def sql(query: str) -> str:
    """The store writes `?` parameters, which is what sqlite3 takes."""
    return query


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so two writers wait for each other instead of failing mid-way
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def text_query(query: str) -> str:
    """FTS5 syntax from plain words: each word quoted (so that none is taken for an operator), all required."""
    return " ".join(f'"{w}"' for w in search_words(query))
