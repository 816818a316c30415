# ballfast: `make test` and `make train` set everything up on a fresh clone.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ballfast-installed
# README.md is nbs/index.ipynb as markdown, without the cells nbdev hides
NBCONVERT := $(BIN)/jupyter nbconvert --to markdown --log-level=WARN \
	--RegexRemovePreprocessor.patterns='^\s*\#\|\s*hide' --template readme --TemplateExporter.extra_template_basedirs=docs/templates

.PHONY: test train models readme check-sync check-readme export clean-nbs bench nbs check-nbs docs check-docs check-examples

# the environment is created when missing, and (re)installed when the package's settings change
$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,ray,tensorboard,video,demo]"
	touch $(STAMP)

# the tests keep their own trust store: they never write to the user's; two notebooks at a time, one torch thread each
# (two threads each on two cores only fight: bench/test_time.py)
test: $(STAMP) check-sync check-readme check-nbs
	BALLFAST_TRUST_STORE=$$(mktemp -d)/trusted_sha256 OMP_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 --do_print --timing
	$(MAKE) --no-print-directory check-examples check-docs

# the main job: train the default detector on the cached synthetic default set
train: $(STAMP)
	$(BIN)/ballfast train detect

# the models shipped in ballfast/models: the default detector, forecaster and what-if model, trained on the default sets
models: $(STAMP)
	$(BIN)/ballfast train detect --out runs/models/detect
	$(BIN)/ballfast train forecast --out runs/models/forecast
	$(BIN)/ballfast train whatif --out runs/models/whatif
	mkdir -p ballfast/models
	cp runs/models/detect/detect.{safetensors,json} runs/models/forecast/forecast.{safetensors,json} runs/models/whatif/whatif.{safetensors,json} ballfast/models/

export: $(STAMP)
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean

# notebooks must be as nbdev_clean leaves them, and the package as nbdev_export writes it
check-sync: $(STAMP)
	@tmp=$$(mktemp -d) && cp -r nbs ballfast settings.ini $$tmp/ && \
	cd $$tmp && $(CURDIR)/$(BIN)/nbdev_clean && $(CURDIR)/$(BIN)/nbdev_export && \
	if ! diff -r -q -x __pycache__ -x '.ipynb_checkpoints' nbs $(CURDIR)/nbs ; then echo "notebooks are not clean: run 'make export'"; exit 1; fi && \
	if ! diff -r -q -x __pycache__ ballfast $(CURDIR)/ballfast ; then echo "ballfast/ is not in sync with nbs/: run 'make export'"; exit 1; fi && \
	rm -rf $$tmp && echo "notebooks clean and package in sync"

# re-execute notebooks in place with the current code (all of them, or NBS="nbs/06_show.ipynb ..."; FLAGS=slow also runs
# the slow cells), as nbdev_test runs them; then nbdev_clean them, record them in nbs/outputs.json, and remake README.md
nbs: $(STAMP)
	$(BIN)/python tools/run_nbs.py $(if $(FLAGS),--flags "$(FLAGS)") $(NBS)
	$(MAKE) --no-print-directory readme

# outputs are what `make nbs` made from the notebooks' current code cells, and nbs/ stays within its size
check-nbs: $(STAMP)
	$(BIN)/python tools/run_nbs.py --check

readme: $(STAMP)
	$(NBCONVERT) nbs/index.ipynb --output-dir . --output README

check-readme: $(STAMP)
	@tmp=$$(mktemp -d) && $(NBCONVERT) nbs/index.ipynb --output-dir $$tmp --output README && \
	if ! diff -q $$tmp/README.md README.md ; then echo "README.md is not in sync with nbs/index.ipynb: run 'make readme'"; exit 1; fi && \
	rm -rf $$tmp && echo "README.md in sync with nbs/index.ipynb"

# README.md's python blocks run as pasted (fresh process, empty temp dir), its `ballfast ...` lines parse
check-examples: $(STAMP)
	$(BIN)/python tools/readme_examples.py README.md

# the documentation site in _docs/ (open _docs/index.html): the notebooks as committed, nothing re-executed, offline
docs: $(STAMP)
	$(BIN)/python tools/docs.py --out _docs

# the site is built (in a temp dir), its links and images resolve, and headless Chromium shows the home page and the
# detection tutorial without console errors or requests off the machine (screenshots kept in the temp dir printed)
check-docs: $(STAMP)
	@tmp=$$(mktemp -d) && $(BIN)/python tools/docs.py --out $$tmp/site >/dev/null && \
	$(BIN)/python tools/check_docs.py $$tmp/site --shots $$tmp/screenshots && rm -rf $$tmp/site

bench: $(STAMP)
	$(BIN)/python bench/data_speed.py
