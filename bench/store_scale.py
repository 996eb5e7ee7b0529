"""Store scale bench: articles/s of the store's writes (article, records, incident clustering, accounting) when
1k, 5k and 10k articles are already stored; the rate at 10k should stay >= 0.8x the rate at 1k.

    python bench/store_scale.py [--n 10000] [--sample 100] [--dates stream|spread] [--db PATH_OR_URL]

Extraction would dominate a run of 10k articles and does not depend on the store's size, so it is measured
apart, once, on a sample: the real pipeline extracts `--sample` articles of bench/make_corpus.py (its rate is
printed), and every stored article i gets the report of sample article i % sample, moved to article i's
publication date (event dates shifted alike) so that copies are different happenings at the same places, with
article i's own text, id, outlet and content hash. Each article is then written exactly as `wirecoder run`
writes it (`Store.save`: one transaction with its records, incident matching and its input's row), and only that
call is timed: making the copy (a deep copy of a report of some 24 events) costs about as much as the save and
does not depend on the store's size, so timing it too would flatter the ratio. A sample report without events (the
events stage finds none) gets one stand-in event at its first resolved place, so that incident clustering is
always part of the measure; the script says how many it made.

Two ways to date the articles (`--dates`):

- `stream` (default): the store grows as a feed fills it, article i published i / 7 days after the first (7 a
  day across some 70 towns: 10k articles span four years). The articles of the last days meet the same number
  of recent incidents at 1k stored as at 10k, so the ratio measures what the bar is about: whether a write
  costs more because the store is bigger (a scan, an index that stops working, a quadratic step).
- `spread`: every article at a random day of the same four years (make_corpus's own dates), so 10k articles
  crowd ten times as many incidents into each town's weeks as 1k do. The ratio then also measures the cost of
  denser news: more real candidates to score and bigger incidents to merge, which grow with the density of
  what is reported about one place and week, not with the size of the store.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from make_corpus import make_article  # noqa: E402

from wirecoder.pipeline import Pipeline  # noqa: E402
from wirecoder.records import Article, Event, Report, Span  # noqa: E402
from wirecoder.store import open_store  # noqa: E402

MILESTONES = (1000, 5000, 10000)
WINDOW = 500  # the rate at N stored is that of writing articles N - WINDOW + 1 .. N
STAND_IN_TYPES = ("ARMED_CLASH", "AIR_STRIKE", "REMOTE_EXPLOSIVE", "ATTACK", "PEACEFUL_PROTEST")


def extract_sample(n: int) -> tuple[list[Report], float]:
    pipeline = Pipeline()
    articles = [Article(**make_article(i)) for i in range(n)]
    list(pipeline.pipe(articles[:2]))  # warm up (lazy loads) before the clock starts
    started = time.perf_counter()
    reports = list(pipeline.pipe(articles))
    return reports, n / (time.perf_counter() - started)


def ensure_event(report: Report, k: int) -> bool:
    """Give a report without events one stand-in event at its first resolved place; True when it did."""
    if report.events:
        return False
    place = next((p for p in report.places if p.lat is not None and p.feature not in ("country", "continent")),
                 None)
    if place is None:
        return False

    report.events.append(Event(
        id="e1", trigger=Span(place.start, place.end, place.text), evidence=[Span(place.start, place.end, place.text)],
        type=STAND_IN_TYPES[k % len(STAND_IN_TYPES)], location=place.id, date_value=report.published,
        date_precision="day", fatalities=k % 7, confidence=0.7,
    ))
    return True


STREAM_PER_DAY = 7
STREAM_START = date(2022, 1, 1)


def shifted(template: Report, meta: dict) -> tuple[Article, Report]:
    """Article i with the report of its sample template, moved to its publication date."""
    article = Article(**meta)
    report = copy.deepcopy(template)
    shift = date.fromisoformat(meta["published"]) - date.fromisoformat(template.published)
    for event in report.events:
        if event.date_value:
            event.date_value = (date.fromisoformat(event.date_value[:10]) + shift).isoformat()
    for mention in report.dates:
        if mention.value and len(mention.value) >= 10:
            mention.value = (date.fromisoformat(mention.value[:10]) + shift).isoformat()
    report.id, report.content_hash = article.id, article.content_hash
    report.published, report.outlet, report.title, report.url = (article.published, article.outlet, article.title,
                                                                  article.url)
    return article, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=MILESTONES[-1], help="articles to store (default 10000)")
    parser.add_argument("--sample", type=int, default=100, help="articles extracted for real (default 100)")
    parser.add_argument("--db", help="store to fill (default: a new SQLite file in a temporary folder); it must "
                                     "be empty")
    parser.add_argument("--dates", choices=("stream", "spread"), default="stream",
                        help="stream: articles in publication order, 7 a day; spread: random days of four years")
    args = parser.parse_args()

    templates, extraction_rate = extract_sample(args.sample)
    stand_ins = sum(ensure_event(r, k) for k, r in enumerate(templates))
    print(f"extraction (real pipeline, {args.sample} articles of make_corpus): {extraction_rate:.2f} articles/s")
    print(f"sample reports: {sum(len(r.events) for r in templates)} events, {stand_ins} of them stand-ins added "
          f"to reports where the pipeline found none")

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or os.path.join(tmp, "scale.db")
        rates = {}
        with open_store(db) as store:
            if store.counts()["articles"]:
                sys.exit(f"{db} already has articles: give an empty store")
            total = elapsed = cpu = 0.0
            for i in range(args.n):
                meta = make_article(i)
                if args.dates == "stream":
                    meta["published"] = (STREAM_START + timedelta(days=i // STREAM_PER_DAY)).isoformat()
                article, report = shifted(templates[i % len(templates)], meta)
                started, cpu_started = time.perf_counter(), time.process_time()
                store.save(article, report, source=f"bench:{article.id}")
                elapsed += time.perf_counter() - started
                cpu += time.process_time() - cpu_started
                stored = i + 1
                if stored % WINDOW == 0:
                    if stored in MILESTONES or stored == args.n:
                        rates[stored] = (WINDOW / elapsed, WINDOW / cpu)
                    total += elapsed
                    elapsed = cpu = 0.0
            total += elapsed
            counts = store.counts()
    print(f"store: {db if args.db else 'SQLite file in a temporary folder'}; dates: {args.dates}")
    # wall-clock rates move with whatever else the machine runs; the CPU-time rate (this process only, the
    # store's own work when the database server is in-process) is the steadier figure on a shared machine
    print(f"{'stored':>7} {'articles/s':>10} {'per CPU s':>10}")
    for stored, (rate, cpu_rate) in rates.items():
        print(f"{stored:>7} {rate:>10.1f} {cpu_rate:>10.1f}")
    print(f"overall {args.n / total:.1f} articles/s (time in Store.save); rows: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    first, last = min(rates), max(rates)
    if first != last:
        for i, name in enumerate(("wall clock", "CPU time")):
            ratio = rates[last][i] / rates[first][i]
            print(f"{name}: rate at {last} / rate at {first} = {ratio:.2f} ({'>=' if ratio >= 0.8 else '<'} 0.8)")


if __name__ == "__main__":
    main()
