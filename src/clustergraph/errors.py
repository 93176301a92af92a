"""Every exception clustergraph raises on purpose, and the exit codes of the command line.

Every error derives from :class:`ClusterGraphError`, so callers (the command line, the
notebook) can tell expected failures from bugs. Errors are raised, never swallowed or
turned into data, and their message is one line that names the place (a file with its
line and column, a query, an endpoint) and the cause.

=================================  ================================================  ====
exception                          raised for                                        exit
=================================  ================================================  ====
:class:`InputError`                malformed or missing input, a bad option          2
:class:`LayoutError`               a path or IRI that does not fit the layout        2
:class:`QueryFileError`            a malformed query file                            2
:class:`QueryLookupError`          a query name that is not in the library           2
:class:`ParamError`                a missing, unknown or ill-typed parameter         2
:class:`ShapesError`               shapes the validator cannot use                   2
:class:`StoreError`                a store that fails or answers an error            2
:class:`StoreUnreachableError`     a store that cannot be reached                    2
:class:`AuthError`                 a store that refuses the credentials              2
:class:`QueryError`                a query the store refused or failed to evaluate   2
:class:`PushError`                 a push that failed (targets left as they were)    2
:class:`VerifyError`               a staged graph that does not hold what was sent   2
:class:`BuildError`                a build stage that failed                         2
:class:`DataError`                 data that does not conform, a check with rows     1
=================================  ================================================  ====

Examples
--------
>>> str(InputError("data/sources/x.ttl:3:11: unexpected end"))
'data/sources/x.ttl:3:11: unexpected end'
>>> int(ExitCode.NONCONFORMING), exit_code(DataError("1 violation", report=""))
(1, <ExitCode.NONCONFORMING: 1>)
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """The exit codes of every ``clustergraph`` command."""

    OK = 0
    """Success; for ``validate`` and ``check``: the data conforms."""
    NONCONFORMING = 1
    """The data does not conform to the shapes, a check returned rows, or (``path``) the
    two entities are not connected."""
    ERROR = 2
    """Input or usage error, an unreachable or failing store, a failed push or stage."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C (128 + SIGINT): nothing half-written is left behind."""
    BROKEN_PIPE = 141
    """The reader of standard output went away (128 + SIGPIPE), as in ``| head``."""


class ClusterGraphError(Exception):
    """Base class of all errors raised by clustergraph on purpose."""

    exit_code: ExitCode = ExitCode.ERROR


class InputError(ClusterGraphError):
    """Malformed or missing input.

    The message is one line and names the place, as ``file:line:column: message``
    where a line and column are known, with the file relative to the project root.
    """


class LayoutError(InputError):
    """A path or IRI does not fit the project layout (for example an unknown graph IRI)."""


class QueryFileError(InputError):
    """A query file whose header or SPARQL text is malformed."""


class QueryLookupError(InputError):
    """A query name that is not in the library."""


class ParamError(InputError):
    """A parameter value that is missing, unknown or of the wrong type."""


class ShapesError(ClusterGraphError):
    """The SHACL shapes could not be used by the validator (for example an invalid shape)."""


class StoreError(ClusterGraphError):
    """A store that failed, or answered a request with an error or something unreadable.

    Parameters
    ----------
    message
        One line.
    targets_unchanged
        For writes: whether the graphs written to are known to be as they were
        (``None``: unknown).
    """

    def __init__(self, message: str, *, targets_unchanged: bool | None = True) -> None:
        super().__init__(message)
        self.targets_unchanged = targets_unchanged


class StoreUnreachableError(StoreError):
    """The store could not be reached (refused, timed out), after the retries.

    ``answer_lost`` says whether some attempt may have reached the store although its
    answer never came (a timeout, a dropped connection), unlike a refused connection.
    """

    answer_lost = False


class StoreBusyError(StoreError):
    """An on-disk store another process holds open for writing (a build, a notebook).

    It can still be opened read-only, as it stands.
    """


class AuthError(StoreError):
    """The store refused the credentials, or asked for some and none were given."""


class QueryError(StoreError):
    """A query the store refused or failed to evaluate."""


class PushError(StoreError):
    """A push that failed; the message says which step failed, why, and what was left."""


class VerifyError(PushError):
    """A staged graph does not hold the number of triples that was sent."""


class BuildError(ClusterGraphError):
    """A stage of the build failed (the previous output was left as it was).

    ``stage`` names the stage; the original error is the exception's ``__cause__``.
    """

    def __init__(self, message: str, stage: str = "") -> None:
        super().__init__(message)
        self.stage = stage


class DataError(ClusterGraphError):
    """The data does not conform to the shapes, or a check returned rows.

    ``report`` holds the validation report or the failing checks, one result a line.
    """

    exit_code = ExitCode.NONCONFORMING

    def __init__(self, message: str, *, report: str) -> None:
        super().__init__(message)
        self.report = report


def exit_code(error: BaseException) -> ExitCode:
    """Return the exit code the command line gives for ``error``."""
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, BrokenPipeError):
        return ExitCode.BROKEN_PIPE
    if isinstance(error, ClusterGraphError):
        return error.exit_code
    return ExitCode.ERROR
