"""Command line: ``python -m shanxi_analysis report ...`` (also installed as ``shanxi-analysis``).

Exit codes (also in ``--help`` and the README):

====  ==========================================================================================================
0     every report built
1     some report failed (summary on stderr naming notebook, cell and error; failed notebooks kept)
2     invalid usage or parameters, a corrupt notebook, or an output folder that cannot be written (nothing started)
3     bad data: a raw file or the manifest is missing, altered or invalid (the message names the file)
4     the reports folder could not be written during the build (disk full, read-only); last good reports untouched
5     the Dask cluster (--scheduler) failed mid-batch: the scheduler was lost or a set's task failed there
70    internal error (a bug): one line says so; run again with ``--debug`` for the traceback
130   interrupted with Ctrl-C (143 with SIGTERM)
====  ==========================================================================================================

Every expected failure ends with one or two lines saying what, where and what to do; the Python traceback is
printed only with ``--debug``.
"""

from __future__ import annotations

import argparse
import errno
import gc
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import config

if TYPE_CHECKING:  # the builder is imported only by the commands that use it
    from .publish import Request, WarmKernel

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DATA, EXIT_OUTPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 70, 130
EXIT_CLUSTER = 5
_EXIT_HELP = """\
exit codes:
  0 every report built; 1 some report failed (summary names notebook, cell and error);
  2 invalid usage or parameters, a corrupt notebook or an unwritable --out (nothing started);
  3 bad data (the message names the raw file); 4 the reports folder could not be written during the build
  (disk full, read-only); 5 the Dask cluster failed mid-batch (sets published before stay);
  70 internal error (run again with --debug); 130 Ctrl-C, 143 SIGTERM
"""

_REPORT_HELP = (
    """\
Two kinds of report, declared by each notebook (metadata shanxi_analysis.report = "province" or "article"):
the province story runs the province notebooks (NN-name.ipynb, in order) for each province and year with
papermill into DIR/<year>/<province-slug>/; the article check (the China Daily article, Shanxi 2020) runs the
article notebooks once per command and language into DIR/article-check/ (DIR/<lang>/article-check/ in another
language; leave it out with --no-article-check). Each report
folder holds the executed notebooks, one self-contained HTML page per notebook (code hidden, figures embedded)
and build.json (parameters, versions, data checksums); DIR/index.html lists the article check and a
province x year grid of the stories. A report is published only when all its notebooks succeeded; a failed
attempt is kept in DIR/_failed/ and the last good report of the same parameters is left untouched.

Incremental: a set whose notebooks, parameters, package (code, templates, claim rules), requirements and the
raw data files each notebook read (or, for a notebook that declares them, the parts of the FAI panel it reads:
its province's and its year's rows) are unchanged since its last good build is "up to date" and not run;
otherwise only the notebooks whose inputs changed run (--force runs all; --explain says why each runs).
Each worker keeps one warm kernel reset between notebooks (--fresh-kernels: one per notebook).

A plan (--plan FILE.yml) lists parameter sets in parts that share params, with optional chapters:
  parts:
    - params: {year: 2015-2024}
      chapters: [{province: Shanxi}, {province: [Shaanxi, Inner Mongolia]}]
    - params: {province: all, year: 2020}
(optional top-level keys: title, article_check: false). province: a name, a list or all; year: a year, a range
2015-2024, a list or all.

examples:
  python -m shanxi_analysis report                                  # Shanxi 2020 + the article check
  python -m shanxi_analysis report --province Ningxia --year 2023 --no-article-check
  python -m shanxi_analysis report --province Hubei --year 2019 --format html,pdf
  python -m shanxi_analysis report --all-provinces --year 2020 --workers 2
  python -m shanxi_analysis report --province Shanxi --year 2015-2024     # a range of years
  python -m shanxi_analysis report --all-provinces --all-years --workers 2  # the whole grid
  python -m shanxi_analysis report --plan plans/central.yml                 # parameter sets from a YAML plan
  python -m shanxi_analysis report --all-provinces --scheduler tcp://HOST:8786  # on a Dask cluster

"""
    + _EXIT_HELP
)


def _count(text: str) -> int:
    """A whole number written in ASCII digits (``int()`` would also read "٢")."""
    if not text.isascii() or not text.strip().lstrip("+-").isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number such as 2, not {text!r}")
    return int(text)


def _formats(text: str) -> list[str]:
    return [f for f in text.split(",") if f.strip()]


class _Parser(argparse.ArgumentParser):
    """argparse with a two-line usage error (what is wrong, where to read the usage) instead of the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nSee `{self.prog} --help` for the options.\n")


def build_parser() -> argparse.ArgumentParser:
    from .publish import kernels, planning

    ap = _Parser(prog="shanxi-analysis", description="Reports on China's provincial fixed-asset investment.")
    ap.add_argument("--version", action="version", version=f"shanxi-analysis {config.VERSION}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rp = sub.add_parser(
        "report",
        help="build the HTML reports and their index",
        description=_REPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rp.add_argument(
        "--province",
        action="append",
        metavar="NAME",
        help="province name (English, Chinese or adcode); repeat for several (default: Shanxi)",
    )
    rp.add_argument(
        "--year",
        action="append",
        metavar="YEARS",
        help="year of the analysis: 2020, a range 2015-2024 or a list 2015,2018; repeat for several (default: 2020)",
    )
    rp.add_argument("--all-provinces", action="store_true", help="all 31 provincial-level divisions")
    rp.add_argument("--all-years", action="store_true", help="every year the data covers")
    rp.add_argument(
        "--plan",
        type=Path,
        metavar="FILE.yml",
        help="parameter sets from a YAML plan (parts with params and chapters, cal-itp portfolio "
        "style; see the README); not combined with --province/--year",
    )
    rp.add_argument(
        "--no-article-check",
        dest="article",
        action="store_false",
        help="build only the province stories, not the article check (built once per command otherwise)",
    )
    rp.add_argument(
        "--lang",
        default=planning.DEFAULT_LANG,
        metavar="LANGS",
        help="language of the province stories: en, zh, or both as en,zh (default: en); a language other than "
        "English is published under DIR/<lang>/<year>/<province>/, and each page links to its counterparts",
    )
    rp.add_argument(
        "--out",
        type=Path,
        default=config.REPORTS_DIR,
        metavar="DIR",
        help=f"reports folder (default: {config.REPORTS_DIR})",
    )
    rp.add_argument(
        "--notebooks",
        type=Path,
        default=config.NOTEBOOKS_DIR,
        metavar="DIR",
        help=f"folder of NN-name.ipynb notebooks to run (default: {config.NOTEBOOKS_DIR})",
    )
    rp.add_argument(
        "--workers",
        type=_count,
        default=None,
        metavar="N",
        help="parameter sets built in parallel processes (default: 1); not with --scheduler",
    )
    rp.add_argument(
        "--format",
        dest="formats",
        type=_formats,
        default=list(planning.DEFAULT_FORMATS),
        metavar="LIST",
        help="comma-separated outputs among html,ipynb,pdf (default: html,ipynb); pdf needs Chromium",
    )
    rp.add_argument(
        "--timeout",
        default=str(planning.DEFAULT_TIMEOUT),
        metavar="SECONDS",
        help=f"whole seconds one notebook CELL may run before it is interrupted and the notebook "
        f"reported as failed (per cell, not per notebook; default {planning.DEFAULT_TIMEOUT:g}; "
        f"0 = no limit)",
    )
    rp.add_argument(
        "--force",
        action="store_true",
        help="run every notebook even where its key (notebook, parameters, package code, requirements, "
        "page template) and the raw data files it read match the last good build",
    )
    rp.add_argument(
        "--explain",
        action="store_true",
        help="before building, print for each report set why it is skipped or which notebooks run and why "
        "(no earlier build, the notebook or code changed, data it read changed: <raw file>, ...)",
    )
    rp.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every notebook (default: each worker keeps one warm kernel with "
        "the libraries imported and resets it to a fresh namespace between notebooks)",
    )
    rp.add_argument(
        "--kernel-memory-mb",
        default=str(kernels.DEFAULT_MEMORY_LIMIT_MB),
        metavar="MB",
        help="replace a warm kernel whose resident memory passes MB after a notebook (a number above 0; "
        "default %(default)s)",
    )
    rp.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run the report sets on an existing Dask cluster (dask scheduler / dask worker "
        "--nthreads 1) instead of the local pool; results are published here",
    )
    rp.add_argument("--no-progress", action="store_true", help="no progress bars")
    rp.add_argument(
        "--debug",
        action="store_true",
        help="print the Python traceback of an error (by default one or two lines say what, where and what to do)",
    )
    return ap


def _error(msg: str) -> int:
    print(f"shanxi-analysis: error: {msg}", file=sys.stderr)
    return EXIT_USAGE


_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


def _failure(exc: Exception, debug: bool, out: Path | None) -> int:
    """Map an exception that ended the command to its message and exit code (traceback only with --debug)."""
    from .errors import DataError, ShanxiAnalysisError

    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, DataError):
        print(
            f"shanxi-analysis: data error: {exc}\nNothing was published; fix the data as the message says and "
            f"run again.",
            file=sys.stderr,
        )
        return EXIT_DATA
    from .publish import ClusterError, WorkerStartError

    if isinstance(exc, ClusterError):
        print(f"shanxi-analysis: error: {exc}", file=sys.stderr)
        return EXIT_CLUSTER
    if isinstance(exc, WorkerStartError):
        print(f"shanxi-analysis: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(exc, ShanxiAnalysisError):
        return _error(str(exc))
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
        where = exc.filename or out or "the reports folder"
        print(
            f"shanxi-analysis: error: cannot write {where}: {exc.strerror or exc}.\nUnfinished reports were "
            f"discarded and the last good ones are untouched; free space or choose a writable folder with "
            f"--out DIR, then run again.",
            file=sys.stderr,
        )
        return EXIT_OUTPUT
    print(
        f"shanxi-analysis: internal error: {type(exc).__name__}: {exc}"[:500]
        + ("" if debug else "\nThis is a bug; run again with --debug for the traceback and report it."),
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def report(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """The ``report`` command: check every option once (:func:`shanxi_analysis.publish.request`), then build;
    returns the exit code.

    The warm kernel is launched first (:meth:`~shanxi_analysis.publish.WarmKernel.launch`), so it boots and imports
    in its own process while this one checks the options and the data and decides what to build; options refused
    shut it down before anything is written, and the sets built in this process run in it."""
    from .publish import kernels

    kernels.skip_iri_grammar()  # before papermill/nbformat are imported: about 1 s less per command
    warm = _launch(args)
    try:
        return _checked(args, argv, warm)
    finally:
        if warm is not None:
            warm.close()


def _launch(args: argparse.Namespace) -> WarmKernel | None:
    """The warm kernel of the command's own process, launched in the notebooks folder; None with ``--scheduler`` or
    ``--fresh-kernels`` (no warm kernel here), or when the folder or the memory limit is not one the options check
    will accept (it then says so)."""
    from . import publish
    from .errors import ParameterError

    if args.scheduler or args.fresh_kernels or not Path(args.notebooks).is_dir():
        return None
    try:
        limit = publish.check_memory_mb(args.kernel_memory_mb)
    except ParameterError:
        return None
    warm = publish.WarmKernel(memory_limit_mb=limit)
    try:
        warm.launch(Path(args.notebooks).absolute())
    except Exception:  # noqa: BLE001 - a kernel that cannot start fails its first notebook, saying why, in the build
        warm.close()
        return None
    return warm


def _checked(args: argparse.Namespace, argv: Sequence[str], warm: WarmKernel | None) -> int:
    """The ``report`` command once its kernel is launched: check the options, then build."""
    from . import publish
    from .errors import ParameterError, UnknownProvinceError

    try:
        req = publish.request(
            provinces=args.province,
            years=args.year,
            all_provinces=args.all_provinces,
            all_years=args.all_years,
            plan_file=args.plan,
            article=args.article,
            notebooks_dir=args.notebooks,
            out_dir=args.out,
            formats=args.formats,
            timeout=args.timeout,
            workers=args.workers,
            scheduler=args.scheduler,
            kernel_memory_mb=args.kernel_memory_mb,
            languages=args.lang,
        )
    except (UnknownProvinceError, ParameterError) as exc:
        return _error(str(exc))  # before any notebook runs or anything is written (the kernel is shut down)
    _out_dir.append(req.out)
    return _build(args, argv, req, warm)  # each notebook's reset puts the kernel in its folder


def _build(args: argparse.Namespace, argv: Sequence[str], req: Request, warm: WarmKernel | None) -> int:
    """The ``report`` command once its options are checked (``req``): check the data, build, say what was built."""
    from . import data, publish

    out, jobs, formats, timeout = req.out, req.jobs, req.formats, req.timeout
    for name in data.available():  # bad data stops here, before any notebook runs; a damaged disk cache is rebuilt
        data.LOADERS[name]()  # here, so its one warning line goes to this terminal, not into a report
    publish.quiet_library_warnings()  # failures are summarised by the builder
    command = ["shanxi-analysis", *argv]
    n = len(jobs)
    pages = sum(len(j.notebooks) for j in jobs)
    backend = f"Dask cluster {req.scheduler}" if req.scheduler else f"workers {min(req.workers, n)}"
    print(
        f"Building {n} report set(s), {pages} notebook(s) in all, into {out} "
        f"({backend}, formats {','.join(formats)}, cell timeout "
        f"{f'{timeout} s' if timeout else 'none'}) ...",
        file=sys.stderr,
    )
    try:
        results = publish.build_reports(
            jobs,
            out,
            workers=req.workers,
            formats=formats,
            timeout=timeout,
            command=command,
            progress=not args.no_progress,
            force=args.force,
            explain=args.explain,
            fresh_kernels=args.fresh_kernels,
            kernel_memory_mb=publish.check_memory_mb(args.kernel_memory_mb),
            scheduler=req.scheduler,
            warm=warm,
        )
    except KeyboardInterrupt as exc:
        code = 128 + exc.args[0] if exc.args and isinstance(exc.args[0], int) else EXIT_INTERRUPTED
        print(
            f"\nInterrupted: unfinished reports were discarded; reports already built and the last good "
            f"report of every parameter set are untouched. Index: {out / publish.INDEX_FILE}",
            file=sys.stderr,
        )
        return code
    print(publish.summary(results, out), file=sys.stderr)
    print(out / publish.INDEX_FILE)
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


INTERRUPT_GRACE_SECONDS = 20
_out_dir: list[Path] = []  # the reports folder of this run, for the interrupt watchdog


def _arm_watchdog(code: int) -> None:
    """After an interrupt, give the orderly clean-up INTERRUPT_GRACE_SECONDS; if it has not finished by then
    (a kernel or library stuck in its own shutdown), remove this process's staging folders and exit anyway.
    Kernels notice that their parent is gone and stop by themselves."""
    import os
    import shutil
    import threading

    def fire() -> None:
        from .publish import planning

        for out in _out_dir:
            for folder in (out / planning.STAGING_DIR).glob(f"{os.getpid()}-*"):
                shutil.rmtree(folder, ignore_errors=True)
        print(
            f"\nInterrupted: clean-up did not finish within {INTERRUPT_GRACE_SECONDS} s, so unfinished reports "
            "were removed and the build stopped; reports already built are untouched.",
            file=sys.stderr,
            flush=True,
        )
        os._exit(code)

    timer = threading.Timer(INTERRUPT_GRACE_SECONDS, fire)
    timer.daemon = True
    timer.start()


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: parse ``argv`` (``sys.argv[1:]`` by default), run the command, return its exit code
    (:func:`command` runs it for ``python -m shanxi_analysis`` and the ``shanxi-analysis`` console script)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)

    def _int(signum, frame):  # Ctrl-C: orderly clean-up, with a watchdog in case it hangs
        _arm_watchdog(EXIT_INTERRUPTED)
        raise KeyboardInterrupt

    def _term(signum, frame):  # SIGTERM behaves like Ctrl-C, with exit code 143
        from .publish import Terminated

        _arm_watchdog(128 + signum)
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, _term)
    previous_int = signal.signal(signal.SIGINT, _int)
    try:
        if args.command == "report":
            return report(args, argv)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - every error ends in a short message and a documented exit code
        return _failure(exc, getattr(args, "debug", False), _out_dir[-1] if _out_dir else None)
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
    return EXIT_USAGE


def command() -> NoReturn:
    """``python -m shanxi_analysis`` and the ``shanxi-analysis`` console script: :func:`main`, then exit with its
    code, without the interpreter's last garbage collections.

    The process ends right after, and a build has imported pandas, matplotlib, papermill, nbconvert and (for a
    rebuilt dataset's validation) dask: the collections the interpreter runs at exit go over those ~200,000
    objects and cost about 0.35 s of every command, as much as a tenth of a one-set rebuild (bench/README.md).
    ``gc.freeze()`` leaves them out.  Nothing else is skipped: threads are joined, ``atexit`` handlers run and
    objects are freed as the modules are torn down; only objects held in reference cycles are left to the
    operating system, which reclaims the whole process anyway.  :func:`main` itself freezes nothing, so a caller
    that goes on after it (a test, a notebook) keeps its collector."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    command()
