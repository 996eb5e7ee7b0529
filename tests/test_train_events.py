"""scripts/train_events.py on a tiny invented sample of every training format: it runs, writes a model the stage
loads, records where it came from, and gives the same weights twice."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wirecoder.events.model import load_model

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "train_events.py"
TOWNS = ["Dara", "Kelo", "Marun", "Sabi", "Tefa", "Uldo"]
GROUPS = ["the Red Hand militia", "the Northern Front", "gunmen", "insurgents", "rebels", "armed men"]


def _snippets(template: str) -> list[str]:
    return [template.format(town=town, group=group) for town, group in zip(TOWNS, GROUPS)]


CASE = {
    "ARMED_CLASH": "Fighting broke out between {group} and army troops near {town}, leaving several soldiers dead.",
    "REM_EXPLOS": "A roadside bomb planted by {group} exploded under a truck outside {town}, killing three.",
    "PEACE_PROTEST": "Hundreds of teachers marched peacefully through {town} to demand higher wages.",
    "DIPLO": "The foreign ministry condemned the raid by {group} near {town} and called for restraint.",
}
SATP = [  # text template, (armed assault, bombing, kidnapping, other)
    ("{group} shot dead a village guard in {town} district on May 3, reports the Daily Star.", (1, 0, 0, 0)),
    ("An explosive device planted by {group} went off near a police post in {town} on June 9.", (0, 1, 0, 0)),
    ("{group} abducted a trader from his shop in {town} and demanded a ransom, police said.", (0, 0, 1, 0)),
]
CAMEO = [
    ("The president of Tefa met his counterpart from Kelo in {town} to discuss trade.", 1),
    ("The government of Marun sent food and medicine to flood victims in {town}.", 2),
    ("The interior minister accused {group} of stirring unrest in {town}.", 3),
    ("Security forces fired on {group} in {town}, killing two of them.", 4),
    ("The spokesman said the cabinet would issue a statement on {town} on Monday.", 0),
]
POLNEAR = [
    "The senator attacked her rival's tax plan in a speech on Tuesday. Voters in {town} will decide in May.",
    "The campaign said it would fight for every vote in {town}. The mayor signed a deal on parking.",
]


def _write_sample(root: Path) -> None:
    (root / "gold" / "polnear" / "train" / "text").mkdir(parents=True)
    (root / "gold" / "polnear" / "dev" / "text").mkdir(parents=True)
    for split in ("satp", "cameo", "ipe"):
        (root / "train" / split).mkdir(parents=True)
    with open(root / "gold" / "case2021-task2-dev.tsv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["id", "EventSnippet", "SubType"])
        for label, template in CASE.items():
            for i, text in enumerate(_snippets(template)):
                writer.writerow([f"{label}-{i}", text, label])
    for split in ("train", "dev"):
        rows = ["text\tarmed_assault\tbombing_explosion\tkidnapping\tother"]
        rows += [f"{t}\t" + "\t".join(map(str, labels)) for template, labels in SATP for t in _snippets(template)]
        (root / "train" / "satp" / f"relevant_{split}.tsv").write_text("\n".join(rows) + "\n", "utf-8")
        rows = ["text\tpentacode"] + [f"{t}\t{label}" for template, label in CAMEO for t in _snippets(template)]
        (root / "train" / "cameo" / f"pentacode_{split}.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    police = [f"police arrested {g} in {t} on friday.\t0\t1\t1\t0\t0" for t, g in zip(TOWNS, GROUPS)]
    (root / "train" / "ipe" / "sentences_train.tsv").write_text(
        "text\tKILL\tARREST\tANY_ACTION\tFAIL\tFORCE\n" + "\n".join(police) + "\n", "utf-8")
    located = [{"_id": 1000 + i, "text": text, "spans": []}
               for i, text in enumerate(_snippets("{group} raided a farm in {town} and burned the harvest."))]
    (root / "gold" / "event_location-dev.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in located), "utf-8")
    for split in ("train", "dev"):
        for i, text in enumerate(t for template in POLNEAR for t in _snippets(template)):
            (root / "gold" / "polnear" / split / "text" / f"article{i}.txt").write_text(text, "utf-8")


def _train(shared: Path, out: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--shared", str(shared), "--out", str(out),
                           "--cache", str(cache), *extra], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    shared = root / "shared"
    _write_sample(shared)
    runs = [_train(shared, root / f"run{n}" / "events", root / "cache") for n in (1, 2)]
    return root, shared, runs


def test_train_events_writes_a_model_the_stage_loads(trained):
    root, _, runs = trained
    assert runs[0].returncode == 0, runs[0].stderr[-2000:]
    model = load_model(str(root / "run1" / "events.npz"))
    prediction = model.predict("A roadside bomb exploded under a truck outside the town, killing three.")
    assert set(prediction) == {"event", "type", "family", "cameo"}
    assert prediction["type"]["REM_EXPLOS"] > prediction["type"]["PEACE_PROTEST"]


def test_train_events_prints_heldout_figures_and_records_provenance(trained):
    root, _, runs = trained
    assert "pentacode dev macro F1" in runs[0].stdout and "CASE 5-fold weighted F1" in runs[0].stdout
    meta = json.loads((root / "run1" / "events.json").read_text("utf-8"))
    assert meta["provenance"]["script"] == "scripts/train_events.py"
    assert {"gold/case2021-task2-dev.tsv", "train/satp/relevant_train.tsv"} <= {
        d["path"] for d in meta["provenance"]["data"]}
    assert meta["units"]["case"] == 24 and meta["heldout"]


def test_train_events_is_deterministic(trained):
    root, _, runs = trained
    assert runs[1].returncode == 0, runs[1].stderr[-2000:]
    first, second = (np.load(root / f"run{n}" / "events.npz") for n in (1, 2))
    assert sorted(first.files) == sorted(second.files)
    for name in first.files:
        assert np.array_equal(first[name], second[name]), name
    assert (root / "run1" / "events.npz").read_bytes() == (root / "run2" / "events.npz").read_bytes()


def test_train_events_holdout_writes_the_heldout_snippets(trained):
    root, shared, _ = trained
    run = _train(shared, root / "fold" / "events", root / "cache", "--holdout-case", "0/5", "--no-heldout")
    assert run.returncode == 0, run.stderr[-2000:]
    with open(root / "fold" / "events.case-heldout.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    assert rows and all(row[2] in CASE for row in rows)
    meta = json.loads((root / "fold" / "events.json").read_text("utf-8"))
    assert meta["units"]["case"] == 24 - len(rows)
