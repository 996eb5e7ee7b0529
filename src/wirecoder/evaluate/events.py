"""`wirecoder eval events | satp | cameo | quiet`: score the events `wirecoder extract` returns.

Every text goes through the whole pipeline, as `wirecoder extract` runs it, and only the output contract's fields
are read (the report's JSON form): the primary event's type or CAMEO code, the types of all events. The figures
are the reference scorer's (`shared/tools/score.py`), computed the same way:

- `events` (CASE 2021 task 2 TSV, `id \\t EventSnippet \\t SubType`): the primary event's type against the
  snippet's label (no event: "NONE"); F1 per label, averaged weighted by gold support (and plain, "macro"), over
  the snippets of the 25 ACLED types and over all.
- `satp` (SATP TSV, `text \\t armed_assault \\t bombing_explosion \\t kidnapping \\t other`): for the reports with
  at least one of the first three labels, example-based F1 between them and the families of all the report's
  event types (armed assault: battles and attacks; bombing/explosion: explosive, air and shelling types). The
  kidnapping family is the scorer's set `{"ABDUCT"}`, which no wirecoder type is: like the reference scorer,
  kidnapping is counted in the gold only.
- `cameo` (TSV `text \\t pentacode`): the five-way class of the primary event's CAMEO code (no event: 0, a
  statement), macro F1.
- `quiet` (LGL/GeoVirus-style XML): articles with no word of violence, protest, police or the military; every
  ACLED-kind event found there is false. Reports events per article.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable

from ..errors import EvalError
from ..events.codebook import ACLED_CODES, TYPE_CODES
from ..pipeline import Pipeline, extract_many, make_article

# the reference scorer's sets, as it writes them (its SUICIDE_BOMB and ABDUCT name no wirecoder type)
SATP_FAMILIES = (
    {"ARMED_CLASH", "ATTACK", "GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER"},
    {"REM_EXPLOS", "SUICIDE_BOMB", "GRENADE", "AIR_STRIKE", "ART_MISS_ATTACK", "CHEM_WEAP"},
    {"ABDUCT"},
)
QUIET_EXCLUDES = re.compile(
    r"\b(kill\w*|attack\w*|bomb\w*|militant\w*|troops|soldiers?|rebels?|clash\w*|airstrikes?|shell\w*|gunm[ae]n|"
    r"insurgent\w*|protest\w*|riot\w*|fired|explosion|wounded|war|army|military|police|shot|shooting|violence|"
    r"terror\w*|arrest\w*|murder\w*|dead|died|fight\w*|weapon\w*|gun\w*|demonstrat\w*|strike)\b", re.I)
VIOLENT_TYPES = {"ARMED_CLASH", "ATTACK", "GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER", "REM_EXPLOS",
                 "SUICIDE_BOMB", "GRENADE", "AIR_STRIKE", "ART_MISS_ATTACK", "CHEM_WEAP", "ABDUCT", "SEXUAL_VIOLENCE",
                 "MOB_VIOL", "VIOL_DEMONSTR", "EXCESSIVE_FORCE", "PROPERTY_DISTRUCT", "FORCE_AGAINST_PROTEST",
                 "PEACE_PROTEST", "PROTEST_WITH_INTER", "ARREST", "DISR_WEAP", "NON_VIOL_TERRIT_TRANSFER",
                 "HQ_ESTABLISHED"}
CAMEO_CLASS_NAMES = ("statement", "verbal cooperation", "material cooperation", "verbal conflict",
                     "material conflict")


def extract_reports(items: Iterable[tuple[str, str]], pipeline: Pipeline | None = None) -> dict[str, dict]:
    """(id, text) pairs through the pipeline as `wirecoder extract` runs them: id -> the report's JSON form."""
    articles = (make_article(text, id=item_id) for item_id, text in items)
    out = {}
    for report in extract_many(articles, pipeline=pipeline):
        out[str(report.id)] = report.to_dict() if hasattr(report, "to_dict") else {"error": report.error}
    return out


def primary(report: dict) -> dict:
    """The primary event of a report's JSON form, {} when it has none."""
    events = {e.get("id"): e for e in report.get("events", [])}
    return events.get(report.get("primary_event")) or {}


def _rows(path: str) -> list[list[str]]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return [row for row in csv.reader(handle, delimiter="\t") if row and any(row)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EvalError(f"{path}: cannot read ({exc})") from exc


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def f1_table(pairs: list[tuple[str, str]], labels: Iterable[str]) -> dict:
    """Weighted (by gold support) and macro F1 over the gold items whose label is in `labels`."""
    labels = list(labels)
    items = [(gold, pred) for gold, pred in pairs if gold in labels]
    support = Counter(gold for gold, _ in items)
    per_label = {}
    for label in labels:
        if not support[label]:
            continue
        tp = sum(1 for g, p in items if g == p == label)
        p, r, f = _prf(tp, sum(1 for _, p in items if p == label), support[label])
        per_label[label] = {"precision": p, "recall": r, "f1": f, "support": support[label]}
    n = len(items)
    return {
        "n": n,
        "accuracy": sum(1 for g, p in items if g == p) / n if n else 0.0,
        "weighted_f1": sum(v["f1"] * v["support"] for v in per_label.values()) / n if n else 0.0,
        "macro_f1": sum(v["f1"] for v in per_label.values()) / len(per_label) if per_label else 0.0,
        "per_label": per_label,
    }


# ---------------------------------------------------------------------------------------------- CASE 2021

def read_gold(path: str, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(id, snippet, label) rows of a CASE 2021 task 2 TSV; raises EvalError on a malformed file."""
    rows = []
    for number, row in enumerate(_rows(path), 1):
        if number == 1 and row[-1:] == ["SubType"]:
            continue
        if len(row) != 3:
            raise EvalError(f"{path}:{number}: expected 3 tab-separated columns (id, snippet, type), got {len(row)}")
        if row[2] not in TYPE_CODES:
            raise EvalError(f"{path}:{number}: unknown event type {row[2]!r}")
        rows.append((row[0], row[1], row[2]))
        if limit and len(rows) >= limit:
            break
    if not rows:
        raise EvalError(f"{path}: no snippets found")
    return rows


def evaluate(path: str, limit: int | None = None, pipeline: Pipeline | None = None) -> dict:
    """CASE 2021 task 2: {"acled25": {...}, "all30": {...}, "confusion": {...}, "errors": [...]}."""
    rows = read_gold(path, limit)
    reports = extract_reports(((i, text) for i, text, _ in rows), pipeline)
    pairs, errors = [], []
    for snippet_id, _, gold in rows:
        pred = primary(reports.get(snippet_id, {})).get("type") or "NONE"
        pairs.append((gold, pred))
        if pred != gold:
            errors.append({"id": snippet_id, "gold": gold, "pred": pred})
    return {
        "gold": path,
        "n": len(pairs),
        "acled25": f1_table(pairs, ACLED_CODES),
        "all30": f1_table(pairs, sorted({g for g, _ in pairs})),
        "confusion": dict(Counter(f"{g} -> {p}" for g, p in pairs if g != p).most_common()),
        "errors": errors,
    }


def format_result(result: dict) -> str:
    """The headline figures, per-label F1 and the most frequent confusions."""
    lines = [f"CASE 2021 task 2: {result['gold']} ({result['n']} snippets), the primary event's type"]
    for key, name in (("acled25", "25 ACLED types"), ("all30", "all types")):
        table = result[key]
        lines.append(f"  {name:15} n={table['n']:4}  weighted F1 {100 * table['weighted_f1']:.1f}  "
                     f"macro F1 {100 * table['macro_f1']:.1f}  accuracy {100 * table['accuracy']:.1f}")
    lines.append("  per type (all):  P  R  F1  support")
    for label, row in sorted(result["all30"]["per_label"].items(), key=lambda kv: -kv[1]["support"]):
        lines.append(f"    {label:30} {row['precision']:.2f} {row['recall']:.2f} {row['f1']:.2f} {row['support']:4}")
    lines.append("  confusions (gold -> predicted: count):")
    lines += [f"    {pair}: {count}" for pair, count in list(result["confusion"].items())[:25]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- SATP

def read_labelled(path: str, width: int, limit: int | None = None) -> list[tuple[str, str, list[int]]]:
    """(id, text, 0/1 labels) of a `text \\t label ...` TSV; a header row (names where labels go) is skipped."""
    rows = []
    for number, row in enumerate(_rows(path)):
        cells = row[1:1 + width]
        if len(cells) == width and all(c.strip().isdigit() for c in cells):
            rows.append((f"r{number}", row[0], [int(c) for c in cells]))
            if limit and len(rows) >= limit:
                break
    if not rows:
        raise EvalError(f"{path}: no rows of text and {width} numeric labels found")
    return rows


def evaluate_satp(path: str, limit: int | None = None, pipeline: Pipeline | None = None) -> dict:
    """Attack families of incident reports: example F1 over armed assault, bombing/explosion, kidnapping."""
    rows = [r for r in read_labelled(path, 4, limit) if any(r[2][:3])]
    reports = extract_reports(((i, text) for i, text, _ in rows), pipeline)
    scores, found = [], 0
    for row_id, _, gold in rows:
        types = {e.get("type") for e in reports.get(row_id, {}).get("events", [])}
        pred = [int(bool(types & family)) for family in SATP_FAMILIES]
        both = sum(g and p for g, p in zip(gold[:3], pred))
        total = sum(gold[:3]) + sum(pred)
        scores.append(1.0 if total == 0 else 2 * both / total)
        found += bool(types - {"ATTRIB", None})
    n = len(rows)
    return {"gold": path, "n": n, "example_f1": sum(scores) / n, "any_event": found / n}


def format_satp(result: dict) -> str:
    return (f"SATP {result['gold']}: {result['n']} reports; any event found {100 * result['any_event']:.1f}%; "
            f"attack-type example F1 {100 * result['example_f1']:.1f}")


# ---------------------------------------------------------------------------------------------- CAMEO

def pentacode(cameo: str | None) -> int:
    """The five-way class of a CAMEO code as the reference scorer reads it (no code: 0)."""
    try:
        root = int(str(cameo)[:2])
    except (TypeError, ValueError):
        return 0
    return 0 if root <= 2 else 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def evaluate_cameo(path: str, limit: int | None = None, pipeline: Pipeline | None = None) -> dict:
    """The CAMEO class of each sentence's primary event against its label: macro F1 over the five classes."""
    rows = [(i, text, labels[0]) for i, text, labels in read_labelled(path, 1, limit)]
    reports = extract_reports(((i, text) for i, text, _ in rows), pipeline)
    pairs = [(gold, pentacode(primary(reports.get(i, {})).get("cameo"))) for i, _, gold in rows]
    f1 = [_prf(sum(1 for g, p in pairs if g == p == c), sum(1 for _, p in pairs if p == c),
               sum(1 for g, _ in pairs if g == c))[2] for c in range(5)]
    return {"gold": path, "n": len(pairs), "macro_f1": sum(f1) / 5, "per_class_f1": f1,
            "accuracy": sum(g == p for g, p in pairs) / len(pairs)}


def format_cameo(result: dict) -> str:
    per_class = ", ".join(f"{name} {100 * f:.0f}" for name, f in zip(CAMEO_CLASS_NAMES, result["per_class_f1"]))
    return (f"CAMEO {result['gold']}: {result['n']} sentences; accuracy {100 * result['accuracy']:.1f}; "
            f"F1 per class: {per_class}; macro F1 {100 * result['macro_f1']:.1f}")


# ---------------------------------------------------------------------------------------------- quiet news

def quiet_articles(paths: Iterable[str]) -> list[tuple[str, str]]:
    """(id, text) of the articles of LGL/GeoVirus-style XML files with no word of violence or security."""
    out = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as exc:
            raise EvalError(f"{path}: not a readable XML file ({exc})") from exc
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        for i, article in enumerate(root.iter("article")):
            text = article.findtext("text") or ""
            if text.strip() and not QUIET_EXCLUDES.search(text):
                out.append((f"{stem}-{i}", text))
    if not out:
        raise EvalError("no quiet article found (the XML needs <article><text> elements)")
    return out


def evaluate_quiet(paths: list[str], pipeline: Pipeline | None = None) -> dict:
    """False ACLED-kind events in news that has no word of violence, protest, police or the military."""
    articles = quiet_articles(paths)
    reports = extract_reports(articles, pipeline)
    kinds, total, hit = Counter(), 0, 0
    for article_id, _ in articles:
        false = [e for e in reports.get(article_id, {}).get("events", [])
                 if e.get("type") in VIOLENT_TYPES or e.get("acled")]
        total += len(false)
        hit += bool(false)
        kinds.update(e.get("type") for e in false)
    n = len(articles)
    return {"n": n, "events": total, "per_article": total / n, "articles_with_one": hit / n,
            "types": dict(kinds.most_common())}


def format_quiet(result: dict) -> str:
    kinds = ", ".join(f"{k} {v}" for k, v in list(result["types"].items())[:6])
    line = (f"{result['n']} quiet articles: {result['events']} ACLED-kind events ({result['per_article']:.2f} per "
            f"article), {100 * result['articles_with_one']:.0f}% of articles with one")
    return line + (f"; {kinds}" if kinds else "")
