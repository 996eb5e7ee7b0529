"""Ingest: every file and JSONL line becomes an Article or a Failure that names it."""

import gzip
import json

from wirecoder.ingest import read_inputs
from wirecoder.records import Article, Failure

PAGE = """<html><head><title>Clashes near Jalalabad</title>
<meta property="og:site_name" content="Khyber Evening Post">
<meta name="date" content="2022-03-14"></head>
<body><nav>Home | World | Sport | Subscribe</nav>
<article><h1>Clashes near Jalalabad</h1>
<p>Fighting broke out on Sunday between police and an armed group on the outskirts of Jalalabad, residents said.</p>
<p>Two officers were wounded in the exchange of fire, according to a provincial spokesman who asked not to be named.</p>
<p>Shops in the bazaar stayed shut on Monday as residents waited for the roads to reopen.</p>
</article><footer>Copyright Khyber Evening Post. All rights reserved.</footer></body></html>"""


def test_ingest_reads_text_html_and_jsonl_from_a_folder(tmp_path):
    (tmp_path / "a.txt").write_text("Protesters gathered in Lahore on Friday.", encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Troops entered Mosul.", "published": "2017-07-01"}) + "\n"
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "x3", "title": "no text here"}) + "\n",
        encoding="utf-8",
    )
    results = list(read_inputs([tmp_path]))
    assert [type(r).__name__ for r in results] == ["Article", "Article", "Article", "Failure", "Failure"]
    text, page, line1, bad_json, no_text = results
    assert text.id == "a" and text.text.startswith("Protesters")
    assert page.title == "Clashes near Jalalabad" and page.outlet == "Khyber Evening Post"
    assert page.published == "2022-03-14"
    assert "Two officers were wounded" in page.text and "Subscribe" not in page.text and "Copyright" not in page.text
    assert line1.id == "x1" and line1.published == "2017-07-01"
    assert "c.jsonl:3" in bad_json.error and "invalid JSON" in bad_json.error
    assert no_text.id == "x3" and "c.jsonl:4" in no_text.error and '"text"' in no_text.error


def test_ingest_detects_legacy_encodings(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Le président a condamné l'attaque contre la préfecture de Ségou.".encode("cp1252"))
    (article,) = read_inputs([path])
    assert isinstance(article, Article)
    assert "président" in article.text and "Ségou" in article.text


def test_ingest_reports_missing_and_binary_inputs(tmp_path):
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    missing, failed = read_inputs([tmp_path / "nope.txt", binary])
    assert isinstance(missing, Failure) and "no such file" in missing.error
    assert isinstance(failed, Failure) and "binary" in failed.error


def test_ingest_reads_gzipped_jsonl_and_applies_default_date(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": "g1", "text": "A curfew was declared in Goma."}) + "\n")
    (article,) = read_inputs([path], published="2023-05-02")
    assert article.id == "g1" and article.published == "2023-05-02"


def test_article_content_hash_depends_only_on_text():
    a = Article(id="1", text="Same words.", outlet="One")
    b = Article(id="2", text="Same words.", outlet="Two")
    assert a.content_hash == b.content_hash != Article(id="3", text="Other words.").content_hash


def test_ingest_streams_parquet_with_named_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "archive.parquet"
    table = pa.table({"doc": ["k1", "k2", "k3"], "body": ["Troops withdrew from Kidal.", None, "A bomb hit Gao."]})
    pq.write_table(table, path)
    results = list(read_inputs([path], text_column="body", id_column="doc"))
    assert [r.id for r in results] == ["k1", "k2", "k3"]
    assert isinstance(results[1], Failure) and '"body"' in results[1].error and "row 2" in results[1].error
    assert results[2].text == "A bomb hit Gao."
    (missing,) = read_inputs([path], text_column="content")
    assert isinstance(missing, Failure) and "no column 'content'" in missing.error
