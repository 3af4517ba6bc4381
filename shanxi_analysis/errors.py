"""The package's exceptions.  Every message says what was wrong, where, and what to do."""

from __future__ import annotations


class ShanxiAnalysisError(Exception):
    """Base class for every error this package raises on purpose."""


class DataError(ShanxiAnalysisError):
    """A raw data file is missing, altered, or does not match its schema."""


class UnknownProvinceError(ShanxiAnalysisError, ValueError):
    """A name or code that is not one of the 31 provincial-level divisions."""


class ParameterError(ShanxiAnalysisError, ValueError):
    """A notebook or report parameter that is out of range or of the wrong type."""
