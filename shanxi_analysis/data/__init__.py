"""Stage 1, data: raw files -> validated, sourced, tidy tables.

Everything a notebook, a test or a later stage needs is importable from here (``sa.data.fai_growth()``,
``sa.data.normalize("山西省")``); the modules, by job:

====================  ====================================================================================
``raw``               the manifest (``data/datapackage.json``) and reading a raw file against it
``province_names``    which province is this? names, aliases, adcodes, regions
``schemas``           validation of a cleaned table and its messages
``models``            the pandera models (imported, with pandera, when a table is first validated)
``loaders``           the building blocks of a dataset function (registry, reading, provenance, names)
``datasets``          one function per published table
``reconcile``         the cross-series checks (pure functions) behind ``reconciliation()`` and the flags
``panels``            the yearbook and Wind panels (datasets too)
``shapes``            the province outlines (a dataset, and the GeoJSON parser)
``cache``             the on-disk cache of built tables, keyed by the content of the raw files and this stage
====================  ====================================================================================

May import: the top-level ``config`` and ``errors`` modules and each other. Nothing from ``analysis``,
``claims``, ``present`` or ``publish``.
"""

from .cache import cache_dir, code_files, code_key, load_or_build
from .datasets import (
    ARTICLE_URL,
    article_claims,
    available,
    events,
    exchange_rates,
    fai_crosschecks,
    fai_growth,
    fai_monthly_2020,
    gdp,
    independent_figures,
    national_fai_growth,
    population,
    provinces,
    reconciliation,
    shanxi_devzones,
    shanxi_investment_2020,
    year_range,
)
from .loaders import LOADERS, adcodes, clear_cache, dataset, read_frame, to_province, with_provenance
from .panels import (
    fai_growth_by_field,
    fai_level,
    fai_price_index,
    gfcf,
    grp_real_growth,
    population_yearend,
    yearbook_source,
    yearbook_table,
    years_covered,
)
from .province_names import (
    ALIAS_KINDS,
    adcode,
    aliases,
    forget_tables,
    name_zh,
    names,
    normalize,
    region,
    slug,
)
from .raw import (
    Resource,
    direct_reads,
    forget_manifest,
    forget_session_reads,
    manifest,
    note_dataset,
    note_reads,
    read_bytes,
    read_raw,
    refresh_manifest,
    resource,
    resource_key,
    session_datasets,
    session_reads,
    track_reads,
)
from .schemas import FIELDS, NATIONAL_SCOPES, REGIONS, check_names, model, validate
from .shapes import load_shapes, parse_shapes, province_shapes

__all__ = [
    # datasets (one function per table)
    "provinces",
    "fai_growth",
    "reconciliation",
    "national_fai_growth",
    "gdp",
    "population",
    "fai_monthly_2020",
    "shanxi_investment_2020",
    "exchange_rates",
    "fai_crosschecks",
    "shanxi_devzones",
    "article_claims",
    "events",
    "independent_figures",
    "fai_growth_by_field",
    "fai_level",
    "fai_price_index",
    "gfcf",
    "grp_real_growth",
    "population_yearend",
    "province_shapes",
    "available",
    "year_range",
    "ARTICLE_URL",
    # province names
    "normalize",
    "adcode",
    "name_zh",
    "region",
    "slug",
    "aliases",
    "names",
    "ALIAS_KINDS",
    "forget_tables",
    # the manifest and raw files
    "Resource",
    "manifest",
    "resource",
    "read_raw",
    "read_bytes",
    "refresh_manifest",
    "forget_manifest",
    "track_reads",
    "note_reads",
    "resource_key",
    "session_reads",
    "forget_session_reads",
    "session_datasets",
    "direct_reads",
    "note_dataset",
    # making a dataset
    "LOADERS",
    "dataset",
    "clear_cache",
    "read_frame",
    "to_province",
    "adcodes",
    "with_provenance",
    "validate",
    "check_names",
    "model",
    "REGIONS",
    "NATIONAL_SCOPES",
    "FIELDS",
    "yearbook_table",
    "yearbook_source",
    "years_covered",
    # province outlines
    "load_shapes",
    "parse_shapes",
    # the disk cache
    "cache_dir",
    "load_or_build",
    "code_key",
    "code_files",
]
