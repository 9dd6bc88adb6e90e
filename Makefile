# Posting with Care — the two commands: `make course` and `make test` (`make lab` for trainers;
# `make check`, the quick loop for developers).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(abspath $(VENV))/bin
# nbgrader runs `alembic` in a subprocess, so the venv's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
LAB_ARGS ?=
COURSE_ARGS ?=
PYTEST_ARGS ?=

.PHONY: course lab hub hub-close test check venv system-deps exercises lint typecheck bench clean present print

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

## Open the learner app (Voilà) on the course's home page. Options: COURSE_ARGS="--no-browser --port N".
course: venv
	$(BIN)/python -m course.app.course $(COURSE_ARGS)

## For trainers and authors: the whole folder in JupyterLab, on the welcome lesson.
lab: venv
	$(BIN)/python -m course.app.lab $(LAB_ARGS)

## A room on JupyterHub for a workshop (root): make hub ROSTER=roster.csv [HUB_ARGS="--port 443 ..."]
ROSTER ?=
HUB_ARGS ?=
hub: venv
	@test -n "$(ROSTER)" || { echo "make hub needs a roster: make hub ROSTER=roster.csv (columns id,first_name,last_name,email)"; exit 2; }
	$(BIN)/python -m hub open $(ROSTER) $(HUB_ARGS)

## Remove a room's accounts (with their homes and work) after the workshop (root).
hub-close: venv
	$(BIN)/python -m hub close --remove-accounts $(HUB_ARGS)

## Install Chromium, fonts and PostgreSQL when missing (needs root; skipped otherwise).
system-deps:
	bash scripts/system-deps.sh

## For trainers: open a session in the presentation view (make present SESSION=two-and-a-half-hours).
SESSION ?= two-and-a-half-hours
present: venv
	$(BIN)/python -m course.workshop present $(SESSION)

## For trainers: the facilitator's guide and the handouts as PDFs, in workshop-print/.
print: venv
	bash scripts/system-deps.sh pdf
	$(BIN)/python -m course.workshop print --out workshop-print

## Regenerate exercises/ (nbgrader release) from solutions/ (nbgrader source).
exercises: venv
	$(BIN)/python -m grader release

## Time the cohort command against plain `nbgrader autograde` (about 15 minutes).
bench: venv
	$(BIN)/python benchmarks/bench_cohort.py

lint: venv
	$(BIN)/ruff check .

## Type-check the course, the grader and the room (settings in pyproject.toml).
typecheck: venv
	$(BIN)/mypy

## The quick developer loop, no root needed (a few minutes): ruff, mypy, the two drift checks
## (lessons and exercises up to date with their sources), and every test that needs no
## browser, PostgreSQL or fresh install.
CHECK_MARKERS ?= not browser and not postgres and not install and not hub
check: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m course.authoring.build_lessons --check
	$(BIN)/python -m grader release --check
	$(BIN)/python -m pytest -q -m "$(CHECK_MARKERS)" $(PYTEST_ARGS)

## Set up everything and run the whole test suite.
test: venv system-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
