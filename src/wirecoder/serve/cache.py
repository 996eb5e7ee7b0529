"""A cache of read responses, keyed by the full request URL and emptied whenever the store changes.

Why: a dashboard and the scripts behind it ask for the same pages again and again (a country's events, one
event type, the first page of a map view); answered from memory, such a page costs a dictionary lookup instead
of two SQL queries and a FastAPI dispatch, which leaves the CPU to the queries that are new.

Why it is never stale: before every lookup the cache asks SQLite for `PRAGMA data_version` on a connection of
its own that never writes. That number changes as soon as any other connection commits (this server's write
handler, another worker process, a `wirecoder run` into the same file), and then every entry is dropped. A
response is stored under the version read *before* its handler ran, so one computed while a write landed is
already outdated when it is stored, and is never served. PostgreSQL stores have no such counter: they are
not cached.

Only answers that need no token are cached (loopback clients, or every client with `open_reads`): a request
that would have to show a token always goes through the access check. Each response says `x-cache: hit` or
`miss`, so that a client (and bench/serve_load.py) can tell what share was served from memory.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable

# one page of 500 events is about 600 kB of JSON: 64 MB keeps a few hundred big pages or thousands of small ones
MAX_BYTES = 64 * 2**20
MAX_ENTRY = 2 * 2**20


class DataVersion:
    """The store's change counter: a number that differs after any other connection has committed."""

    def __init__(self, path: str):
        # own connection, shared by the event loop thread(s) under a lock; it only ever reads one PRAGMA
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self._conn.close()


class ResponseCache:
    """ASGI middleware: answers GET /api/... from memory when the same URL was answered (200) since the store
    last changed; `cacheable(scope)` says whether a request may be (see the module docstring)."""

    def __init__(self, app, version: Callable[[], int], cacheable: Callable[[dict], bool],
                 max_bytes: int = MAX_BYTES):
        self.app = app
        self.version = version
        self.cacheable = cacheable
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()
        self._bytes = 0
        self._seen = None
        self._lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/") \
                or not self.cacheable(scope):
            return await self.app(scope, receive, send)
        version = self.version()
        # the host is part of the key: the `next` links of a page are absolute URLs
        key = (scope["scheme"], _host(scope), scope.get("root_path", ""), scope["path"], scope["query_string"])
        with self._lock:
            if version != self._seen:
                self._entries.clear()
                self._bytes = 0
                self._seen = version
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers + [(b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        start, chunks = None, []

        async def capture(message):
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                message = {**message, "headers": [*message.get("headers", []), (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and start is not None and start["status"] == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(key, version, list(start.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple, version: int, headers: list, body: bytes) -> None:
        if len(body) > MAX_ENTRY:
            return
        with self._lock:
            if version != self._seen or key in self._entries:
                return  # the store changed while this was computed: the answer may be older than the store
            self._entries[key] = (headers, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, (_, old) = self._entries.popitem(last=False)
                self._bytes -= len(old)


def _host(scope) -> bytes:
    for name, value in scope["headers"]:
        if name == b"host":
            return value
    return b""
