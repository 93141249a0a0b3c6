"""The benchmark harness: each measurement is its own function, checked here on tiny inputs.
Nothing is timed against a threshold; these check that the numbers are measured right."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

# `bench` is not an installed package: a bare `pytest` must find it in the checkout, as
# `python -m pytest` does from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import run as bench_run
from bench.corpus import SMALL, generate_corpus
from bench.measure import (MeasurementFailed, Run, measure, measure_extract, measure_floor,
                           normalizer_throughput, pipeline_available, time_calls)
from bench.phrases import sample_phrases
from bench.render_pdf import find_font

try:
    find_font()
except FileNotFoundError as error:
    pytest.skip(str(error), allow_module_level=True)

needs_pipeline = pytest.mark.skipif(not pipeline_available(), reason="python -m chitieu.pipeline.cli is not there yet")


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    generate_corpus(folder, 3, seed=1, mix=SMALL)
    return folder


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_peak_memory_is_the_measured_commands_own():
    big = measure(python("data = b'x' * (120 * 2**20)"))
    small = measure(python("pass"))
    assert big.peak_mib >= 120
    assert small.peak_mib < 60, "a later measurement must not inherit an earlier one's peak"
    assert big.returncode == 0 and big.seconds > 0


def test_a_failing_command_is_an_error_with_its_output():
    with pytest.raises(MeasurementFailed, match="boom"):
        measure(python("import sys; print('boom', file=sys.stderr); sys.exit(3)"))


def test_floor_measurement_counts_files_and_pages(tiny_corpus):
    floor = measure_floor(tiny_corpus)
    assert floor.files == 3 and floor.pages >= 1
    assert 0 < floor.read_seconds < floor.run.seconds


def test_time_calls_calls_once_per_argument_set():
    seen = []
    result = time_calls(lambda x, unit=None: seen.append((x, unit)), [(("a",), {"unit": "%"})] * 10, warmup=2)
    assert result.count == 10 and len(seen) == 12 and seen[0] == ("a", "%")


def test_normalizer_throughput_reads_every_phrase():
    pytest.importorskip("chitieu.normalizers.targets")
    result = normalizer_throughput(sample_phrases(200))
    assert result.count == 200 and result.per_second > 0


def test_time_calls_can_warm_up_on_other_calls():
    seen = []
    result = time_calls(seen.append, [(("timed",), {})] * 3, warmup_calls=[(("warm",), {})] * 2)
    assert result.count == 3 and seen == ["warm", "warm", "timed", "timed", "timed"]


def test_normalizer_rows_measure_the_sample_and_phrases_never_seen(monkeypatch):
    pytest.importorskip("chitieu.normalizers.targets")
    measured = []
    real = bench_run.normalizer_throughput

    def spy(phrases, warmup=None):
        measured.append((list(phrases), list(warmup or [])))
        return real(phrases, warmup=warmup)

    monkeypatch.setattr(bench_run, "normalizer_throughput", spy)
    rows = bench_run.normalizer_rows(300, seed=3)
    assert len(rows) == 2 and all(r.throughput.endswith("phrases/s") for r in rows)
    (sample, _), (fresh, warmup) = measured
    assert len(sample) == 300 and fresh and warmup
    assert not set(fresh) & set(sample) and not set(fresh) & set(warmup) and len(set(fresh)) == len(fresh)


def test_scaling_sizes_and_growth_note():
    assert bench_run.parse_sizes("1000,100") == (100, 1000)
    assert bench_run.parse_sizes("none") == ()
    first, second = (100, Run(4.0, 4.0, 100.0, 0)), (1000, Run(31.0, 31.0, 110.0, 0))
    note = bench_run.growth_note(first, first, second)
    assert "30 ms per extra doc" in note and "×0.78" in note and note.endswith("flat")
    grown = bench_run.growth_note(first, first, (1000, Run(31.0, 31.0, 200.0, 0)))
    assert "memory grows" in grown


def test_table_is_one_markdown_table():
    table = bench_run.render_table([bench_run.Row("m", "i", 1.234, "5 docs/s", 12.6, "n"),
                                    bench_run.Row("m2", "i2", None, "—", None)])
    lines = table.splitlines()
    assert lines[0].startswith("| measurement |") and len(lines) == 4
    assert lines[2] == "| m | i | 1.23 | 5 docs/s | 13 MiB | n |"


@needs_pipeline
def test_extract_measurement_runs_the_pipeline(tiny_corpus, tmp_path):
    run = measure_extract(tiny_corpus, tmp_path / "out", jobs=1)
    assert run.returncode in (0, 1) and run.peak_mib > 0
    assert (tmp_path / "out" / "documents.csv").is_file()
    assert bench_run.failed_documents(tmp_path / "out") == 0


@needs_pipeline
def test_the_whole_benchmark_on_a_tiny_corpus(tmp_path, capsys):
    out = tmp_path / "results.md"
    assert bench_run.main(["--docs", "3", "--scaling", "3,6", "--jobs", "1", "--phrases", "100",
                           "--report-docs", "0", "--large", "0", "--no-ocr", "--repeat", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    written = out.read_text(encoding="utf-8")
    assert printed in written
    table = [line for line in written.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 6 + 1 + 2 + 3 + 2  # header, per format ×2, all, normalizer ×2, cache ×3, scaling ×2
    assert "× the floor" in written and "of the first run" in written and "per extra doc" in written
    assert "1 read, 2 from the cache" in written  # the one-changed re-run read only that document
    assert written.count("× the floor** (median of 2 pairs; fastest over fastest") == 3
    assert "median of 2 runs taken in turn" in written


@needs_pipeline
def test_the_large_part_on_a_few_documents(capsys):
    from bench import large

    assert large.main(["--docs", "6", "--jobs", "1", "--cold", "1", "--repeat", "1"]) == 0
    table = capsys.readouterr().out
    assert "| 6 documents (issue 24) | figure |" in table
    assert "peak **" in table and "of the first run**" in table
    assert "1 read, 5 from the cache" in table  # the re-run read only the changed document


def test_the_median_run_is_one_of_the_runs():
    assert bench_run.median_by([3.0, 1.0, 2.0], float) == 2.0
    assert bench_run.median_by([4.0, 1.0, 3.0, 2.0], float) == 2.0  # the lower middle: a run that was


def test_the_physical_side_prints_chitieu_against_pypdfium2_on_the_same_pages(monkeypatch):
    """bench/physical.py's text rows, on the two seed PDFs once: real CPU of both, as a ratio."""
    pytest.importorskip("chitieu.normalizers.targets")
    import bench.physical as physical

    monkeypatch.setattr(physical, "SEED_COPIES", 1)
    monkeypatch.setattr(physical, "clean_pdfs", lambda: [])
    rows = dict(physical.text_rows())
    assert "(2 PDFs, " in rows["text PDFs: pypdfium2 text CPU per page"]
    reading = re.search(r"\*\*([\d.]+)×\*\* pypdfium2", rows["text PDFs: chitieu reading CPU per page"])
    whole = re.search(r"\*\*([\d.]+)×\*\* pypdfium2", rows["text PDFs: chitieu CPU per page, whole"])
    assert reading and whole
    # reading targets costs more than reading text, and the whole run more than its reading
    assert 1 < float(reading.group(1)) < float(whole.group(1))
