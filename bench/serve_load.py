"""Load test of `wirecoder serve`: 50 concurrent clients on loopback for 30 s against a store of 10k events.

    python bench/serve_load.py [--events 10000] [--clients 50] [--seconds 30] [--workers 2] [--no-cache]
                               [--db PATH] [--json]

Builds the store (unless --db names one that exists) from synthetic reports written through the store API
(`Store.save`, which also clusters them into incidents), so no spaCy parse is needed; starts `wirecoder serve
--workers N` on 127.0.0.1 in a subprocess; then each client sends filtered `/api/events` queries one after
another on a keep-alive connection, for the given time. Each client draws its own stream of queries: one to
three filters out of country, event type (code or ACLED type), a date range (a week, a month or a quarter from
a random day), an actor name part and `near` (a city, 25-300 km), a page size of 20 or 50, and a later page one
time in five; the mix actually sent (distinct URLs, share of each filter) is printed.

Prints requests/s, p50/p90/p99 latency, the lowest and highest mean latency of one client (far apart when the
server's processes hold unequal shares of the connections), errors (a server process that exits during the run
is one), the server's RSS and CPU per request (all its processes), the client's CPU per request, the load
average, and the share of answers the server's response cache gave (its `x-cache: hit` header; the cache is
emptied whenever the store changes, see wirecoder/serve/cache.py; run with --no-cache for the figures without
it). Exits non-zero when the bar is missed (any error, or p99 over 200 ms).
Every request goes to 127.0.0.1 only, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from collections import Counter
from urllib.parse import parse_qs, urlencode, urlsplit

from wirecoder.records import Actor, Article, Attribution, Event, Place, Report, Span
from wirecoder.store import open_store

HOST = "127.0.0.1"
P99_BAR_MS = 200.0

# (name, country, lat, lon, geonameid): real places, so the map and the `near` filter behave as in real use
PLACES = [
    ("Herat", "AF", 34.348, 62.200, 1140026), ("Kandahar", "AF", 31.613, 65.710, 1138336),
    ("Kabul", "AF", 34.528, 69.172, 1138958), ("Aleppo", "SY", 36.202, 37.158, 170063),
    ("Idlib", "SY", 35.931, 36.634, 169389), ("Mosul", "IQ", 36.335, 43.119, 99072),
    ("Gao", "ML", 16.272, -0.044, 2457163), ("Kidal", "ML", 18.441, 1.408, 2455290),
    ("Maiduguri", "NG", 11.846, 13.160, 2331447), ("Goma", "CD", -1.679, 29.228, 216281),
    ("Khartoum", "SD", 15.552, 32.532, 379252), ("Mogadishu", "SO", 2.037, 45.344, 53654),
]
ACTORS = [("Taliban", "rebel group", 2), ("Islamic State", "rebel group", 2), ("Police Forces", "state forces", 1),
          ("Military Forces", "state forces", 1), ("Rapid Support Forces", "rebel group", 2),
          ("Al Shabaab", "rebel group", 2), ("Civilians", "civilians", 7), ("Protesters", "protesters", 6)]
TYPES = [("ARMED_CLASH", "Battles", "Armed clash", "190", "fought", "ASSAULT"),
         ("AIR_STRIKE", "Explosions/Remote violence", "Air/drone strike", "195", "bombed", "AERIAL"),
         ("ATTACK", "Violence against civilians", "Attack", "180", "attacked", "ASSAULT"),
         ("PEACE_PROTEST", "Protests", "Peaceful protest", "141", "marched against", "PROTEST"),
         ("REM_EXPLOS", "Explosions/Remote violence", "Remote explosive/landmine/IED", "183", "blew up",
          "ASSAULT")]
SPEAKERS = ["a provincial spokesman", "local officials", "a police commander", "witnesses", "the ministry"]


def synthetic_report(rng: random.Random, index: int, n_events: int, start: date) -> tuple[Article, Report]:
    """An invented article of `n_events` sentences, each one event with its place, actors, date and source."""
    text, places, actors, events, attributions = "", [], {}, [], []
    published = start + timedelta(days=rng.randrange(365))
    for k in range(n_events):
        place = rng.choice(PLACES)
        a1, a2 = rng.sample(ACTORS, 2)
        code, event_type, sub_type, cameo, verb, plover = rng.choice(TYPES)
        dead = rng.randrange(0, 30)
        speaker = rng.choice(SPEAKERS)
        sentence_start = len(text)
        parts: list[tuple[str, str]] = [
            (a1[0], "a1"), (" fighters ", ""), (verb, "trigger"), (" ", ""), (a2[0], "a2"), (" in ", ""),
            (place[0], "place"), (f" on day {index}-{k}, leaving {dead} dead, ", ""), (speaker, "source"),
            (" ", ""), ("said", "cue"), (". ", ""),
        ]
        offsets = {}
        for piece, role in parts:
            if role:
                offsets[role] = (len(text), len(text) + len(piece))
            text += piece
        sentence = Span(sentence_start, len(text) - 1, text[sentence_start:len(text) - 1])
        pid, qid = f"p{k + 1}", f"q{k + 1}"
        places.append(Place(pid, *offsets["place"], place[0], geonameid=place[4], name=place[0], country=place[1],
                            lat=place[2], lon=place[3], feature="city", precision="city", confidence=0.9))
        ids = []
        for actor, role in ((a1, "a1"), (a2, "a2")):
            aid = actors.setdefault(actor[0], Actor(f"a{len(actors) + 1}", actor[0], actor[1], actor[2],
                                                    country=place[1], confidence=0.8))
            aid.mentions.append(Span(*offsets[role], actor[0]))
            ids.append(aid.id)
        attributions.append(Attribution(qid, Span(*offsets["source"], speaker), speaker, Span(*offsets["cue"], "said"),
                                        sentence, kind="indirect", cue_lemma="say", confidence=0.8))
        day = (published - timedelta(days=rng.randrange(3))).isoformat()
        events.append(Event(
            f"e{k + 1}", Span(*offsets["trigger"], verb), [sentence], code,
            acled={"event_type": event_type, "sub_event_type": sub_type}, cameo=cameo,
            plover={"type": plover, "mode": None}, actor1=ids[0], actor2=ids[1], location=pid, date_value=day,
            date_precision="day", fatalities=dead, attribution=qid, confidence=0.8,
        ))
    article = Article(id=f"synthetic-{index}", text=text, published=published.isoformat(),
                      title=f"Synthetic report {index}", outlet=rng.choice(["Outlet A", "Outlet B", "Outlet C"]))
    report = Report(id=article.id, published=article.published, title=article.title, outlet=article.outlet,
                    content_hash=article.content_hash, places=places, actors=list(actors.values()), events=events,
                    primary_event="e1", attributions=attributions)
    return article, report


def build_store(path: str, n_events: int, per_article: int = 4, seed: int = 7) -> None:
    rng = random.Random(seed)
    t0 = time.perf_counter()
    with open_store(path) as store:
        for i in range((n_events + per_article - 1) // per_article):
            article, report = synthetic_report(rng, i, per_article, date(2023, 1, 1))
            store.save(article, report, source=f"bench:{i}")
        rows = store.counts()
    print(f"built {path}: {rows['events']} events, {rows['incidents']} incidents, {rows['articles']} articles "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def query(rng: random.Random) -> str:
    """A filtered /api/events query like the dashboard and scripts send: one to three filters, sometimes a page."""
    params: dict[str, str | int] = {}
    for name in rng.sample(["country", "type", "dates", "actor", "near"], rng.randint(1, 3)):
        if name == "country":
            params["country"] = rng.choice(PLACES)[1]
        elif name == "type":
            params["type"] = rng.choice([rng.choice(TYPES)[0], rng.choice(TYPES)[1]])
        elif name == "dates":
            since = date(2023, 1, 1) + timedelta(days=rng.randrange(330))
            span = rng.choice([7, 30, 90])  # a week, a month or a quarter
            params["since"], params["until"] = since.isoformat(), (since + timedelta(days=span)).isoformat()
        elif name == "actor":
            params["actor"] = rng.choice(ACTORS)[0].split()[0].lower()
        else:
            place = rng.choice(PLACES)
            params["near"] = f"{place[2]},{place[3]},{rng.choice([25, 100, 300])}"
    params["limit"] = rng.choice([20, 50])
    if rng.random() < 0.2:
        params["offset"] = rng.choice([50, 100])
    return "/api/events?" + urlencode(params)


async def client(port: int, deadline: float, seed: int, results: dict) -> None:
    """One client: a keep-alive HTTP/1.1 connection, the next request sent when the last answer is read."""
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < deadline:
            path = query(rng)
            t0 = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            headers = dict(line.lower().split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
            body = await reader.readexactly(int(headers[b"content-length"]))
            results["latencies"].append(time.perf_counter() - t0)
            results["per_client"][seed].append(results["latencies"][-1])
            results["paths"].append(path)
            results["cache_hits"] += headers.get(b"x-cache", b"").strip() == b"hit"
            if status != 200:
                results["errors"].append(f"{status} {path}: {body[:200]!r}")
    except (OSError, asyncio.IncompleteReadError, ValueError, KeyError) as exc:
        results["errors"].append(f"client {seed}: {type(exc).__name__}: {exc}")
    finally:
        writer.close()


async def load(port: int, clients: int, seconds: float, seed: int = 0) -> tuple[dict, float]:
    results: dict = {"latencies": [], "paths": [], "errors": [], "cache_hits": 0,
                     "per_client": {seed + i: [] for i in range(clients)}}
    t0 = time.perf_counter()
    await asyncio.gather(*(client(port, t0 + seconds, seed + i, results) for i in range(clients)))
    return results, time.perf_counter() - t0


def describe_mix(paths: list[str]) -> dict:
    """What the clients asked: how many distinct URLs, and the share of requests using each filter."""
    params = [parse_qs(urlsplit(p).query) for p in paths]
    share = {name: round(sum(name in q for q in params) / max(len(params), 1), 2)
             for name in ("country", "type", "since", "actor", "near", "offset")}
    filters = Counter(sum(name in q for name in ("country", "type", "since", "actor", "near")) for q in params)
    return {"distinct_urls": len(set(paths)), "share_with_filter": share,
            "filters_per_request": {k: filters[k] for k in sorted(filters)}}


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (with --workers, uvicorn's supervisor and its worker processes)."""
    pids = [pid]
    for parent in pids:
        for task in Path(f"/proc/{parent}/task").iterdir():
            pids += [int(child) for child in (task / "children").read_text().split()]
    return pids


def rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used (None once it has exited): per request, a cost that other load
    on the machine hardly changes (latency under contention does)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2, help="Server processes (`wirecoder serve --workers`).")
    parser.add_argument("--no-cache", action="store_true", help="Serve with the response cache off.")
    parser.add_argument("--db", help="Store to serve (built first when it does not exist).")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="wirecoder-bench-")
    db = args.db or os.path.join(workdir.name, "bench.db")
    if not os.path.exists(db):
        build_store(db, args.events)
    port = free_port()
    wirecoder = Path(sys.executable).with_name("wirecoder")
    command = [str(wirecoder), "serve", "--db", db, "--host", HOST, "--port", str(port), "--workers",
               str(args.workers)] + (["--no-cache"] if args.no_cache else [])
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, server)
        # warm up (every worker opens its store connections), on other query streams than the measured clients
        asyncio.run(load(port, 10, 2.0, seed=10_000))
        pids = process_tree(server.pid)
        cpu0, client_cpu0 = {pid: cpu_seconds(pid) for pid in pids}, time.process_time()
        results, elapsed = asyncio.run(load(port, args.clients, args.seconds))
        cpu1, client_cpu = {pid: cpu_seconds(pid) for pid in pids}, time.process_time() - client_cpu0
        pids = [pid for pid in pids if cpu0[pid] is not None and cpu1[pid] is not None]
        results["errors"] += [f"server process {pid} exited during the run" for pid in set(cpu0) - set(pids)]
        cpu = sum(cpu1[pid] - cpu0[pid] for pid in pids)
        rss = [rss_mb(pid) for pid in pids]
        load_avg = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        workdir.cleanup()
    ms = sorted(x * 1000 for x in results["latencies"])
    errors = results["errors"]
    # each client's mean latency: far apart when the server's processes hold unequal shares of the connections
    means = [statistics.fmean(x) * 1000 for x in results["per_client"].values() if x]
    pct = (lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]) if ms else (lambda q: float("nan"))
    result = {
        "clients": args.clients, "seconds": round(elapsed, 1), "server_workers": args.workers,
        "requests": len(ms), "requests_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(pct(0.50), 1), "p90_ms": round(pct(0.90), 1), "p99_ms": round(pct(0.99), 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "client_mean_ms_range": [round(min(means), 1), round(max(means), 1)] if means else None,
        "errors": len(errors),
        "cache": "off" if args.no_cache else "on",
        "cache_hit_share": round(results["cache_hits"] / max(len(ms), 1), 3),
        "server_rss_mb": round(sum(r[0] for r in rss), 1), "server_peak_rss_mb": round(sum(r[1] for r in rss), 1),
        "server_cpu_ms_per_request": round(cpu * 1000 / max(len(ms), 1), 2),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / max(len(ms), 1), 2),
        "load_average_1min": round(load_avg, 2),
        "query_mix": describe_mix(results["paths"]),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>26}: {value}")
        for line in errors[:10]:
            print("error:", line)
    ok = not errors and result["p99_ms"] <= P99_BAR_MS
    print(f"bar (no errors, p99 <= {P99_BAR_MS:.0f} ms): {'met' if ok else 'MISSED'}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
