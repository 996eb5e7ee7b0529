"""API tokens: the key to the write endpoint (and to reads from other machines when reads are not open).

A token is shown once, when `wirecoder token create NAME` makes it; the store keeps only its SHA-256, in the
`api_tokens` side table of the store's own database, so a leaked database gives no usable token. A token is 32
random bytes, so a plain (unsalted, fast) hash is enough: there is nothing to guess from it.
"""

from __future__ import annotations

import hashlib
import secrets

from ..errors import StoreError
from ..store import Store

PREFIX = "wc_"

_TABLE = """CREATE TABLE IF NOT EXISTS api_tokens (
    name TEXT NOT NULL PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def ensure_table(store: Store) -> None:
    store.execute(_TABLE)


def create_token(store: Store, name: str) -> str:
    """A new token called `name` (its hash stored); StoreError when the name is taken or empty."""
    name = name.strip()
    if not name:
        raise StoreError("a token needs a name")
    ensure_table(store)
    if store.execute("SELECT 1 FROM api_tokens WHERE name = ?", (name,)).fetchone():
        raise StoreError(f"a token named {name!r} already exists in {store.where}")
    token = PREFIX + secrets.token_urlsafe(32)
    with store.transaction():
        store.execute("INSERT INTO api_tokens (name, hash) VALUES (?, ?)", (name, _hash(token)))
    return token


def token_name(store: Store, token: str) -> str | None:
    """The name of the token, or None when the store does not know it."""
    row = store.execute("SELECT name FROM api_tokens WHERE hash = ?", (_hash(token),)).fetchone()
    return row["name"] if row else None
