"""The one table of note meanings: every code the code can write is in it, and the README
shows that same table."""
from __future__ import annotations

from conftest import ROOT
from chitieu.normalizers.notes import NOTE_CODES, markdown_table


def test_every_note_the_pipeline_writes_has_a_meaning():
    """Every note on every row of the seeds, the corpus and the blind set is in the table."""
    from chitieu.pipeline.extract import extract_document

    folders = [ROOT / "raw", ROOT / "tests" / "corpus" / "raw", ROOT / "tests" / "blind" / "raw"]
    written = set()
    for folder in folders:
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            for row in extract_document(path, folder).targets:
                written |= {n.split(":", 1)[0] for n in (row["notes"] or "").split(";")} - {""}  # ocr_confidence:0.96
    assert written and written <= set(NOTE_CODES), written - set(NOTE_CODES)
    assert all(note.en and note.vi for note in NOTE_CODES.values())


def test_the_readme_shows_the_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- notes:start -->")[1].split("<!-- notes:end -->")[0].strip()
    assert shown == markdown_table()
