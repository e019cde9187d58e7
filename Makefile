# Two entry points: `make run` (install, build the index if missing, start the app)
# and `make test` (install, start the services the tests need, run every test).
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: install run test lint index

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	HF_HUB_OFFLINE=1 .venv/bin/assistant ingest --if-missing

run: index
	# multilingual vectors (issue #14): minutes of work, built once in the background and resumed
	# if killed; the app answers English questions meanwhile and picks them up when complete
	HF_HUB_OFFLINE=1 nohup nice -n 10 .venv/bin/assistant ingest --multilingual --if-missing > index/multilingual.log 2>&1 &
	HF_HUB_OFFLINE=1 .venv/bin/streamlit run ui/app.py --server.headless true --browser.gatherUsageStats false

lint: $(STAMP)
	.venv/bin/ruff check .
	.venv/bin/mypy

test: $(STAMP)
	bash scripts/test.sh
