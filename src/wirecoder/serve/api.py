"""The REST endpoints under /api: incidents, events, articles, actors, places, counts; and article submission.

Read handlers ask the store through `read` (on the event loop for SQLite, in the thread pool for PostgreSQL),
each thread on its own store connection; the write handler, which runs the pipeline, is a plain (sync) function
in the thread pool. They validate their input through the signature (a bad value is a 422 that names it), ask
the store, and return JSON built by `views`; the store's own refusals (WirecoderError) become 400s in app.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.concurrency import run_in_threadpool

from ..errors import IngestError
from ..ingest.html import article_from_html
from ..pipeline import default_pipeline, make_article
from ..records import Event
from ..store import Store
from . import queries, views
from .app import require_reader, require_writer

T = TypeVar("T")

reads = APIRouter(dependencies=[Depends(require_reader)])
writes = APIRouter()

_ERRORS = {400: {"description": "The store refused the query (e.g. a text search with no words)"},
           401: {"description": "An API token is needed"}, 422: {"description": "A parameter is invalid"}}
_NOT_FOUND = {**_ERRORS, 404: {"description": "No such record"}}


def store(request: Request) -> Store:
    """This thread's store. Called in the handler itself, not as a dependency: FastAPI may run a sync dependency
    on another pool thread than the handler, and an SQLite connection must stay on its thread."""
    return request.app.state.stores.get()


async def read(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """`fn(store, *args)`: on the event loop itself for SQLite, whose reads are local, short and never wait for
    a writer (WAL); in the thread pool for PostgreSQL, whose network round trips would stall the loop. A hop to
    the pool and back, and the GIL handed between threads, cost about as much as a small SQLite query (see
    bench/serve_load.py); one server process per core (`--workers`) is what uses the cores."""
    if request.app.state.stores.inline:
        return fn(store(request), *args)
    return await run_in_threadpool(lambda: fn(store(request), *args))


def _json(obj: Any, status: int = 200, media_type: str = "application/json") -> Response:
    # serialised here, by orjson, rather than by FastAPI: the records are plain dicts already, and validating
    # and encoding them again through a response model costs more than the query (see bench/serve_load.py)
    return Response(orjson.dumps(obj), status, media_type=media_type)


def _near(value: str | None) -> tuple[float, float, float] | None:
    if value is None:
        return None
    try:
        lat, lon, km = (float(x) for x in value.split(","))
    except ValueError:
        raise HTTPException(422, f"near: {value!r} is not LAT,LON,KM (e.g. 34.35,62.2,50)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 20_000) or math.isnan(lat + lon + km):
        raise HTTPException(422, f"near: {value!r} is out of range (lat -90..90, lon -180..180, km 0..20000)")
    return lat, lon, km


# the dependencies are `async` so that they run on the event loop: a sync one costs a thread-pool hop each
async def filters(
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code")] = None,
    type: Annotated[str | None, Query(max_length=64, description="Event type code, ACLED (sub-)event type "
                                      "or PLOVER type, any case")] = None,
    since: Annotated[date | None, Query(description="First day (YYYY-MM-DD), inclusive")] = None,
    until: Annotated[date | None, Query(description="Last day (YYYY-MM-DD), inclusive")] = None,
    near: Annotated[str | None, Query(max_length=64, description="LAT,LON,KM: within KM km of the point")] = None,
    actor: Annotated[str | None, Query(max_length=100, description="Part of an actor's name, any case")] = None,
    text: Annotated[str | None, Query(max_length=200, description="Words the article must all contain")] = None,
) -> queries.Filters:
    return queries.Filters(
        country=country, type=type or None, since=since.isoformat() if since else None,
        until=until.isoformat() if until else None, near=_near(near), actor=actor or None,
        text=text if text and text.strip() else None,
    )


Filters = Annotated[queries.Filters, Depends(filters)]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
Format = Annotated[Literal["json", "geojson"], Query(description="json: {items, ...}; geojson: a FeatureCollection")]


async def _limit(request: Request, limit: Annotated[int | None, Query(ge=1, description="Page size")] = None) -> int:
    settings = request.app.state.settings
    if limit is None:
        return settings.default_page
    if limit > settings.max_page:
        raise HTTPException(422, f"limit: at most {settings.max_page} items a page")
    return limit


Limit = Annotated[int, Depends(_limit)]


def _page(request: Request, items: list[dict[str, Any]], more: bool, offset: int, limit: int,
          fmt: str = "json", id_field: str = "id") -> Response:
    nxt = str(request.url.include_query_params(offset=offset + limit)) if more else None
    extra = {"offset": offset, "limit": limit, "next": nxt}
    if fmt == "geojson":
        return _json(views.feature_collection(items, id_field, extra), media_type="application/geo+json")
    return _json({"items": items, **extra})


@reads.get("/config", summary="Dashboard settings")
async def config(request: Request) -> dict[str, Any]:
    """The map tile URL (null: the plain basemap only) and the page size limits."""
    s = request.app.state.settings
    return {"tiles": s.tiles, "tile_attribution": s.tile_attribution, "max_page": s.max_page,
            "default_page": s.default_page}


@reads.get("/incidents", summary="Incidents matching the filters", responses=_ERRORS)
async def list_incidents(request: Request, f: Filters, limit: Limit, offset: Offset = 0,
                         format: Format = "json") -> Response:
    """Incidents (one real-world happening, told by one or more articles), by date, undated last."""
    items, more = await read(request, queries.incidents, f, offset, limit)
    return _page(request, items, more, offset, limit, format)


@reads.get("/incidents/{incident_id}", summary="One incident with each source's evidence", responses=_NOT_FOUND)
async def get_incident(request: Request, incident_id: str) -> Response:
    """The incident, and for each article that tells it: the evidence passages with the places, actors and
    trigger marked inside them (article offsets), and who says so (attributions)."""

    def detail(st: Store) -> dict[str, Any]:
        incident = st.incident(incident_id)
        if incident is None:
            raise HTTPException(404, f"no incident {incident_id!r}")
        articles = queries.reports(st, sorted({m.content_hash for m in incident.mentions}))
        return views.incident_detail(incident, articles)

    return _json(await read(request, detail))


@reads.get("/events", summary="Events matching the filters", responses=_ERRORS)
async def list_events(request: Request, f: Filters, limit: Limit, offset: Offset = 0,
                      format: Format = "json") -> Response:
    """Events as extracted from each article (one happening told twice is two events, one incident), in the
    order they were stored, with their article's metadata and their place resolved."""
    items, more = await read(request, queries.events, f, offset, limit)
    if format == "geojson":
        return _page(request, [orjson.loads(views.event_item(row)) for row in items], more, offset, limit, format,
                     "key")
    return _page(request, [orjson.Fragment(views.event_item(row)) for row in items], more, offset, limit)


@reads.get("/events/{key}", summary="One event with its evidence and attributions", responses=_NOT_FOUND)
async def get_event(request: Request, key: str) -> Response:
    """An event by its key (`<content_hash>-<event id>`, as list items give it)."""

    def detail(st: Store) -> dict[str, Any]:
        parts = views.split_event_key(key)
        if parts is None or not queries.has_article(st, parts[0]):
            raise HTTPException(404, f"no event {key!r}")
        article, report = st.article(parts[0])
        event = report.by_id(parts[1])
        if not isinstance(event, Event):
            raise HTTPException(404, f"no event {key!r}")
        incident_id = queries.incident_of_event(st, article.content_hash, event.id)
        return views.event_detail(article, report, event, incident_id)

    return _json(await read(request, detail))


@reads.get("/articles/{article_id}", summary="One article with every extracted span", responses=_NOT_FOUND)
async def get_article(request: Request, article_id: str) -> Response:
    """The article text, its report, and the spans of every place, actor mention, event trigger and evidence,
    and attribution source, cue and content (by article id or content hash)."""

    def detail(st: Store) -> dict[str, Any]:
        if not queries.has_article(st, article_id):
            raise HTTPException(404, f"no article {article_id!r}")
        return views.article_detail(*st.article(article_id))

    return _json(await read(request, detail))


@reads.get("/actors", summary="Actors named in stored articles", responses=_ERRORS)
async def list_actors(request: Request, limit: Limit,
                      q: Annotated[str | None, Query(max_length=100, description="Part of the name")] = None,
                      offset: Offset = 0) -> Response:
    items, more = await read(request, queries.actors, q, offset, limit)
    return _page(request, items, more, offset, limit)


@reads.get("/places", summary="Gazetteer places named in stored articles", responses=_ERRORS)
async def list_places(request: Request, limit: Limit,
                      q: Annotated[str | None, Query(max_length=100, description="Part of the name")] = None,
                      country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
                      offset: Offset = 0) -> Response:
    items, more = await read(request, queries.places, q, country, offset, limit)
    return _page(request, items, more, offset, limit)


@reads.get("/counts", summary="Counts by type, country or week", responses=_ERRORS)
async def counts(request: Request, f: Filters,
                 by: Annotated[Literal["type", "country", "week"], Query(description="What to group by")] = "type",
                 of: Annotated[Literal["incidents", "events"], Query(description="What to count")] = "incidents",
                 ) -> Response:
    """How many incidents (or events) match the filters, by group; weeks are keyed by their Monday, in date
    order with empty weeks included (a null key counts the undated)."""
    return _json({"by": by, "of": of, "counts": await read(request, queries.counts, by, f, of)})


class ArticleIn(BaseModel):
    """An article to extract and store: its text, or an HTML page (main text found by trafilatura)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=200_000)
    html: str | None = Field(None, max_length=1_000_000)
    id: str | None = Field(None, min_length=1, max_length=200, description="Default: api-<content hash>")
    published: str | None = Field(None, max_length=40, description="ISO date or datetime")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=200)
    replace: bool = Field(False, description="Extract again when the same text is already stored")

    @field_validator("published")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value[:10])  # ValueError: pydantic turns it into a 422 naming the field
        return value

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of `text` and `html`")
        if self.text is not None and not self.text.strip():
            raise ValueError("`text` is empty")
        return self


@writes.post("/articles", summary="Submit an article: extract, store, return its report", status_code=201,
             responses={**_ERRORS, 200: {"description": "The same text was already stored: its stored report"},
                        413: {"description": "The body is over the size limit"}})
def submit_article(request: Request, body: ArticleIn,
                   token: Annotated[str, Depends(require_writer)]) -> Response:
    """Runs the pipeline on the article, stores it with its records and clusters its events into incidents.
    Returns `status` ("processed", or "duplicate" with the stored report when the text is already stored),
    the report, and the ids of the incidents its events are counted in."""
    st = store(request)
    meta = {"title": body.title, "url": body.url, "outlet": body.outlet}
    if body.html is not None:
        try:
            article = article_from_html(body.html, body.id or "", "html")
        except IngestError as exc:
            raise HTTPException(422, str(exc)) from None
        article.source_path = None
        for key, value in meta.items():
            if value is not None:
                setattr(article, key, value)
        if body.published is not None or article.published is not None:
            article.published = body.published or article.published
    else:
        article = make_article(body.text, id=body.id or "", published=body.published, **meta)
    if not article.id:
        article.id = f"api-{article.content_hash[:12]}"
    if st.stored_article(article.content_hash) is not None and not body.replace:
        _, report = st.article(article.content_hash)
        status = "duplicate"
    else:
        with request.app.state.pipeline_lock:
            pipeline = request.app.state.pipeline = request.app.state.pipeline or default_pipeline()
            report = pipeline(article)
        status = st.save(article, report, source=f"api:{token}:{article.id}", replace=body.replace)
    incidents = sorted(filter(None, (queries.incident_of_event(st, article.content_hash, e.id)
                                     for e in report.events)))
    return _json({"status": status, "article_id": article.id, "content_hash": article.content_hash,
                  "incidents": incidents, "report": report.to_dict()}, 201 if status == "processed" else 200)


router = APIRouter()
router.include_router(reads)
router.include_router(writes)
