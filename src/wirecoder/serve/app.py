"""The application: settings, one store connection per worker thread, access rules, limits, the dashboard."""

from __future__ import annotations

import contextlib
import ipaddress
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles

from ..errors import WirecoderError
from ..pipeline import Pipeline
from ..store import Store, open_store
from . import auth
from .cache import DataVersion, ResponseCache

STATIC = Path(str(resources.files("wirecoder").joinpath("serve", "static")))


@dataclass(frozen=True)
class Settings:
    """What `create_app` was given. `open_reads`: reads need no token from any address (else from loopback only)."""

    store_url: str
    open_reads: bool = False
    tiles: str | None = None
    tile_attribution: str | None = None
    max_body: int = 1_000_000
    max_page: int = 500
    default_page: int = 50


class StorePool:
    """One open store per thread: an SQLite connection may only be used by the thread that opened it.
    `inline`: reads may run on the event loop's thread (SQLite: local and short; see `api.read`)."""

    def __init__(self, url: str, inline: bool):
        self.url = url
        self.inline = inline
        self._local = threading.local()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.url)
        return store


class BodyLimit:
    """Refuse request bodies over `max_body` bytes with 413, by their Content-Length or as they stream in."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            response = JSONResponse({"detail": f"request body over the limit of {self.max_body} bytes"}, 413)
            return await response(scope, receive, send)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise HTTPException(413, f"request body over the limit of {self.max_body} bytes")
            return message

        await self.app(scope, limited, send)


_bearer = HTTPBearer(auto_error=False, description="A token made with `wirecoder token create NAME`.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _token_name(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is None:
        return None
    return auth.token_name(request.app.state.stores.get(), credentials.credentials)


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def require_reader(request: Request, credentials: Credentials) -> None:
    """Reads are open from loopback, or from anywhere with `open_reads`; otherwise they need a valid token."""
    settings: Settings = request.app.state.settings
    if settings.open_reads or _loopback(request.client.host if request.client else None):
        return
    if _token_name(request, credentials) is None:
        raise HTTPException(401, "reads from this address need an API token (Authorization: Bearer ...)",
                            headers={"WWW-Authenticate": "Bearer"})


def require_writer(request: Request, credentials: Credentials) -> str:
    """Writes always need a valid token; the token's name is returned (it marks what it submitted)."""
    name = _token_name(request, credentials)
    if name is None:
        raise HTTPException(401, "this endpoint needs an API token: Authorization: Bearer <token> "
                            "(make one with `wirecoder token create NAME`)", headers={"WWW-Authenticate": "Bearer"})
    return name


def create_app(store_url: str, *, open_reads: bool = False, tiles: str | None = None,
               tile_attribution: str | None = None, max_body: int = 1_000_000, max_page: int = 500,
               pipeline: Pipeline | None = None, cache: bool = True) -> FastAPI:
    """The REST API and the dashboard over the store at `store_url` (a path or a postgresql:// URL).

    `tiles` is a tile URL template ({z}/{x}/{y}) for the map; without one (or when tiles cannot load) the map
    draws a plain basemap of country shapes shipped in the package. `pipeline` extracts submitted articles
    (default: the default pipeline, loaded on the first submission). `cache`: answer repeated reads from
    memory until the store changes (SQLite stores only; see cache.py).
    """
    from .api import router

    with open_store(store_url) as store:  # fail now, with the store's message, rather than on the first request
        auth.ensure_table(store)
        dialect = store.dialect.name
        sqlite_path = store.where if dialect == "sqlite" and store.where != ":memory:" else None
    app = FastAPI(
        lifespan=_lifespan,
        title="wirecoder",
        summary="Conflict events, incidents and their evidence, extracted from news articles.",
        version=_version(),
    )
    app.state.settings = Settings(store_url, open_reads, tiles, tile_attribution, max_body, max_page)
    app.state.stores = StorePool(store_url, inline=dialect == "sqlite")
    app.state.pipeline = pipeline
    app.state.pipeline_lock = threading.Lock()
    app.add_middleware(BodyLimit, max_body=max_body)
    if cache and sqlite_path:
        app.add_middleware(ResponseCache, version=DataVersion(sqlite_path),
                           cacheable=lambda scope: open_reads or _loopback((scope.get("client") or [None])[0]))

    @app.exception_handler(WirecoderError)
    async def wirecoder_error(request: Request, exc: WirecoderError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, 400)

    app.include_router(router, prefix="/api")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app


# threads running the sync work (submissions; PostgreSQL reads), each with its own store connection: few enough
# that 50 concurrent clients do not make 40 threads (anyio's default), each with a connection cache and a malloc
# arena: 40 took the server from 100 MB to 650 MB RSS within seconds of bench/serve_load.py, 4 kept it near
# 230 MB. SQLite reads run on the event loop (api.read): `--workers` is what uses more than one core
THREADS = 4


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI):
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wirecoder")
    except PackageNotFoundError:
        return "0"
