"""The `chitieu` command: parses options, calls the library, turns its errors into messages.

Exit status: 0 every document was read; 1 some failed (outputs for the rest are written);
2 chitieu could not run: a usage error, an unwritable or full output folder, another run
writing into it, no documents at all (nothing is written, the previous outputs stay).
"""
from __future__ import annotations

import argparse
import importlib.metadata
import logging
import math
import sys
from pathlib import Path

from .corrections import CorrectionsError
from .run import CORRECTIONS_NAME, Settings, UsageError, run_extract

EXTRACT_EXAMPLE = """example:
  chitieu extract raw extracted --jobs 2
  (reads every .txt/.docx/.pdf under raw/, writes extracted/targets.csv, .parquet,
   documents.csv, .parquet, datapackage.json and report.html)"""

REPORT_EXAMPLE = """example:
  chitieu report extracted --raw raw"""


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
    try:
        return importlib.metadata.version("chitieu")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree never installed
        return "unknown (not installed)"


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
        description="Read every document under RAW (any depth) and write targets, documents, "
                    "datapackage.json and report.html into OUT. Corrections in RAW/corrections.csv "
                    "are applied. A file that cannot be read is listed as failed; the rest still runs.",
        epilog=EXTRACT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("raw", type=Path, help="folder of input documents (.txt, .docx, .pdf)")
    ex.add_argument("out", type=Path, help="folder for the outputs (created if missing)")
    ex.add_argument("-j", "--jobs", type=int, default=0,
                    help="documents read at once, in separate processes (default 0: one per core)")
    ex.add_argument("--no-cache", action="store_true",
                    help="read every document again instead of reusing results of unchanged files")
    ex.add_argument("--timeout", type=seconds, default=300.0,
                    help="seconds one document may take before it is reported as failed (default 300)")
    ex.add_argument("--retry-failed", action="store_true",
                    help="read again the documents whose failure is cached (a failure is not retried "
                         "otherwise until the file changes, or a time-out until --timeout grows)")
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
    settings = Settings(raw=args.raw, out=args.out, jobs=args.jobs, use_cache=not args.no_cache,
                        timeout=args.timeout, progress=not args.quiet and sys.stderr.isatty(),
                        retry_failed=args.retry_failed, wait=args.wait)
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
    path = render_report_from_outputs(args.out, args.raw / CORRECTIONS_NAME)
    if not args.quiet:
        print(f"chitieu: wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING
    logging.basicConfig(level=level, format="chitieu: %(levelname)s: %(message)s")
    # pdfminer warns about every odd font; that is not the data team's concern
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        return {"extract": _extract, "report": _report}[args.command](args)
    except UsageError as e:
        print(f"chitieu: error: {e}", file=sys.stderr)
        return 2
    except CorrectionsError as e:
        joint = " " if str(e).endswith(("?", ".")) else "; "  # "did you mean value_low?"
        print(f"chitieu: error: {e}{joint}fix that line and run again (the previous outputs are unchanged)",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("chitieu: interrupted; the previous outputs are unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
