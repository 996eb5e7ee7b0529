"""The learned event model and the sentence encoder: the shipped files, what they say of invented text, and the
errors a user gets when a file is missing or damaged."""

import json

import numpy as np
import pytest

from wirecoder.config import load_config
from wirecoder.errors import ModelError
from wirecoder.events.codebook import ATTACK_FAMILIES, CAMEO_CLASSES, TYPE_CODES
from wirecoder.events.encoder import load_encoder
from wirecoder.events.model import lead_text, load_model, model_files, words
from wirecoder.pipeline import Pipeline


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def encoder(model):
    return load_encoder("auto", model.encoder_tokens)


def test_model_shipped_file_says_what_made_it(model):
    meta = model.meta
    assert meta["provenance"]["script"] == "scripts/train_events.py"
    sources = {entry["path"] for entry in meta["provenance"]["data"]}
    assert "gold/case2021-task2-dev.tsv" in sources and "train/satp/relevant_train.tsv" in sources
    # the dev splits of the training sets (and PolNeAR's) are where figures are measured: never trained on
    assert not any(path.startswith("train/") and "_dev" in path or "polnear/dev" in path for path in sources)
    assert all(len(entry["sha256"]) == 64 for entry in meta["provenance"]["data"])
    assert meta["heldout"], "the held-out figures of the training run are recorded"


def test_model_heads_cover_the_ontologies(model):
    assert model.heads["type"].labels == TYPE_CODES
    assert model.heads["family"].labels == ATTACK_FAMILIES
    assert model.heads["cameo"].labels == CAMEO_CLASSES
    assert model.heads["event"].kind == "sigmoid" and model.heads["type"].kind == "softmax"


def test_model_reads_violence_and_quiet_news_apart(model, encoder):
    violent = "Gunmen stormed a police checkpoint near the border town and killed four officers on Tuesday."
    quiet = "The town library will extend its opening hours on Saturdays from next month, the council said."
    for regime in ("sentence", "doc"):
        vector = (lambda t: encoder.embed([t])[0]) if regime == "doc" else (lambda t: None)
        p_violent = model.predict(violent, vector(violent))
        p_quiet = model.predict(quiet, vector(quiet))
        assert p_violent["event"]["event"] > 0.5 > p_quiet["event"]["event"]
        assert max(p_violent["cameo"], key=p_violent["cameo"].get) == "material_conflict"
        assert sum(p_violent["type"].values()) == pytest.approx(1.0, abs=1e-4)


def test_model_types_follow_the_means_of_violence(model):
    bomb = model.predict("A roadside bomb exploded under a bus on the main highway, killing six passengers.")
    raid = model.predict("Police arrested twelve suspects in dawn raids across the capital on Friday.")
    assert bomb["type"]["REM_EXPLOS"] > bomb["type"]["ARREST"]
    assert raid["type"]["ARREST"] > raid["type"]["REM_EXPLOS"]


def test_model_words_are_lowercased_single_and_paired():
    assert words("Gunmen Attacked a post") == ["gunmen", "attacked", "post", "gunmen attacked", "attacked post"]


@pytest.mark.parametrize("text, expected", [
    ("One short sentence.", "One short sentence."),
    ("  Padded text.  ", "Padded text."),
])
def test_model_lead_of_short_texts_is_the_text(text, expected):
    assert lead_text(text) == expected


def test_model_lead_stops_after_the_sentence_that_reaches_the_limit():
    first = "Fighting broke out in the north of the country on Monday. " * 5
    lead = lead_text(first + "A second paragraph follows with other news.")
    assert lead.endswith("on Monday.") and "second paragraph" not in lead
    assert len(lead_text("word " * 1000).split()) == 90  # no sentence end at all: twice the limit


def test_encoder_vectors_are_unit_length_and_closer_for_related_texts(encoder):
    a, b, c = encoder.embed(["Militants attacked an army post.", "Insurgents assaulted a military base.",
                             "The bakery sells fresh bread every morning."])
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-4)
    assert float(a @ b) > float(a @ c)
    assert encoder.embed([]).shape == (0, 384)


def test_model_missing_file_names_it_and_how_to_rebuild(tmp_path):
    with pytest.raises(ModelError, match="events.npz.*train_events.py"):
        load_model(str(tmp_path / "events.npz"))


def test_model_corrupt_file_names_it_and_how_to_rebuild(tmp_path):
    weights, meta = model_files()
    broken = tmp_path / "events.npz"
    broken.write_bytes(b"not a zip archive")
    (tmp_path / "events.json").write_text(meta.read_text("utf-8"), "utf-8")
    with pytest.raises(ModelError, match=r"unreadable: .*events.npz.*train_events.py"):
        load_model(str(broken))


def test_model_metadata_that_disagrees_with_the_weights_is_refused(tmp_path):
    weights, meta = model_files()
    (tmp_path / "events.npz").write_bytes(weights.read_bytes())
    data = json.loads(meta.read_text("utf-8"))
    data["heads"]["cameo"]["labels"] = data["heads"]["cameo"]["labels"][:4]
    (tmp_path / "events.json").write_text(json.dumps(data), "utf-8")
    with pytest.raises(ModelError, match="head cameo has 5 outputs for 4 labels"):
        load_model(str(tmp_path / "events.npz"))


def test_pipeline_with_a_missing_model_fails_loudly_instead_of_finding_nothing(tmp_path):
    config = load_config()
    config["events"] = dict(config["events"], model=str(tmp_path / "nowhere.npz"))
    with pytest.raises(ModelError, match="nowhere.npz"):
        Pipeline(config)


def test_pipeline_with_a_missing_encoder_fails_loudly(tmp_path):
    config = load_config()
    config["events"] = dict(config["events"], encoder=str(tmp_path / "encoder.onnx"))
    with pytest.raises(ModelError, match="encoder.onnx"):
        Pipeline(config)
