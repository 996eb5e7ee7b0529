"""`wirecoder eval geo` on small invented gold files in the four formats."""

import pytest

from wirecoder.errors import EvalError
from wirecoder.evaluate.geo import evaluate, format_result, read_gold

TEXT = "Floods hit Kandahar and Quetta on Monday. Officials in Narnia Hollow said little."

LGL = f"""<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="1"><text>{TEXT}</text><toponyms>
<toponym><start>11</start><end>19</end><phrase>Kandahar</phrase><gaztag geonameid="1138336"><name>Kandahar</name>
<lat>31.61332</lat><lon>65.71013</lon></gaztag></toponym>
<toponym><start>24</start><end>30</end><phrase>Quetta</phrase><gaztag geonameid="1"><lat>-33.0</lat><lon>151.0</lon>
</gaztag></toponym>
<toponym><start>55</start><end>68</end><phrase>Narnia Hollow</phrase></toponym>
</toponyms></article></articles>"""

GEOVIRUS = f"""<articles><article><source>x</source><text>{TEXT}</text><locations>
<location><name>Kandahar</name><start>11</start><end>19</end><lat>31.6</lat><lon>65.7</lon><page>p</page></location>
<location><name>Narnia Hollow</name><start>55</start><end>68</end><lat>10</lat><lon>10</lon><page>p</page></location>
</locations></article></articles>"""


@pytest.fixture(scope="module")
def places_only(pipeline):
    from wirecoder.pipeline import Pipeline

    return Pipeline(config=pipeline.config, stages=["places.gazetteer.v1"])


def test_eval_geo_lgl_scores_recognition_and_distance(tmp_path, places_only):
    gold = tmp_path / "lgl.xml"
    gold.write_text(LGL, encoding="utf-8")
    result = evaluate(str(gold), pipeline=places_only)
    assert result["toponyms"] == 3
    assert result["toponyms_with_coordinates"] == 2  # the toponym without a gaztag is not scored for distance
    # Kandahar is right; Quetta is found but the (invented) gold puts it in Australia: one of two within 161 km
    assert result["acc_161km"] == pytest.approx(0.5)
    assert result["recognition"]["recall"] == pytest.approx(2 / 3)
    assert result["median_error_km"] is not None
    assert "acc@161km 50.0%" in format_result(result)


def test_eval_geo_geovirus_missed_toponym_counts_wrong(tmp_path, places_only):
    gold = tmp_path / "geovirus.xml"
    gold.write_text(GEOVIRUS, encoding="utf-8")
    result = evaluate(str(gold), pipeline=places_only)
    assert result["toponyms_with_coordinates"] == 2
    assert result["acc_161km"] == pytest.approx(0.5)  # Narnia Hollow is in no gazetteer
    assert any(m["text"] == "Narnia Hollow" for m in result["misses"])


def test_eval_geo_reads_geowebnews_and_skips_non_toponyms(tmp_path):
    gold = tmp_path / "gwn.xml"
    gold.write_text(f"""<articles><article><text>{TEXT}</text>
<toponym><extractedName>Kandahar</extractedName><type>Literal</type><start>11</start><end>19</end>
<latitude>31.6</latitude><longitude>65.7</longitude></toponym>
<toponym><extractedName>Officials</extractedName><type>Non_Toponym</type><start>42</start><end>51</end></toponym>
</article></articles>""", encoding="utf-8")
    [(text, toponyms)] = read_gold(str(gold))
    assert text == TEXT and [t.text for t in toponyms] == ["Kandahar"]


@pytest.mark.parametrize("content", ["not xml at all", "<articles><article><title>x</title></article></articles>"])
def test_eval_geo_rejects_other_files(tmp_path, content):
    gold = tmp_path / "bad.xml"
    gold.write_text(content, encoding="utf-8")
    with pytest.raises(EvalError):
        read_gold(str(gold))
