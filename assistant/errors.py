"""Errors the user can act on: each carries a message meant to be printed as it is."""


class AssistantError(Exception):
    """Base class: a clear message, no traceback needed."""

    exit_code = 1


class CorpusError(AssistantError):
    """A corpus directory, manifest or source file cannot be used."""


class SourceError(CorpusError):
    """One source file cannot be read; the rest of the corpus can still be ingested."""


class ReferenceNotFound(AssistantError):
    """A human reference ("art. 36(1)(b) of the 1961 Convention") names no clause."""

    exit_code = 2


class IndexError_(AssistantError):
    """The index is missing, stale, corrupt or unreachable."""


class FetchError(AssistantError):
    """The official text of an instrument could not be fetched, or what came back is not it."""
