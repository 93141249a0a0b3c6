"""The `chitieu` command: parses options, calls the library, turns its errors into messages.

Exit status: 0 every document was read; 1 some failed (outputs for the rest are written);
2 chitieu could not run: a usage error, an unwritable or full output folder, another run
writing into it, no documents at all (nothing is written, the previous outputs stay).
"""
from __future__ import annotations

import argparse
import logging
import math
import sys
from pathlib import Path

# Only what parsing the options needs is imported here: `--version` and `--help` answer
# before the pipeline (pandas, pyarrow, the readers) is imported.
from .inputs import CORRECTIONS_NAME
from .settings import GB, MB, UsageError, raw_location

FORMATS = ".docx .doc .odt .rtf .pdf (text or scanned) .xlsx .html .htm .md .markdown .txt"
EXTRACT_EXAMPLE = f"""formats read: {FORMATS}
outputs in OUT:
  targets     every target, typed (csv, parquet; a sheet of targets.xlsx)
  documents   one row per input file: ok, failed (with a sentence), skipped
  actuals     values reached or estimated, as reports state them
  indicators  one row per indicator of one place, linked across documents
  scorecard   each target against what was reached: verdict, margin
  left_out    numbers in a document that gave no row, and why
  targets.xlsx (every table a sheet), datapackage.json, report.html (+ report_files/)

example:
  chitieu extract raw extracted --jobs 2
  (reads every document under raw/ at any depth; raw/{CORRECTIONS_NAME} corrects rows by hand)
  chitieu extract s3://archive/raw extracted --cluster tcp://scheduler:8786
  (each document a task on a Dask cluster, whose workers read it from the store)"""

REPORT_EXAMPLE = """example:
  chitieu report extracted --raw raw"""


def memory_size(text: str) -> int:
    """A --max-memory: 2G, 1.5G, 800M (bytes when no unit).

    >>> memory_size("2G"), memory_size("800M"), memory_size("1.5g")
    (2147483648, 838860800, 1610612736)
    """
    units = {"g": GB, "gb": GB, "m": MB, "mb": MB, "": 1}
    cleaned = text.strip().lower()
    number = cleaned.rstrip("gbm")
    unit = cleaned[len(number):]
    try:
        value = float(number) * units[unit]
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size; write it as 2G or 800M") from None
    if not math.isfinite(value) or value <= 0 or value > 2 ** 50:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size a machine has; write it as 2G or 800M")
    return int(value)


def seconds(text: str) -> float:
    """A --timeout: a positive, finite number of seconds (nan and inf are not)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive, finite number of seconds")
    return value


def version() -> str:
    from .. import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chitieu",
        description="Turn Vietnamese planning documents (target tables, resolutions) into typed target datasets.",
        epilog="example:\n  chitieu extract raw extracted",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"chitieu {version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="say what is done, document by document")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors (no summary, no progress)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = commands.add_parser(
        "extract", help="read every document under RAW and write the datasets into OUT",
        description="Read every document under RAW (any depth) and write its targets, what was reached,\n"
                    "the scorecard and what was left out into OUT, as CSV, Parquet, an Excel workbook\n"
                    "and an HTML report. A file that cannot be read is listed as failed with a sentence;\n"
                    "the rest still runs. Exit status: 0 all read, 1 some failed, 2 nothing could be\n"
                    "done (the previous outputs are unchanged).",
        epilog=EXTRACT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("raw", help="folder of input documents, read at any depth (formats below); or an "
                                "fsspec URL (file://, s3://, gs://) the cluster's workers read from")
    ex.add_argument("out", type=Path, help="folder for the outputs (created if missing)")
    ex.add_argument("-j", "--jobs", type=int, default=0,
                    help="documents read at once, in separate processes (default 0: one per core)")
    ex.add_argument("--no-cache", action="store_true",
                    help="read every document again instead of reusing results of unchanged files")
    ex.add_argument("--timeout", type=seconds, default=300.0,
                    help="seconds one document may take before it is reported as failed (default 300)")
    ex.add_argument("--max-memory", type=memory_size, default=None, metavar="SIZE",
                    help="memory one worker may use, e.g. 1G or 800M; a document that needs more fails "
                         "(default: the machine's memory shared among the workers, at most 2G)")
    ex.add_argument("--retry-failed", action="store_true",
                    help="read again the documents whose failure is cached (a failure is not retried "
                         "otherwise until the file changes, or a time-out until --timeout grows)")
    ex.add_argument("--cluster", metavar="ADDRESS", default=None,
                    help="read the documents on a Dask cluster: a scheduler's address (tcp://host:8786), or "
                         "local:N for N worker processes on this machine; the outputs are the same")
    ex.add_argument("--wait", action="store_true",
                    help="when another run is writing into OUT, wait for it to end instead of stopping")
    # also accepted after the command (`chitieu extract -q …`); SUPPRESS keeps `chitieu -q extract …`
    ex.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                    help="say what is done, document by document")
    ex.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                    help="print only errors (no summary, no progress)")

    rp = commands.add_parser(
        "report", help="re-render OUT/report.html from the outputs, without reading documents",
        description="Re-render OUT/report.html from OUT's targets and documents files.",
        epilog=REPORT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rp.add_argument("out", type=Path, help="folder holding targets.parquet and documents.parquet")
    rp.add_argument("--raw", type=Path, default=Path("raw"),
                    help=f"folder whose {CORRECTIONS_NAME} lists the corrections (default raw)")
    return parser


def _extract(args) -> int:
    from .run import Settings, run_extract

    raw, raw_url = raw_location(args.raw)
    settings = Settings(raw=raw, out=args.out, jobs=args.jobs, use_cache=not args.no_cache,
                        timeout=args.timeout, progress=not args.quiet and sys.stderr.isatty(),
                        retry_failed=args.retry_failed, wait=args.wait, max_memory=args.max_memory,
                        cluster=args.cluster, raw_url=raw_url, quiet=args.quiet)
    summary = run_extract(settings)
    for error in summary.failures:
        print(f"failed: {error}", file=sys.stderr)
    for stale in summary.stale:
        print(f"stale correction (line {stale['line']}): {stale['reason']}", file=sys.stderr)
    if not args.quiet:
        print(f"chitieu: {summary.line(settings.out)}")
    return summary.exit_status


def _report(args) -> int:
    from .report import render_report_from_outputs

    if not (args.out / "targets.parquet").exists() and not (args.out / "targets.csv").exists():
        raise UsageError(f"{args.out} holds no outputs yet; run `chitieu extract RAW {args.out}` first")
    import pyarrow

    try:
        path = render_report_from_outputs(args.out, args.raw / CORRECTIONS_NAME)
    except (pyarrow.ArrowException, UnicodeDecodeError, KeyError) as e:  # a damaged or foreign output file
        raise UsageError(f"the outputs in {args.out} cannot be read ({type(e).__name__}: {str(e)[:200]}); "
                         f"run `chitieu extract RAW {args.out}` again to write them anew") from None
    if not args.quiet:
        print(f"chitieu: wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING
    logging.basicConfig(level=level, format="chitieu: %(levelname)s: %(message)s")
    # pdfminer warns about every odd font; that is not the data team's concern
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from .corrections import CorrectionsError

    try:
        return {"extract": _extract, "report": _report}[args.command](args)
    except UsageError as e:
        print(f"chitieu: error: {e}", file=sys.stderr)
        return 2
    except CorrectionsError as e:
        joint = " " if str(e).endswith(("?", ".")) else "; "  # "did you mean value_low?"
        fix = "fix that line" if ", line " in str(e) else "fix that"
        print(f"chitieu: error: {e}{joint}{fix} and run again (the previous outputs are unchanged)",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("chitieu: interrupted; the previous outputs are unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
