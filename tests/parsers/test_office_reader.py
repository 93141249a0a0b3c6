""".doc, .odt and .rtf through LibreOffice: the seeds saved in each form read as their .docx
reads and give their gold rows; without LibreOffice they fail with a sentence saying what to
install, and a conversion that hangs is ended."""
from __future__ import annotations

import os
import stat

import pytest

from conftest import PROSE_SEED, RAW, TABLE_SEED
from goldcheck import read_gold
from chitieu.parsers.formats import read_document
from chitieu.parsers.formats import office
from chitieu.parsers.formats.docx import read_docx
from chitieu.parsers.model import UnreadableDocument
from seedforms import gold_check, has_libreoffice, seed_in_office_form, structure

needs_libreoffice = pytest.mark.skipif(not has_libreoffice(), reason="LibreOffice (soffice) is not installed")
CASES = [(stem, form) for form in ("odt", "rtf", "doc") for stem in (TABLE_SEED, PROSE_SEED)]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    out = tmp_path_factory.mktemp("office")
    return {case: seed_in_office_form(case[0], case[1], out / case[1]) for case in CASES}


@needs_libreoffice
@pytest.mark.parametrize("stem,form", CASES, ids=[f"{s[:3]}-{f}" for s, f in CASES])
def test_a_seed_saved_by_libreoffice_reads_as_its_docx(saved, stem, form):
    doc = read_document(saved[stem, form])
    assert doc.format == form
    assert structure(doc) == structure(read_docx(RAW / f"{stem}.docx"))


@needs_libreoffice
@pytest.mark.parametrize("stem,form", CASES, ids=[f"{s[:3]}-{f}" for s, f in CASES])
def test_a_seed_saved_by_libreoffice_gives_its_gold_rows(saved, stem, form):
    targets, added = gold_check(saved[stem, form], stem)
    assert not added
    assert len(targets) == len(read_gold(stem))


def test_without_libreoffice_the_file_fails_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "nghi-quyet.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(UnreadableDocument, match=r"needs LibreOffice.*apt-get install libreoffice-writer"):
        read_document(path)


def fake_soffice(tmp_path, monkeypatch, script: str) -> None:
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(office, "soffice", lambda: str(program))


def test_a_conversion_that_hangs_is_ended_at_the_time_limit(tmp_path, monkeypatch):
    fake_soffice(tmp_path, monkeypatch, f"echo $$ > {tmp_path}/pid\nsleep 30\n")
    path = tmp_path / "slow.odt"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(UnreadableDocument, match="took more than 1 s"):
        office.convert_to_docx(path, tmp_path, timeout=1)
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_file_libreoffice_cannot_convert_says_so(tmp_path, monkeypatch):
    fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded' >&2\nexit 0\n")
    path = tmp_path / "broken.rtf"
    path.write_bytes(b"{\\rtf1 broken")
    with pytest.raises(UnreadableDocument, match="LibreOffice could not convert the .rtf file"):
        read_document(path)


def test_each_worker_process_has_its_own_libreoffice_profile(monkeypatch):
    here = office._profile()
    assert here == office._profile() and here.is_dir()
    monkeypatch.setattr(office.os, "getpid", lambda: -1)
    assert office._profile() != here
