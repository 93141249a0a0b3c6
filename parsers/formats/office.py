"""Old Word .doc, OpenDocument .odt and .rtf: LibreOffice converts the file to .docx in a
temporary folder, and the docx reader reads that, so these files give exactly the structure a
.docx gives.

LibreOffice runs headless, with a time limit, and with a user profile of its own for each
worker process: two instances sharing a profile wait on each other's lock or fail, so the
parallel workers of a batch never share one. The profile is made once per process (starting
on a new profile costs a few seconds) and removed when the process ends. When LibreOffice
is not installed, these files fail with a sentence saying what to install; the rest of the
batch runs.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from ..model import RawDocument, UnreadableDocument
from .docx import read_docx

TIMEOUT = 120  # seconds for one conversion; the batch's own time limit may end it sooner
INSTALL = "apt-get install libreoffice-writer"
_profiles: dict[int, Path] = {}


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile() -> Path:
    """This process's own LibreOffice user profile (a forked worker gets its own)."""
    pid = os.getpid()
    if pid not in _profiles:
        _profiles[pid] = Path(tempfile.mkdtemp(prefix="chitieu-libreoffice-"))
        atexit.register(shutil.rmtree, _profiles[pid], True)
    return _profiles[pid]


def convert_to_docx(path: Path, outdir: Path, timeout: float = TIMEOUT) -> Path:
    """`path` converted by LibreOffice into `outdir`; UnreadableDocument when it cannot be."""
    program = soffice()
    kind = path.suffix.lower()
    if program is None:
        raise UnreadableDocument(
            f"reading a {kind} file needs LibreOffice, which is not installed on this machine; "
            f"install it ({INSTALL}), or open the file and save it as .docx"
        )
    command = [program, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--invisible",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(path.resolve())]
    # A session of its own, so that the whole LibreOffice process group can be ended at once,
    # whether the conversion times out here or the batch's time limit interrupts the wait.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(
            f"LibreOffice took more than {timeout:.0f} s to convert the {kind} file; "
            f"open it and save it as .docx"
        ) from None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    converted = outdir / f"{path.stem}.docx"
    if process.returncode != 0 or not converted.is_file() or converted.stat().st_size == 0:
        raise UnreadableDocument(
            f"LibreOffice could not convert the {kind} file (it may be damaged, password-protected "
            f"or not really a {kind} file); open it in Word or LibreOffice and save it as .docx"
        )
    return converted


def read_office(path: Path) -> RawDocument:
    """A .doc, .odt or .rtf file, read as the .docx LibreOffice makes of it."""
    with tempfile.TemporaryDirectory(prefix="chitieu-convert-") as outdir:
        doc = read_docx(convert_to_docx(path, Path(outdir)))
    return replace(doc, format=path.suffix.lower().lstrip("."))
