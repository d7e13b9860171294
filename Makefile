# Quick start on a fresh machine:  make report WEEK=20250505   and   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
WEEK   ?= 20250505

.PHONY: setup fonts report test validate schemas lint preview bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) fonts

fonts:
	@bash tools/ensure-fonts.sh
	@sh tools/ensure-browser.sh

report: setup
	$(PY) -m authoring build $(WEEK)

# both cores: tests are independent (own tmp folders; the shared cache is safe for
# concurrent builds); the seed weeks' readers share one worker (see tests/conftest.py)
test: setup
	$(PY) -m pytest -n 2 --dist loadgroup

validate: $(STAMP)
	$(PY) -m authoring validate

schemas: $(STAMP)
	$(PY) -m authoring schema

lint: $(STAMP)
	$(PY) -m authoring lint $(WEEK)

preview: setup
	$(PY) -m authoring preview $(WEEK)

bench: setup
	$(PY) tools/bench.py

clean:
	rm -rf build
