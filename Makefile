# Every target sets itself up: a fresh clone needs nothing but python3 (>= 3.11).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RAW    ?= raw
OUT    ?= extracted
ARGS   ?=

.PHONY: extract test bench bench-cluster report clean install system-packages

# Re-install when the project's metadata changes (the stamp is older than pyproject.toml).
$(STAMP): pyproject.toml parsers/formats/_pdfium_loop.c
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

# Tesseract (OCR) and LibreOffice (.doc/.odt/.rtf) from Debian's packages, when missing.
system-packages:
	@bash .ci/system-packages

extract: $(STAMP) system-packages
	$(BIN)/chitieu extract $(RAW) $(OUT) $(ARGS)

report: $(STAMP)
	$(BIN)/chitieu report $(OUT)

test: $(STAMP) system-packages
	$(BIN)/python -m pytest $(ARGS)

# The local run, then the cluster: 1 and 2 Dask workers on a text and a scan batch, a 100-page
# scan, the national archive's workers × hours (bench-cluster alone takes its own ARGS).
LONG_SCAN ?= 100
bench: $(STAMP) system-packages
	$(BIN)/python -m bench.run $(ARGS)
	$(BIN)/python -m bench.cluster --long-scan $(LONG_SCAN)

bench-cluster: $(STAMP) system-packages
	$(BIN)/python -m bench.cluster $(ARGS)

clean:
	rm -rf $(VENV) $(OUT) *.egg-info .pytest_cache .hypothesis
