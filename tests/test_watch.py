"""`wirecoder watch`: a folder and a feed served on loopback, watched by a real watcher thread into a real store."""

import http.server
import sqlite3
import threading
import time

import pytest

from wirecoder.watch import FolderWatcher, watch

STORY = ("Protesters marched through central {town} on Saturday demanding the release of detained journalists, "
         "organisers said. Police fired tear gas to disperse the crowd near the governor's office, according to "
         "witnesses. \u201cWe will come back every week,\u201d one of the organisers told the {outlet}.")


def _feed(items, base):
    entries = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid><link>{base}/{guid}.html</link>"
        f"<pubDate>Sat, 04 Mar 2023 10:00:00 GMT</pubDate><description>{text[:80]}</description></item>"
        for guid, title, text in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Invented Herald</title>'
            f"{entries}</channel></rss>").encode("utf-8")


class FeedServer:
    """A local RSS feed of teasers, and the article pages they link to; the test changes its items as it goes."""

    def __init__(self, port=0):
        self.items = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                pages = {f"/{guid}.html": (title, text) for guid, title, text in owner.items}
                if self.path in pages:
                    title, text = pages[self.path]
                    body = (f"<html><head><title>{title}</title></head><body><nav>Home | World</nav>"
                            f"<article><h1>{title}</h1><p>{text}</p></article></body></html>").encode("utf-8")
                    kind = "text/html; charset=utf-8"
                else:
                    body, kind = _feed(owner.items, owner.base), "application/rss+xml"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_port
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.base}/feed.xml"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _stored_ids(db):
    try:
        con = sqlite3.connect(db)
        try:
            return {row[0] for row in con.execute("SELECT article_id FROM articles")}
        finally:
            con.close()
    except sqlite3.Error:
        return set()


def _wait_for(db, article_id, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if article_id in _stored_ids(db):
            return True
        time.sleep(0.1)
    return False


def test_folder_watcher_waits_for_a_file_to_stop_growing(tmp_path):
    watcher = FolderWatcher([tmp_path])
    (tmp_path / "a.txt").write_text("first half", encoding="utf-8")
    assert watcher.poll(lambda source: False) == []  # just seen: maybe still being written
    assert [p.name for p in watcher.poll(lambda source: False)] == ["a.txt"]
    assert watcher.poll(lambda source: False) == []  # handed over once


def test_watch_stores_new_files_and_feed_items_within_five_seconds(tmp_path, pipeline):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "watch.db"
    feed = FeedServer()
    stop = threading.Event()
    errors = []

    def serve():
        try:
            watch([inbox], [feed.url], db=str(db), interval=0.3, feed_interval=0.5, pipeline=pipeline, stop=stop)
        except Exception as exc:  # surfaced by the assertions below
            errors.append(exc)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        time.sleep(1.0)  # the watcher is polling an empty folder and feed
        (inbox / "tbilisi.txt").write_text(STORY.format(town="Tbilisi", outlet="Caucasus Courier"), encoding="utf-8")
        assert _wait_for(db, "tbilisi", 5.0), errors
        feed.items.append(("item-1", "March in Yerevan", STORY.format(town="Yerevan", outlet="Invented Herald")))
        assert _wait_for(db, "item-1", 5.0), errors
        con = sqlite3.connect(db)
        (text,) = con.execute("SELECT text FROM articles WHERE article_id = 'item-1'").fetchone()
        con.close()
        assert "told the Invented Herald" in text  # the linked page, not the feed's teaser
    finally:
        stop.set()
        thread.join(timeout=10)
        feed.close()
    assert not thread.is_alive() and not errors

    # a restarted watcher remembers what it has seen: nothing is stored or accounted twice
    con = sqlite3.connect(db)
    before = con.execute("SELECT COUNT(*), MAX(seen_at) FROM inputs").fetchone()
    con.close()
    stop = threading.Event()
    feed = FeedServer(port=feed.port)
    feed.items.append(("item-1", "March in Yerevan", STORY.format(town="Yerevan", outlet="Invented Herald")))
    thread = threading.Thread(target=watch, args=([inbox], [feed.url]),
                              kwargs=dict(db=str(db), interval=0.2, feed_interval=0.2, pipeline=pipeline, stop=stop),
                              daemon=True)
    thread.start()
    time.sleep(2.0)
    stop.set()
    thread.join(timeout=10)
    feed.close()
    con = sqlite3.connect(db)
    after = con.execute("SELECT COUNT(*), MAX(seen_at) FROM inputs").fetchone()
    con.close()
    assert after == before
    assert _stored_ids(db) == {"tbilisi", "item-1"}


def test_watch_cli_stops_cleanly_on_sigterm(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wirecoder", "watch", str(inbox), "--db", str(tmp_path / "w.db")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "watching" in line, line
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert "stopped" in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
