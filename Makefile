# gradscenes: two user-facing targets.
#   make gallery   render every scene into renders/ (QUALITY=l|m|h|p|k, JOBS=N, SCENES="A B",
#                  SPLIT=1: one scene at a time, its animations split across the JOBS processes;
#                  SPLIT=0, the default, renders each scene whole). It runs `gradscenes gallery`.
#   make test      run the whole test suite
# Both set everything up first (Debian packages, .venv, pip install -e .[test,notebook],
# reveal.js); when that is already done they only check it, in about a second.

QUALITY ?= l
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SCENES ?=
SPLIT ?= 0
PYTHON := .venv/bin/python

.PHONY: gallery test setup

gallery: setup
	$(if $(filter-out 0 1,$(SPLIT)),$(error SPLIT=$(SPLIT): use SPLIT=1 to split each scene across the JOBS processes, SPLIT=0 not to))
	.venv/bin/gradscenes gallery --quality=$(QUALITY) --jobs=$(JOBS) $(if $(filter 1,$(SPLIT)),--split) $(SCENES)

test: setup
	$(PYTHON) -m pytest -n auto $(PYTEST_ARGS)

setup:
	@bash tools/setup.sh
