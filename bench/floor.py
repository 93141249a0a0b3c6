"""The floor: what it costs only to open the documents and read them out with the libraries the
pipeline is built on, doing nothing with what comes back. The pipeline's time over the floor's
says how much of its cost is its own.

    python -m bench.floor FOLDER     # reads every .pdf/.docx/.txt under FOLDER, prints JSON

Run as its own process (like the pipeline) so both pay the same interpreter start-up.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import docx
import pdfplumber


def read_pdf(path: Path) -> int:
    """Every page's text and tables, as pdfplumber gives them; returns the page count."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()  # drop the page's parsed objects, as a reader that moves on would
        return len(pdf.pages)


def read_docx(path: Path) -> int:
    """Every paragraph's text and every table cell's text."""
    document = docx.Document(path)
    for paragraph in document.paragraphs:
        paragraph.text
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.text
    return 0


def read_txt(path: Path) -> int:
    path.read_bytes().decode("utf-8")
    return 0


READERS = {".pdf": read_pdf, ".docx": read_docx, ".txt": read_txt}


def read_folder(folder: Path) -> dict[str, float | int]:
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in READERS)
    start = time.perf_counter()
    pages = sum(READERS[p.suffix.lower()](p) for p in paths)
    return {"files": len(paths), "pages": pages, "seconds": time.perf_counter() - start}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m bench.floor FOLDER", file=sys.stderr)
        return 2
    print(json.dumps(read_folder(Path(args[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
