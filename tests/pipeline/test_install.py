"""Issues 12 and 21: a plain install works. The project is built into a wheel, the wheel
installed (not editable) into a fresh venv, and that venv's `chitieu` extracts the seeds
from a folder far from the source tree, as a command and as a library imported from a folder
that holds a `pipeline/` package of its own. Slow (a build and an install): one test.

The fresh venv takes chitieu's dependencies from the project's .venv (a .pth line), so the
test needs no network; .pth files there are not run, so the editable install stays inactive
and `chitieu` can only come from the wheel, as the test checks."""
from __future__ import annotations

import csv
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import RAW, ROOT, FORMS, PROSE_SEED, TABLE_SEED
from goldcheck import read_gold


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_a_wheel_installed_into_a_fresh_venv_extracts_the_seeds(tmp_path):
    source = tmp_path / "source"
    tracked = run("git", "ls-files", cwd=ROOT).stdout.split()
    for name in tracked:
        if name.startswith(("chitieu/", "pipeline/", "parsers/", "normalizers/")) or name in ("pyproject.toml", "README.md"):
            if (ROOT / name).is_file():
                (source / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "-w", tmp_path / "dist", source)
    (wheel,) = (tmp_path / "dist").glob("chitieu-*.whl")

    fresh = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", "--without-pip", fresh)
    fresh_python = fresh / "bin" / "python"
    purelib = Path(run(fresh_python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip())
    (purelib / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", fresh_python, "install", "--quiet", "--no-deps", wheel)

    located = run(fresh_python, "-c", "import chitieu, chitieu.parsers.layouts, chitieu.pipeline.cache as c; "
                  "print(chitieu.__file__); print(len(c._own_files())); "
                  "print(all(str(p).startswith(%r) for _, p in c._own_files()))" % str(purelib),
                  cwd=tmp_path).stdout.split()
    assert located[0].startswith(str(purelib)), located
    assert int(located[1]) > 20 and located[2] == "True"  # the fingerprint hashes the installed files
    assert (purelib / "chitieu" / "parsers" / "layouts" / "header.toml").is_file()
    assert (purelib / "chitieu" / "py.typed").is_file()
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler):  # the PDF reader's C loop is built into the wheel
        assert list((purelib / "chitieu" / "parsers" / "formats").glob("_pdfium_loop*.so"))
    assert not (purelib / "pipeline").exists()  # nothing installed under a name a user's folder may hold

    raw = tmp_path / "raw"
    raw.mkdir()
    for stem in (TABLE_SEED, PROSE_SEED):
        for form in FORMS:
            shutil.copyfile(RAW / f"{stem}.{form}", raw / f"{stem}.{form}")
    proc = run(fresh / "bin" / "chitieu", "extract", raw, tmp_path / "out", "--jobs", "2", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["status"] for r in rows] == ["ok"] * 6, [r["error"] for r in rows]
    expected = 3 * (len(read_gold(TABLE_SEED)) + len(read_gold(PROSE_SEED)))
    assert sum(int(r["targets"]) for r in rows) == expected
    assert run(fresh / "bin" / "chitieu", "--version").stdout == "chitieu 0.1.0\n"

    # the library, from a data project's folder that has a `pipeline` package of its own
    project = tmp_path / "project"
    (project / "pipeline").mkdir(parents=True)
    (project / "pipeline" / "__init__.py").write_text("OURS = True\n")
    frames = run(fresh_python, "-c", (
        "import chitieu, pipeline; assert pipeline.OURS; "
        "r = chitieu.extract(%r); "
        "print(chitieu.__version__); "
        "print(' '.join(f'{n}:{len(getattr(r, n))}:{type(getattr(r, n)).__name__}' "
        "for n in ('targets', 'documents', 'actuals', 'indicators', 'scorecard'))); "
        "print(r.targets['value_low'].dtype)") % str(raw), cwd=project).stdout.split("\n")
    assert frames[0] == "0.1.0"
    counts = {n: (int(k), kind) for n, k, kind in (item.split(":") for item in frames[1].split())}
    assert {kind for _, kind in counts.values()} == {"DataFrame"}
    assert counts["targets"][0] == expected and counts["documents"][0] == 6
    assert counts["indicators"][0] > 0, counts  # the seeds are plans: no actuals, so no verdicts to score
    assert frames[2].startswith("double[pyarrow]")
