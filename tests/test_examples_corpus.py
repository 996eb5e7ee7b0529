"""The bundled example corpus (examples/) and the benchmark corpus generator (bench/make_corpus.py)."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

from wirecoder.ingest import read_inputs
from wirecoder.records import Article, Failure

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ARTICLES = EXAMPLES / "articles"
README = (EXAMPLES / "README.md").read_text("utf-8")


def _load_make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus():
    return list(read_inputs([ARTICLES]))


@pytest.fixture(scope="module")
def make_corpus():
    return _load_make_corpus()


def _readme_groups() -> list[list[str]]:
    """The article ids of each row of the README's incident table."""
    section = README.split("## Incident groups", 1)[1]
    rows = [line for line in section.splitlines() if re.match(r"\|\s*\d+\s*\|", line)]
    return [re.findall(r"`([a-z0-9-]+)`", row.rsplit("|", 2)[1]) for row in rows]


def test_examples_corpus_ingests_without_failures(corpus):
    failures = [item for item in corpus if isinstance(item, Failure)]
    assert failures == []
    declared = int(re.search(r"\*\*(\d+) articles\*\*", README).group(1))
    assert len(corpus) == declared >= 32
    ids = [a.id for a in corpus]
    assert len(ids) == len(set(ids))


def test_examples_every_file_and_line_accounted_for(corpus):
    by_file = {}
    for article in corpus:
        by_file.setdefault(article.source_path.split(".jsonl:")[0], []).append(article)
    files = sorted(p for p in ARTICLES.iterdir() if p.is_file())
    lines = [line for line in (ARTICLES / "wire.jsonl").read_text("utf-8").splitlines() if line.strip()]
    assert len(by_file[str(ARTICLES / "wire")]) == len(lines)
    for path in files:
        if path.suffix != ".jsonl":
            assert [a.id for a in by_file[str(path)]] == [path.stem]
    kinds = {p.suffix for p in files}
    assert kinds == {".jsonl", ".html", ".txt"}


def test_examples_readme_groups_partition_the_corpus(corpus):
    groups = _readme_groups()
    listed = [article_id for group in groups for article_id in group]
    assert sorted(listed) == sorted(a.id for a in corpus)
    multi_outlet = [g for g in groups if len(g) > 1]
    assert len(multi_outlet) >= 4 and max(len(g) for g in groups) <= 4
    outlets = {a.id: a.outlet for a in corpus}
    for group in multi_outlet:
        named = [outlets[i] for i in group if outlets[i]]
        assert len(set(named)) == len(named), f"one outlet twice in {group}"


def test_examples_articles_are_short_news_with_metadata(corpus):
    for article in corpus:
        assert 150 <= len(article.text.split()) <= 450, article.id
        if article.source_path.endswith(".txt"):
            continue  # plain text carries no metadata: outlet and date are in the dateline
        assert article.title and article.outlet and article.url, article.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", article.published[:10]), article.id


def test_examples_html_boilerplate_is_stripped(corpus):
    pages = [a for a in corpus if a.source_path.endswith(".html")]
    assert len(pages) >= 3
    for page in pages:
        for junk in ("Subscribe", "Most read", "Share this story", "All rights reserved", "Cookie settings"):
            assert junk not in page.text, (page.id, junk)
        html = Path(page.source_path).read_text("utf-8")
        assert page.outlet in html and page.published[:10] in html


def test_examples_windows_1252_text_file_decodes(corpus):
    path = ARTICLES / "rutshuru-m23-kivu-monitor.txt"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    (article,) = [a for a in corpus if a.id == path.stem]
    assert "Congo’s Rutshuru" in article.text and "“Fourteen people" in article.text
    assert "\ufffd" not in article.text


def test_examples_run_through_the_pipeline_without_stage_failures(pipeline, corpus):
    articles = corpus + list(read_inputs([EXAMPLES / "herat-style.txt"], published="2021-07-30"))
    reports = list(pipeline.pipe(articles))
    assert [r.id for r in reports] == [a.id for a in articles]
    failed = {r.id: r.warnings for r in reports if any(w.startswith("stage ") for w in r.warnings)}
    assert failed == {}


def test_make_corpus_is_deterministic(make_corpus):
    first = list(make_corpus.generate(4, seed=7))
    assert first == list(make_corpus.generate(4, seed=7))
    assert first[:2] == list(make_corpus.generate(2, seed=7))  # article i depends on (seed, i) only
    other = list(make_corpus.generate(4, seed=8))
    assert [a["text"] for a in first] != [a["text"] for a in other]
    assert len({a["text"] for a in first}) == 4


def test_make_corpus_writes_jsonl_that_ingests(make_corpus, tmp_path):
    out = tmp_path / "bench.jsonl"
    make_corpus.main(["--n", "5", "--out", str(out), "--seed", "1"])
    objects = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(objects) == 5
    articles = list(read_inputs([out]))
    assert all(isinstance(a, Article) for a in articles)
    for article in articles:
        assert 550 <= len(article.text.split()) <= 800
        assert article.published and article.outlet and article.title
        sentences = re.split(r"(?<=[.!?])\s+", article.text)
        assert len(sentences) == len(set(sentences)), "a sentence repeats within an article"
