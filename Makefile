# PM Desk: the two commands are `make run` and `make test`; everything else is for developers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PYTEST_WORKERS ?= auto

.PHONY: run test test-fast test-package torture lint typecheck screenshots bench package system-deps clean demo

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip setuptools wheel

# Reinstall only when the project's metadata changes (the install is editable).
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -q -e '.[dev]'
	touch $@ $(VENV)/.installed-run

## run: install, create the demo database on first run, start the desktop app
run: $(VENV)/.installed-run
	$(PY) -m pm_desk demo --if-missing
	$(PY) -m pm_desk

## test: install with test extras and the system packages the tests use, lint, type-check, run the suite
test: $(VENV)/.installed-test system-deps
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(PYTEST_WORKERS) -q -m "not package"

test-fast: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(PYTEST_WORKERS) -q -m "not slow and not postgres"

## torture: the fault loops of tests/faults (kills, a full disk, concurrent writers) a thousand rounds
## each; prints tried / held / failed per loop (TORTURE_ROUNDS to change the count)
TORTURE_ROUNDS ?= 1000
torture: $(VENV)/.installed-test
	@mkdir -p build && rm -f build/torture.txt
	QT_QPA_PLATFORM=offscreen PM_DESK_FAULT_ROUNDS=$(TORTURE_ROUNDS) PM_DESK_FAULT_REPORT=$(CURDIR)/build/torture.txt \
		$(PY) -m pytest -q -p no:randomly --timeout=0 -n $(PYTEST_WORKERS) tests/faults; \
		status=$$?; cat build/torture.txt 2>/dev/null; exit $$status

system-deps:
	scripts/ensure-system-deps.sh

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts

typecheck: $(VENV)/.installed-test
	$(VENV)/bin/mypy

demo: $(VENV)/.installed-run
	$(PY) -m pm_desk demo --scale program --force

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

## screenshots: a PNG of the main window on every page (under Xvfb) into screenshots/
screenshots: $(VENV)/.installed-run system-deps
	xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb $(PY) scripts/screenshots.py screenshots

## bench: the figures of DESIGN.md's performance table at `large`, as one JSON object (benchmarks/)
bench: $(VENV)/.installed-test system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks $(BENCH_ARGS)

## package: the one-folder desktop app with PyInstaller, into dist/pm-desk/ (packaging/README.md)
package: $(VENV)/.installed-test system-deps
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/pm-desk.spec
	@du -sh dist/pm-desk

## test-package: build the package and run the frozen app's --self-test (tests/test_package.py)
test-package: $(VENV)/.installed-test system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m package tests/test_package.py
