"""`wirecoder watch`: keep a store current from folders and RSS/Atom feeds.

Folders are listed every `interval` seconds; a file is taken once its size has held still for one poll (so a
half-copied file is not read). Feeds are fetched over HTTP every `feed_interval` seconds; an entry's text is its
content, or the linked page when the feed carries only a teaser. Everything new goes through the same `run_items`
as `wirecoder run`, so it is stored idempotently and accounted for in the store's `inputs` table — which is also
what makes the watcher remember across restarts what it has already seen (a file by its path, a feed entry by
its feed URL and id).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .ingest import input_files, read_inputs
from .ingest.html import article_from_html
from .pipeline import Pipeline, default_pipeline
from .records import Article, Failure
from .run import RunResult, run_items
from .store import open_store

LOGGER = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 10.0
USER_AGENT = "wirecoder-watch/0.1 (+offline news coder)"
# a feed entry shorter than this is a teaser: the linked page is fetched for the article
TEASER_CHARS = 600


def feed_source(feed_url: str, entry_id: str) -> str:
    """The key a feed entry is accounted under in the store."""
    return f"feed:{feed_url}#{entry_id}"


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
        return response.read()


def _html_to_text(html: str) -> str:
    import lxml.html

    return " ".join(lxml.html.fromstring(f"<div>{html}</div>").text_content().split())


def feed_articles(feed_url: str, seen: Callable[[str], bool]) -> Iterator[Article | Failure]:
    """The entries of one feed not seen before, as Articles (or Failures saying why not)."""
    import feedparser

    try:
        parsed = feedparser.parse(_fetch(feed_url))
    except OSError as exc:
        yield Failure(id=None, error=f"{feed_url}: cannot fetch the feed: {exc}", source_path=feed_url)
        return
    if parsed.bozo and not parsed.entries:
        yield Failure(id=None, error=f"{feed_url}: not a readable RSS/Atom feed: {parsed.bozo_exception}",
                      source_path=feed_url)
        return
    outlet = parsed.feed.get("title")
    for entry in parsed.entries:
        entry_id = entry.get("id") or entry.get("link") or entry.get("title")
        if not entry_id:
            continue
        source = feed_source(feed_url, entry_id)
        if seen(source):
            continue
        body = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
        text = _html_to_text(body) if body else ""
        article = None
        link = entry.get("link")
        if len(text) < TEASER_CHARS and link and link.startswith(("http://", "https://")):
            try:
                article = article_from_html(_fetch(link).decode("utf-8", "replace"), entry_id, link)
            except Exception as exc:  # a dead link still leaves the entry's own text
                LOGGER.warning("%s: cannot use the linked page %s: %s", feed_url, link, exc)
        if article is None:
            if not text:
                yield Failure(id=entry_id, error=f"{feed_url}: entry {entry_id!r} has no text", source_path=source)
                continue
            article = Article(id=entry_id, text=text)
        article.title = article.title or entry.get("title")
        article.url = link or article.url
        article.outlet = outlet or article.outlet
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        if published and not article.published:
            article.published = f"{published.tm_year:04d}-{published.tm_mon:02d}-{published.tm_mday:02d}"
        article.source_path = source
        yield article


class FolderWatcher:
    """New files in a set of folders, each handed over once its size has stopped changing."""

    def __init__(self, folders: Iterable[str | os.PathLike]):
        self.folders = [Path(f) for f in folders]
        self._sizes: dict[Path, int] = {}
        self._done: set[Path] = set()

    def poll(self, seen: Callable[[str], bool]) -> list[Path]:
        ready = []
        for folder in self.folders:
            for path, _ in input_files(folder):
                if path in self._done:
                    continue
                size = path.stat().st_size
                if self._sizes.get(path) != size:
                    self._sizes[path] = size  # changed since the last look: wait one more poll
                    continue
                self._done.add(path)
                if not seen(os.path.abspath(path)):
                    ready.append(path)
        return ready


def stop_on_signals() -> threading.Event:
    """An event that SIGINT and SIGTERM set, so that a watcher finishes its batch and stops cleanly."""
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    return stop


def watch(
    folders: Iterable[str | os.PathLike] = (),
    feeds: Iterable[str] = (),
    db: str | None = None,
    interval: float = 1.0,
    feed_interval: float = 5.0,
    pipeline: Pipeline | None = None,
    stop: threading.Event | None = None,
    on_result: Callable[[RunResult], None] | None = None,
) -> None:
    """Poll `folders` and `feeds` until `stop` is set, storing what is new.

    Without a `stop` event, SIGINT and SIGTERM stop it (when called from the main thread).
    """
    pipeline = pipeline or default_pipeline()
    if stop is None:
        stop = stop_on_signals()
    folder_watcher = FolderWatcher(folders)
    feeds = list(feeds)
    next_feed_poll = 0.0
    with open_store(db) as store:
        seen = store.has_input
        LOGGER.info("watching %d folder(s) and %d feed(s) into %s", len(folder_watcher.folders), len(feeds),
                    store.where)
        while not stop.is_set():
            items: list[Article | Failure] = list(read_inputs(folder_watcher.poll(seen)))
            now = time.monotonic()
            if feeds and now >= next_feed_poll:
                next_feed_poll = now + feed_interval
                for feed_url in feeds:
                    items.extend(feed_articles(feed_url, seen))
            if items:
                result = run_items(items, store=store, pipeline=pipeline)
                if on_result is not None:
                    on_result(result)
            stop.wait(interval)
