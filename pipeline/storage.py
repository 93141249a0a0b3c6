"""RAW on a store: an fsspec URL (file:// on a shared filesystem, memory://, s3://, gs://).

The client only lists the store (names, sizes, kinds): every byte of a document is read by the
worker that needs it, to hash it (the cache is keyed by content, so the client must know every
document's SHA-256 before it decides what to read) and then to read it. A worker copies the
document into its own scratch folder and reads that copy with the readers a local run uses, so
what a document gives does not depend on where it was stored. corrections.csv, which is not a
document and holds at most 16 MB, is fetched by the client.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path, PurePosixPath

from ..parsers.formats import limits
from ..parsers.model import UnreadableDocument
from .inputs import CORRECTIONS_NAME, Found, _link_problem, display_source
from .settings import UsageError

BLOCK = 1024 * 1024  # bytes read from the store at a time: memory stays flat however large the file


def filesystem(url: str):
    """The fsspec filesystem of `url` and the folder's path on it (without a trailing /)."""
    import fsspec.core

    try:
        fs, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as e:  # a protocol whose package is not installed (s3fs, gcsfs)
        raise UsageError(f"the input {url} cannot be opened ({e}); install the package fsspec names for it") from None
    return fs, root.rstrip("/") or "/"


def list_documents(url: str, out: Path | None = None, outputs: tuple[str, ...] = ()) -> list[Found]:
    """Every file under the URL at any depth, in a stable order, as the local listing gives them
    (inputs.discover): hidden files, corrections.csv and our own outputs (when OUT is inside a
    file:// RAW) are not documents; a link is read only when it leads to a file inside RAW.
    Found.path is the file's path on the store."""
    fs, root = filesystem(url)
    try:
        if not fs.isdir(root):
            problem = "is a file, not a folder" if fs.exists(root) else "does not exist"
            raise UsageError(f"the input folder {url} {problem}; put the documents in a folder and pass that")
        entries = fs.find(root, detail=True, withdirs=False)
    except OSError as e:
        raise UsageError(f"the input folder {url} cannot be listed ({e.strerror or e}); check the address "
                         f"and your access to it") from None
    local = fs.protocol in ("file", "local") or "file" in fs.protocol
    out_parts = _parts_inside(out, root) if local and out is not None else None
    found = []
    for path, info in entries.items():
        if not path.startswith(root.rstrip("/") + "/"):
            continue
        parts = tuple(path[len(root.rstrip("/")) + 1:].split("/"))
        if any(p.startswith((".", "~$")) for p in parts) or parts == (CORRECTIONS_NAME,):
            continue
        if out_parts is not None and parts[:len(out_parts)] == out_parts and len(parts) > len(out_parts) \
                and parts[len(out_parts)] in outputs:
            continue
        found.append(Found(PurePosixPath(path), display_source("/".join(parts)), _problem(info, path, root, local)))
    return sorted(found, key=lambda f: f.source)


def _parts_inside(out: Path, root: str) -> tuple[str, ...] | None:
    out = out.resolve()
    return out.relative_to(Path(root).resolve()).parts if out.is_relative_to(Path(root).resolve()) else None


def _problem(info: dict, path: str, root: str, local: bool) -> str | None:
    if local and info.get("islink"):
        problem = _link_problem(Path(path), Path(root).resolve())
        if problem == "folder":
            return ("it is a link to a folder, and links to folders are not followed; "
                    "move or copy the folder into the input folder to read it")
        return problem
    if info.get("type", "file") != "file":
        return "it is not a regular file; put the document itself in the folder"
    return None


def url_sha256(url: str, path: str) -> str:
    """The SHA-256 of a stored file's bytes, read in blocks (on a worker). Raises OSError."""
    fs, _ = filesystem(url)
    digest = hashlib.sha256()
    with fs.open(path, "rb") as f:
        while block := f.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


class _Size:
    """A file known only by its size, for the limits' own sentence."""

    def __init__(self, size: int):
        self.size = size

    def stat(self) -> os.stat_result:
        return os.stat_result((0, 0, 0, 0, 0, 0, self.size, 0, 0, 0))


def too_large(url: str, path: str) -> str | None:
    """The limits' sentence for a stored file larger than any file chitieu reads, before a
    byte of it is copied; None when it may be read."""
    fs, _ = filesystem(url)
    size = fs.size(path)
    try:
        limits.check_file_size(_Size(size or 0))
    except UnreadableDocument as e:
        return str(e)
    return None


def fetch(url: str, path: str, into: Path) -> None:
    """Copy a stored file into `into`, a file of the worker's scratch folder."""
    fs, _ = filesystem(url)
    with fs.open(path, "rb") as source, open(into, "wb") as copy:
        shutil.copyfileobj(source, copy, BLOCK)


def fetch_corrections(url: str, into: Path) -> Path | None:
    """The store's corrections.csv copied to `into` (a local file the corrections reader checks
    as it checks any); None when the store has none."""
    fs, root = filesystem(url)
    path = f"{root.rstrip('/')}/{CORRECTIONS_NAME}"
    try:
        if not fs.isfile(path):
            return None
        if (fs.size(path) or 0) > 16 * 1024 * 1024 + 1:
            raise UsageError(f"{url}/{CORRECTIONS_NAME} is larger than 16 MB; corrections are one line per fix")
        fetch(url, path, into)
    except OSError as e:
        raise UsageError(f"{url}/{CORRECTIONS_NAME} cannot be read ({e.strerror or e})") from None
    return into
