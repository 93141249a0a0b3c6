"""Issue 12, item 5: one run at a time writes into OUT. The lock is held by the real OutLock
in this process; the second run is the real command in a process of its own."""
from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import RAW, ROOT, TABLE_SEED
from chitieu.pipeline.lock import OutLock


def test_a_second_run_into_the_same_out_exits_2_naming_the_first(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "plan.txt")
    with OutLock(out, raw):
        proc = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"chitieu: error: another chitieu run (process {__import__('os').getpid()} on ")
        assert f"reading {raw.resolve()}) is writing into {out}; wait until it ends, or pass --wait" in proc.stderr
        assert not (out / "targets.csv").exists()
    # and once it has ended
    proc = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_with_wait_the_second_run_starts_when_the_first_ends(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "plan.txt")
    with OutLock(out, raw):
        proc = subprocess.Popen([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out), "--wait"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stderr.readline()  # it says it waits, then waits
            assert line.startswith("chitieu: WARNING: waiting for another chitieu run (process "), line
            assert proc.poll() is None and not (out / "targets.csv").exists()
        except BaseException:
            proc.kill()
            raise
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert (out / "targets.csv").is_file()
