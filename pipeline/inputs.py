"""Which files under raw/ are documents, and why some of them cannot be read at all.

Every entry gets a row: a link, a named pipe or a folder that cannot be opened is listed with
a sentence, never silently left out and never a reason to stop. A link is followed only to a
file inside raw/ (a link to a file elsewhere would put that file's content in the outputs);
links to folders are not followed (they can loop). A file name whose bytes are not UTF-8 is
written with its odd bytes as \\xNN, so that the outputs stay UTF-8.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

CORRECTIONS_NAME = "corrections.csv"
_FD_PATHS = Path("/proc/self/fd")  # Linux: where an open descriptor names the file it holds


@dataclass(frozen=True)
class Found:
    path: Path
    source: str  # the path relative to raw/, with '/', as the outputs write it
    problem: str | None = None  # why it cannot be read: the rest of its error sentence


# Characters a name may hold that would break a line, a row or a terminal: C0, DEL and C1.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def display_source(relative: str) -> str:
    """A path as valid UTF-8 text on one line: bytes of the name that are not UTF-8, and
    control characters (a carriage return, an escape), become \\xNN.

    >>> display_source(os.fsdecode(b"k\\xe9 ho\\xe1ch.txt"))
    'k\\\\xe9 ho\\\\xe1ch.txt'
    >>> display_source("plan\\r2024.txt")
    'plan\\\\x0d2024.txt'
    """
    text = os.fsencode(relative).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"))


def discover(raw: Path, out: Path | None = None, outputs: tuple[str, ...] = ()) -> list[Found]:
    """Every entry under raw/ at any depth, in a stable order; hidden files, the corrections
    file and our own outputs (when `out` is raw/ or inside it) are not documents."""
    root = raw.resolve()
    out_parts = None
    if out is not None and out.resolve().is_relative_to(root):
        out_parts = out.resolve().relative_to(root).parts
    found: list[Found] = []

    def add(path: Path, parts: tuple[str, ...], problem: str | None = None) -> None:
        found.append(Found(path, display_source("/".join(parts)), problem))

    def walk(folder: Path, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as e:
            add(folder, parts + ("",), f"the folder cannot be opened ({e.strerror or e}), so its files were "
                                       f"not read; check that you may read it and that its path is not too long")
            return
        for entry in entries:
            name = entry.name
            if name.startswith((".", "~$")):
                continue
            path, here = Path(entry.path), parts + (name,)
            if not parts and name == CORRECTIONS_NAME:
                continue
            if out_parts is not None and parts == out_parts and name in outputs:
                continue
            try:
                if entry.is_symlink():
                    problem = _link_problem(path, root)
                    if problem == "folder":
                        add(path, here, "it is a link to a folder, and links to folders are not followed; "
                                        "move or copy the folder into the input folder to read it")
                    else:
                        add(path, here, problem)
                elif entry.is_dir(follow_symlinks=False):
                    walk(path, here)
                elif entry.is_file(follow_symlinks=False):
                    add(path, here)
                else:
                    mode = entry.stat(follow_symlinks=False).st_mode
                    kind = next((k for test, k in _KINDS if test(mode)), "not a regular file")
                    add(path, here, f"it is {kind}, not a file; put the document itself in the folder")
            except OSError as e:
                add(path, here, f"it cannot be examined ({e.strerror or e}); check that you may read it")

    walk(raw, ())
    return sorted(found, key=lambda f: f.source)


def _link_problem(path: Path, root: Path) -> str | None:
    """None for a link to a file inside raw/; "folder" for a link to a folder; else why
    the link is not read."""
    target = Path(os.path.realpath(path))
    if not target.exists():
        return "it is a link to a file that does not exist; put the document itself in the folder"
    if target.is_dir():
        return "folder"
    if not target.is_relative_to(root):
        return ("it is a link to a file outside the input folder, which is not read; "
                "copy the file itself into the input folder to read it")
    if not target.is_file():
        return "it is a link to something that is not a file; put the document itself in the folder"
    return None


class NotInside(OSError):
    """An opened file that is not the one listed: outside raw/, or not a regular file."""


def open_regular(path: Path, follow_links: bool = True) -> int:
    """A descriptor of `path` for reading, if it is a regular file: a named pipe put in a
    file's place must not block the run (non-blocking open), a device or folder is no
    document. NotInside otherwise; with `follow_links=False` a link is refused (ELOOP)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotInside(0, "it is not a regular file")
    return fd


def open_inside(path: Path, root: Path) -> int:
    """A descriptor of `path` for reading, checked after it is opened: a regular file, inside
    `root`. Whatever the name pointed at when raw/ was listed, what is read is what this
    descriptor holds, so a file swapped for a link (or a folder for a link) after the run
    began is refused, never followed out."""
    fd = open_regular(path)
    try:
        held = Path(os.readlink(_FD_PATHS / str(fd)) if _FD_PATHS.is_dir() else os.path.realpath(path))
        if not held.is_relative_to(Path(os.path.realpath(root))):
            raise NotInside(0, "it now leads to a file outside the input folder, which is not read")
    except BaseException:
        os.close(fd)
        raise
    return fd


def opened_path(fd: int, path: Path) -> Path:
    """A name that reaches exactly the file `fd` holds (its /proc/self/fd entry), for readers
    that open by name; `path` itself where the system has no such names."""
    return _FD_PATHS / str(fd) if _FD_PATHS.is_dir() else path
