"""Exceptions raised by clustergraph.

Every error the toolkit raises on purpose derives from :class:`ClusterGraphError`,
so callers (such as the command line) can tell expected failures from bugs.
Errors are raised, never swallowed or turned into data.
"""


class ClusterGraphError(Exception):
    """Base class of all errors raised by clustergraph on purpose."""


class InputError(ClusterGraphError):
    """Malformed or missing input.

    The message is one line and names the place, as ``file:line:column: message``
    where a line and column are known, with the file relative to the project root.

    Examples
    --------
    >>> str(InputError("data/sources/x.ttl:3:11: unexpected end"))
    'data/sources/x.ttl:3:11: unexpected end'
    """


class LayoutError(InputError):
    """A path or IRI does not fit the project layout (for example an unknown graph IRI)."""


class ShapesError(ClusterGraphError):
    """The SHACL shapes could not be used by the validator (for example an invalid shape)."""
