# gradscenes: two user-facing targets.
#   make gallery   render every scene into renders/ (QUALITY=l|m|h|k, JOBS=N, SCENES="A B",
#                  SPLIT=1: one scene at a time, its animations split across the JOBS processes)
#   make test      run the whole test suite
# Both set everything up first (Debian packages, .venv, pip install -e .[test]); when that is
# already done they only check it, in about a second.

QUALITY ?= l
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SCENES ?=
SPLIT ?=
PYTHON := .venv/bin/python

.PHONY: gallery test setup

gallery: setup
	$(PYTHON) tools/gallery.py --quality $(QUALITY) --jobs $(JOBS) $(if $(SPLIT),--split) $(SCENES)

test: setup
	$(PYTHON) -m pytest $(PYTEST_ARGS)

setup:
	@bash tools/setup.sh
