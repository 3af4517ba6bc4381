"""Stage 6, publishing: notebooks -> executed, exported, published report sets.

Modules, by question:

* ``planning``: what to build, checked before any kernel starts (the province x year grid, plan files, report
  jobs, notebook kinds, declared parameters, the command's options: :func:`request`);
* ``incremental``: which notebooks need to run (keys of notebook, parameters, data, code, template);
* ``reports``: many sets, handed to a back-end (this process, ``pool`` the local worker pool, ``dask_backend``
  a Dask cluster); ``build``: one set in its languages (the computations once), with its ``build.json`` and
  provenance;
* ``execute`` (one notebook with papermill, failures), ``engine`` (the papermill engine ``shanxi-analysis``),
  ``kernels`` (warm kernels); ``export`` (nbconvert, the navigation cell, PDF); ``staging`` (staging folders,
  atomic swap, locking); ``index`` (the index page); ``templates/`` (page template, index, navigation; Jinja2
  with autoescaping).

May import every other stage; no other stage imports it.  Importing it does not import papermill or nbconvert:
they are imported when a notebook is checked, run or exported.
"""

from .build import build_set, provenance, same_set
from .dask_backend import ClusterError, run_set
from .export import TEMPLATES_DIR, colophon, export_notebook, nav_cell, print_pdf
from .incremental import INPUTS_KEY, VIEWS_KEY, Decision, Inputs, decide, explanation, notebook_digest, notebook_key
from .index import IndexWriter, index_data, read_json, render_index, render_pages, write_index
from .kernels import (
    CONTINUED_KEY,
    DEFAULT_MEMORY_LIMIT_MB,
    WarmKernel,
    needs_libraries,
    remove_stale_socket_dirs,
    skip_iri_grammar,
)
from .planning import (
    ARTICLE,
    ARTICLE_DIR,
    ARTICLE_HREF_PARAMETER,
    ARTICLE_PARAMETERS,
    BUILD_FILE,
    DEFAULT_FORMATS,
    DEFAULT_TIMEOUT,
    FAILED_DIR,
    FORMATS,
    INDEX_FILE,
    KINDS,
    LANGUAGE_FREE_TAG,
    PROVINCE,
    STAGING_DIR,
    UP_TO_DATE,
    Failure,
    Grid,
    ReportJob,
    ReportResult,
    Request,
    article_href,
    check_declared,
    check_formats,
    check_memory_mb,
    check_notebooks,
    check_output_dir,
    check_output_location,
    check_scheduler,
    check_timeout,
    chromium_path,
    declared_parameters,
    find_notebooks,
    from_args,
    load_plan,
    notebook_kind,
    parse_provinces,
    parse_years,
    plan,
    plan_pairs,
    request,
    validate_params,
)
from .pool import Terminated, WorkerStartError, quiet_library_warnings
from .reports import build_reports, summary
from .staging import clean_stale_staging, lock, swap_in

__all__ = [
    "ClusterError",
    "ARTICLE",
    "ARTICLE_DIR",
    "ARTICLE_HREF_PARAMETER",
    "ARTICLE_PARAMETERS",
    "BUILD_FILE",
    "CONTINUED_KEY",
    "DEFAULT_FORMATS",
    "DEFAULT_MEMORY_LIMIT_MB",
    "DEFAULT_TIMEOUT",
    "FAILED_DIR",
    "FORMATS",
    "INDEX_FILE",
    "KINDS",
    "LANGUAGE_FREE_TAG",
    "PROVINCE",
    "STAGING_DIR",
    "TEMPLATES_DIR",
    "UP_TO_DATE",
    "INPUTS_KEY",
    "VIEWS_KEY",
    "Decision",
    "Failure",
    "Grid",
    "Inputs",
    "ReportJob",
    "ReportResult",
    "IndexWriter",
    "Request",
    "Terminated",
    "WarmKernel",
    "WorkerStartError",
    "article_href",
    "build_set",
    "build_reports",
    "check_declared",
    "check_formats",
    "check_notebooks",
    "check_memory_mb",
    "check_output_dir",
    "check_output_location",
    "check_scheduler",
    "check_timeout",
    "chromium_path",
    "clean_stale_staging",
    "colophon",
    "decide",
    "explanation",
    "declared_parameters",
    "export_notebook",
    "find_notebooks",
    "from_args",
    "index_data",
    "load_plan",
    "lock",
    "nav_cell",
    "needs_libraries",
    "notebook_digest",
    "notebook_key",
    "notebook_kind",
    "parse_provinces",
    "parse_years",
    "plan",
    "plan_pairs",
    "print_pdf",
    "provenance",
    "quiet_library_warnings",
    "read_json",
    "render_index",
    "remove_stale_socket_dirs",
    "render_pages",
    "request",
    "run_set",
    "same_set",
    "skip_iri_grammar",
    "summary",
    "swap_in",
    "validate_params",
    "write_index",
]
