"""PostgreSQL, for shared and larger stores (psycopg 3). A tsvector column with a GIN index for full-text search."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ..errors import StoreError
from .db import search_words

name = "postgres"

TEXT_FILTER = "a.tsv @@ plainto_tsquery('english', ?)"


def connect(url: str) -> Any:
    """An autocommit connection (the store opens its own transactions) returning rows as dicts."""
    try:
        import psycopg
        from psycopg.rows import dict_row
    except ImportError as exc:
        raise StoreError("a postgresql:// store needs psycopg: pip install 'psycopg[binary]'") from exc
    try:
        return psycopg.connect(url, autocommit=True, row_factory=dict_row)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc


def sql(query: str) -> str:
    """psycopg takes `%s` where the store writes `?` (no store query has a literal `?` or `%`)."""
    return query.replace("?", "%s")


@contextlib.contextmanager
def transaction(conn: Any) -> Iterator[None]:
    with conn.transaction():
        yield


def tables(conn: Any) -> set[str]:
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {r["tablename"] for r in rows}


def text_query(query: str) -> str:
    """The words for plainto_tsquery, which requires them all, as FTS5 does in sqlite.py."""
    return " ".join(search_words(query))
