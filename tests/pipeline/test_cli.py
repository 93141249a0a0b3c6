"""The `chitieu` command as a user meets it: help, exit status, messages, quiet and verbose
runs, a bad corrections file. Each test runs the real command in a process of its own."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import PROSE_SEED, RAW, ROOT, TABLE_SEED

OUTPUTS = ("targets.csv", "targets.parquet", "documents.csv", "documents.parquet", "datapackage.json", "report.html")
TWO_SEEDS = (f"{TABLE_SEED}.txt", f"{PROSE_SEED}.txt")


def chitieu(*args) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in TWO_SEEDS:
        shutil.copyfile(RAW / name, folder / name)
    return folder


def outputs(out) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


# ---------------------------------------------------------------------------- help


@pytest.mark.parametrize("args,options", [
    ((), ["extract", "report", "-v", "--verbose", "-q", "--quiet"]),
    (("extract",), ["--jobs", "--no-cache", "--timeout", "--max-memory", "--retry-failed", "--wait", "-v", "-q",
                    "RAW", "OUT"]),
    (("report",), ["--raw"]),
], ids=["chitieu", "extract", "report"])
def test_help_names_every_option_and_ends_with_an_example(args, options):
    proc = chitieu(*args, "--help")
    assert proc.returncode == 0 and proc.stderr == ""
    text = proc.stdout
    for option in options:
        assert option in text, option
    assert "\nexample:\n" in text
    example = text.rsplit("\nexample:\n", 1)[1]
    assert example.lstrip().startswith(" ".join(("chitieu", *args)).rstrip() + " ")
    assert not re.search(r"^  +-", example, re.M), "the example comes after every option"


def test_extract_help_names_every_format_and_output():
    """A newcomer learns from --help what goes in and what comes out: every reader's format
    and every output file."""
    from chitieu.parsers.formats import READERS
    from chitieu.pipeline.outputs import OUTPUT_NAMES

    text = chitieu("extract", "--help").stdout
    assert all(suffix in text for suffix in READERS), [s for s in READERS if s not in text]
    assert all(name.split(".")[0] in text for name in OUTPUT_NAMES)
    assert all(name in text for name in ("targets.xlsx", "datapackage.json", "report.html"))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["extract", "--help"]])
def test_version_and_help_answer_without_importing_the_pipeline(args):
    """Start-up: what answers --version and --help imports no reader, pandas or pyarrow."""
    code = ("import sys\nfrom chitieu.pipeline.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'pyarrow', 'lxml', 'pdfplumber', 'chitieu.pipeline.run', "
            "'chitieu.parsers.formats') if m in sys.modules]\nprint('HEAVY', heavy)") % (args,)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().endswith("HEAVY []"), proc.stdout[-300:] + proc.stderr


# ---------------------------------------------------------------------------- usage errors


def test_a_missing_raw_folder_is_a_usage_error_naming_it(tmp_path):
    missing = tmp_path / "no-such-folder"
    proc = chitieu("extract", missing, tmp_path / "out")
    assert proc.returncode == 2
    assert proc.stderr == (f"chitieu: error: the input folder {missing} does not exist; "
                           f"put the documents in a folder and pass that\n")
    assert proc.stdout == "" and not (tmp_path / "out").exists()


def test_a_file_given_as_the_raw_folder_is_a_usage_error(tmp_path):
    proc = chitieu("extract", RAW / f"{PROSE_SEED}.txt", tmp_path / "out")
    assert proc.returncode == 2
    assert f"the input folder {RAW / f'{PROSE_SEED}.txt'} is a file, not a folder" in proc.stderr


def test_a_file_given_as_the_output_folder_is_a_usage_error(raw, tmp_path):
    (tmp_path / "out").write_text("not a folder")
    proc = chitieu("extract", raw, tmp_path / "out")
    assert proc.returncode == 2
    assert proc.stderr == (f"chitieu: error: the output folder {tmp_path / 'out'} is a file; "
                           f"pass a folder (it is created if missing)\n")
    assert (tmp_path / "out").read_text() == "not a folder"


@pytest.mark.parametrize("option,message", [
    (("--jobs", "-1"), "--jobs must be 0 (one per core) or more"),
    (("--timeout", "0"), "argument --timeout: '0' is not a positive, finite number of seconds"),
    (("--timeout", "soon"), "argument --timeout: 'soon' is not a number of seconds"),
    (("--timeout", "nan"), "argument --timeout: 'nan' is not a positive, finite number of seconds"),
    (("--timeout", "inf"), "argument --timeout: 'inf' is not a positive, finite number of seconds"),
])
def test_a_bad_option_value_is_a_usage_error(raw, tmp_path, option, message):
    proc = chitieu("extract", raw, tmp_path / "out", *option)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_missing_arguments_are_a_usage_error():
    proc = chitieu("extract")
    assert proc.returncode == 2
    assert "the following arguments are required: raw, out" in proc.stderr


# ---------------------------------------------------------------------------- quiet, verbose


def test_a_good_run_exits_0_with_one_summary_line(raw, tmp_path):
    proc = chitieu("extract", raw, tmp_path / "out", "--jobs", "1")
    assert proc.returncode == 0
    assert proc.stdout == f"chitieu: 2 documents, 103 targets (5 review, 0 unparsed), 0 failed, 0 skipped → {tmp_path / 'out'}\n"
    assert proc.stderr == ""


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_prints_nothing_on_success(raw, tmp_path, where):
    args = ["-q", "extract", raw, tmp_path / "out"] if where == "before" else ["extract", raw, tmp_path / "out", "-q"]
    proc = chitieu(*args)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert (tmp_path / "out" / "targets.csv").is_file()


def test_quiet_still_prints_errors(raw, tmp_path):
    (raw / "empty.pdf").write_bytes(b"")
    proc = chitieu("-q", "extract", raw, tmp_path / "out")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == "failed: empty.pdf: the file is empty (0 bytes); copy it again from its source\n"


def test_verbose_says_what_happens_to_each_document(raw, tmp_path):
    proc = chitieu("extract", raw, tmp_path / "out", "-v", "--jobs", "1")
    assert proc.returncode == 0
    assert "chitieu: INFO: 2 documents, 0 from cache, 2 to read" in proc.stderr
    assert f"chitieu: INFO: {TABLE_SEED}.txt: read (59 targets)" in proc.stderr
    assert f"chitieu: INFO: {PROSE_SEED}.txt: read (44 targets)" in proc.stderr
    proc = chitieu("-v", "extract", raw, tmp_path / "out")
    assert f"chitieu: INFO: nothing changed since the outputs in {tmp_path / 'out'} were written; " \
           "they stay as they are" in proc.stderr
    (tmp_path / "out" / "report.html").unlink()  # an output gone: the run writes them all again
    proc = chitieu("-v", "extract", raw, tmp_path / "out")
    assert f"chitieu: INFO: {PROSE_SEED}.txt: from the cache (44 targets)" in proc.stderr
    assert (tmp_path / "out" / "report.html").is_file()


# ---------------------------------------------------------------------------- corrections


def test_a_bad_corrections_file_stops_the_run_naming_the_line(raw, tmp_path):
    out = tmp_path / "out"
    assert chitieu("extract", raw, out).returncode == 0
    before = outputs(out)
    (raw / "corrections.csv").write_text(
        "source,seq,name,field,value,note\n"
        f"{TABLE_SEED}.txt,3,Tổng vốn đầu tư,approximate,false,\n"
        f"{TABLE_SEED}.txt,4,Thu ngân sách,valeu_low,12,typo in the field\n",
        encoding="utf-8",
    )
    proc = chitieu("extract", raw, out)
    assert proc.returncode != 0 and proc.stdout == ""
    message = proc.stderr.strip()
    assert message.startswith(f"chitieu: error: {raw / 'corrections.csv'}, line 3: ")
    assert "unknown field 'valeu_low'; did you mean value_low? fix that line" in message
    assert message.endswith("fix that line and run again (the previous outputs are unchanged)")
    assert outputs(out) == before


def test_a_rerun_gives_byte_identical_outputs(raw, tmp_path):
    out = tmp_path / "out"
    assert chitieu("extract", raw, out).returncode == 0
    first = outputs(out)
    assert chitieu("extract", raw, out).returncode == 0  # from the cache
    assert outputs(out) == first
    assert chitieu("extract", raw, out, "--no-cache").returncode == 0  # read again
    assert outputs(out) == first
