"""Old Word .doc, OpenDocument .odt and .rtf: LibreOffice converts the file to .docx in a
temporary folder, and the docx reader reads that, so these files give exactly the structure a
.docx gives.

LibreOffice runs headless, with a time limit, and with a user profile of its own for each
worker process: two instances sharing a profile wait on each other's lock or fail, so the
parallel workers of a batch never share one. The profile is made once per process (starting
on a new profile costs a few seconds) and removed when the process ends. When LibreOffice
is not installed, these files fail with a sentence saying what to install; the rest of the
batch runs.

A document can link to content elsewhere (an image at an address, an OLE link), and
LibreOffice fetches it while converting: a file from someone else would make this machine
send requests to any address it can reach. So LibreOffice runs without a network: in a
network namespace of its own (`unshare --net`, as an unprivileged user through a user
namespace) where the system allows it, and in any case with a profile whose proxy is a port
nothing listens on. It converts a copy of the file under a name of ours (a name with control
characters, or a link swapped in, never reaches its command line), and its temporary files go
into the conversion's own folder, removed with it.
"""
from __future__ import annotations

import atexit
import functools
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


# The profile's settings: every fetch goes to a proxy on the discard port, where nothing answers.
_NO_NETWORK_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
""" + "".join(
    f'<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="{name}" oor:op="fuse">'
    f"<value>{value}</value></prop></item>\n"
    for name, value in (("ooInetProxyType", 1), ("ooInetHTTPProxyName", "127.0.0.1"), ("ooInetHTTPProxyPort", 9),
                        ("ooInetHTTPSProxyName", "127.0.0.1"), ("ooInetHTTPSProxyPort", 9),
                        ("ooInetFTPProxyName", "127.0.0.1"), ("ooInetFTPProxyPort", 9), ("ooInetNoProxy", ""))
) + "</oor:items>\n"


def _profile() -> Path:
    """This process's own LibreOffice user profile (a forked worker gets its own), made in
    the process's temporary folder (a worker's is removed by the batch when it ends)."""
    pid = os.getpid()
    if pid not in _profiles:
        profile = Path(tempfile.mkdtemp(prefix="chitieu-libreoffice-"))
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(_NO_NETWORK_PROFILE, encoding="utf-8")
        _profiles[pid] = profile
        atexit.register(shutil.rmtree, profile, True)
    return _profiles[pid]


def remove_profile() -> None:
    """Remove this process's profile now (a forked worker ends without running atexit)."""
    profile = _profiles.pop(os.getpid(), None)
    if profile is not None:
        shutil.rmtree(profile, ignore_errors=True)


@functools.cache
def no_network_prefix() -> tuple[str, ...]:
    """The command that runs a program with no network, if this system allows one: a
    network namespace of its own holds only a loopback that is down."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "--net"), (unshare, "--net", "--map-root-user")):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            continue
    return ()


def convert_to_docx(path: Path, outdir: Path, timeout: float = TIMEOUT) -> Path:
    """`path` converted by LibreOffice into `outdir`; UnreadableDocument when it cannot be."""
    program = soffice()
    kind = path.suffix.lower()
    if program is None:
        raise UnreadableDocument(
            f"reading a {kind} file needs LibreOffice, which is not installed on this machine; "
            f"install it ({INSTALL}), or open the file and save it as .docx"
        )
    command = [*no_network_prefix(), program, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--invisible",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(path.resolve())]
    # A session of its own, so that the whole LibreOffice process group can be ended at once,
    # whether the conversion times out here or the batch's time limit interrupts the wait.
    environment = {**os.environ, "TMPDIR": str(outdir), "http_proxy": "http://127.0.0.1:9",
                   "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}  # its lu*.tmp files die with outdir
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               start_new_session=True, env=environment)
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


def read_office(path: Path, kind: str | None = None) -> RawDocument:
    """A .doc, .odt or .rtf file (`kind` its extension, when `path` does not say it), read as
    the .docx LibreOffice makes of a copy of it."""
    kind = (kind or path.suffix).lower()
    with tempfile.TemporaryDirectory(prefix="chitieu-convert-") as folder:
        copy = Path(folder) / f"document{kind}"
        shutil.copyfile(path, copy)
        outdir = Path(folder) / "out"
        outdir.mkdir()
        doc = read_docx(convert_to_docx(copy, outdir))
    return replace(doc, format=kind.lstrip("."))
