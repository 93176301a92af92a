"""The query library: one SPARQL query per ``.rq`` file, each with a strict header.

A query file starts with a block of ``#+`` lines, then the query::

    #+ summary: Members of an organisation, with their role.
    #+ tags:
    #+   - membership
    #+ params:
    #+   - org: iri = <https://w3id.org/clustergraph/id/org/eacn>

    PREFIX org: <http://www.w3.org/ns/org#>
    SELECT ?member ?role WHERE { ?m org:organization ?org ; org:member ?member ; org:role ?role }

The keys are ``summary`` (required, one line), ``tags`` (required, one or more
lower-case words) and ``params`` (optional); nothing else. A parameter is
``name: type = default`` where ``name`` is a variable of the query and ``type`` one of
:class:`ParamType`; a default of ``UNDEF`` (SPARQL's word for no value) leaves the
variable unbound unless a value is given. Anything else is a :class:`QueryFileError`
naming the file, line and column: a malformed header is an error, not a warning.

Questions users ask live in ``queries/``; checks that must return no rows in
``queries/checks/`` and are named ``checks/<stem>``.

Examples
--------
>>> text = '''#+ summary: Labels of a thing.
... #+ tags:
... #+   - labels
... #+ params:
... #+   - thing: iri = <https://w3id.org/clustergraph/id/org/eacn>
... SELECT ?label WHERE { ?thing <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
... '''
>>> q = parse_query_file(text, name="labels", path=Path("queries/labels.rq"))
>>> q.summary, q.tags, q.form
('Labels of a thing.', ('labels',), <QueryForm.SELECT: 'SELECT'>)
>>> q.params[0].name, q.params[0].type, q.params[0].default
('thing', <ParamType.IRI: 'iri'>, <NamedNode value=https://w3id.org/clustergraph/id/org/eacn>)
>>> q.bindings({"thing": "o:lcn"})
{'thing': <NamedNode value=https://w3id.org/clustergraph/id/org/lcn>}
"""

from __future__ import annotations

import difflib
import enum
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from clustergraph.errors import (
    InputError,
    ParamError,
    QueryError,
    QueryFileError,
    QueryLookupError,
)
from clustergraph.project.layout import Project
from clustergraph.project.prefixes import PREFIXES
from clustergraph.rdf.terms import XSD, Term, parse_iri
from clustergraph.store.sparql import check_shape, query_form


class QueryForm(enum.Enum):
    """The four SPARQL query forms."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"


class ParamType(enum.Enum):
    """Types of query parameters, and how a value typed by a user becomes an RDF term."""

    IRI = "iri"
    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    YEAR = "year"

    def term(self, text: str, prefixes: Mapping[str, str]) -> Term:
        """Turn ``text`` into a term of this type.

        The value is checked against its XSD type; a string can hold anything, since it
        is bound as a literal and never written into the query text.

        Raises
        ------
        InputError
            If ``text`` is not a value of this type.
        """
        if self is ParamType.IRI:
            return parse_iri(text, prefixes)
        if self is ParamType.STRING:
            return ox.Literal(text)
        pattern, datatype = _LEXICAL[self]
        if not re.fullmatch(pattern, text):
            raise InputError(f"{text!r} is not a valid {self.value}")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))


_LEXICAL: dict[ParamType, tuple[str, str]] = {
    ParamType.INTEGER: (r"[+-]?[0-9]+", "integer"),
    ParamType.DECIMAL: (r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", "decimal"),
    ParamType.BOOLEAN: (r"true|false", "boolean"),
    ParamType.DATE: (r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", "date"),
    ParamType.YEAR: (r"[0-9]{4}", "gYear"),
}


@dataclass(frozen=True)
class Param:
    """A parameter of a query: a variable that the runner binds to an RDF term."""

    name: str
    type: ParamType
    default: Term | None
    """The default term; ``None`` (written ``= UNDEF``): unbound unless a value is given."""

    @property
    def optional(self) -> bool:
        """Whether the parameter is left unbound when no value is given (``= UNDEF``)."""
        return self.default is None


@dataclass(frozen=True)
class QueryFile:
    """One query of the library.

    Attributes
    ----------
    name
        ``<stem>`` for questions, ``checks/<stem>`` for checks.
    path
        The file.
    summary, tags, params
        From the header.
    text
        The whole file, header included (it is made of comments), so that line numbers
        in errors are the file's own.
    form
        SELECT, ASK, CONSTRUCT or DESCRIBE.
    prefixes
        The query's own PREFIX declarations, for reading parameter values.
    """

    name: str
    path: Path
    summary: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    form: QueryForm
    prefixes: tuple[tuple[str, str], ...]

    @property
    def is_check(self) -> bool:
        """Whether this is a check that must return no rows."""
        return self.name.startswith("checks/")

    @property
    def computed_in_python(self) -> bool:
        """Whether this check is computed in Python, its text a header over ``WHERE {}``.

        The checks of :mod:`clustergraph.pipeline.curation_checks`, ``name_checks`` and
        ``findings`` describe their columns so; their text answers nothing of the data and
        is never run as SPARQL (the workbench does not offer it).
        """
        return self.is_check and self.text.rstrip().endswith("WHERE {}")

    def bindings(self, values: Mapping[str, str] | None = None) -> dict[str, Term]:
        """Return the term bound to each parameter: the given value or the default.

        A parameter whose default is ``UNDEF`` and that is not given is left out: its
        variable stays unbound.

        Parameters
        ----------
        values
            Parameter name to the value a user typed.

        Raises
        ------
        ParamError
            For an unknown parameter name or a value of the wrong type.
        """
        values = dict(values or {})
        known = {p.name: p for p in self.params}
        for name in values:
            if name not in known:
                hint = f" (parameters: {', '.join(known)})" if known else " (it has none)"
                raise ParamError(f"query {self.name!r} has no parameter {name!r}{hint}")
        prefixes = {**PREFIXES, **dict(self.prefixes)}
        result: dict[str, Term] = {}
        for param in self.params:
            if param.name in values:
                try:
                    result[param.name] = param.type.term(values[param.name], prefixes)
                except InputError as exc:
                    raise ParamError(f"parameter {param.name!r} of {self.name!r}: {exc}") from exc
            elif param.default is not None:
                result[param.name] = param.default
        return result


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_KEY = re.compile(r"#\+ (?P<key>[a-z]+):(?: (?P<value>.*))?")
_ITEM = re.compile(r"#\+   - (?P<item>.*)")
_TAG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAM = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*): (?P<type>[a-z]+) = (?P<default>.+)")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_LIST_KEYS = {"tags", "params"}


def _error(path: Path, line: int, column: int, message: str) -> QueryFileError:
    return QueryFileError(f"{path}:{line}:{column}: {message}")


def _parse_header(text: str, path: Path) -> tuple[dict[str, str], dict[str, list[tuple[int, str]]]]:
    """Read the ``#+`` block: scalar keys, and list keys with (line, item) pairs."""
    scalars: dict[str, str] = {}
    lists: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            break
        item = _ITEM.fullmatch(line)
        if item is not None:
            if current is None:
                raise _error(path, number, 1, "list item outside 'tags:' or 'params:'")
            lists[current].append((number, item.group("item").strip()))
            continue
        key = _KEY.fullmatch(line)
        if key is None:
            raise _error(path, number, 1, "expected '#+ key: value' or '#+   - item' in the header")
        name, value = key.group("key"), key.group("value")
        if name in seen:
            raise _error(path, number, 4, f"'{name}' given twice")
        seen.add(name)
        if name in _LIST_KEYS:
            if value:
                raise _error(path, number, 4, f"'{name}:' takes a list of '#+   - ' lines below it")
            lists[name] = []
            current = name
        elif name == "summary":
            if not value or not value.strip():
                raise _error(path, number, 4, "'summary' is empty")
            scalars[name] = value.strip()
            current = None
        else:
            raise _error(
                path, number, 4, f"unknown header key {name!r} (keys: summary, tags, params)"
            )
    if "summary" not in scalars:
        raise _error(path, 1, 1, "the header has no '#+ summary:' line")
    if not lists.get("tags"):
        raise _error(path, 1, 1, "the header has no '#+ tags:' with at least one tag")
    return scalars, lists


def _parse_param(item: str, line: int, path: Path, prefixes: Mapping[str, str]) -> Param:
    match = _PARAM.fullmatch(item)
    if match is None:
        raise _error(path, line, 7, f"expected 'name: type = default', got {item!r}")
    try:
        ptype = ParamType(match.group("type"))
    except ValueError:
        types = ", ".join(t.value for t in ParamType)
        raise _error(
            path, line, 7, f"unknown parameter type {match.group('type')!r} (types: {types})"
        ) from None
    raw = match.group("default").strip()
    if raw == "UNDEF":  # no default: the variable stays unbound unless given
        return Param(match.group("name"), ptype, None)
    if ptype is ParamType.STRING:
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raw = None
        if not isinstance(raw, str):
            raise _error(path, line, 7, "a string default is a double-quoted JSON string")
    try:
        default = ptype.term(raw, prefixes)
    except InputError as exc:
        raise _error(path, line, 7, f"bad default of {match.group('name')!r}: {exc}") from exc
    return Param(match.group("name"), ptype, default)


_OX_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", re.IGNORECASE)


def _check_syntax(text: str, path: Path) -> None:
    """Raise Oxigraph's syntax error for ``text``, which points at the mistake itself.

    The query is parsed by running it against an empty store: a query that parses is
    answered at once there, and nothing is ever written. A query nested or chained past
    :func:`clustergraph.store.sparql.check_shape`'s limits is refused before.
    """
    try:
        check_shape(text)
    except QueryError as exc:
        raise _error(path, 1, 1, str(exc)) from None
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        message = exc.msg or str(exc)
        match = _OX_POSITION.match(message)
        line, column, detail = (
            (int(match[1]), int(match[2]), match[3]) if match else (1, 1, message)
        )
        if "Prefix not found" in detail:
            detail = "undeclared prefix"
        detail = " ".join(detail.split())
        if len(detail) > 160:
            detail = detail[:157] + "..."
        raise _error(path, line, column, f"SPARQL syntax error: {detail}") from None
    except (ValueError, OSError, RuntimeError):  # a valid query that fails on an empty store
        return


def parse_query_file(text: str, *, name: str, path: Path, strict: bool = True) -> QueryFile:
    """Parse the text of a query file: its header and its SPARQL.

    Parameters
    ----------
    text
        The file's content.
    name
        The query's name in the library.
    path
        How to name the file in errors.
    strict
        Whether the header is required (the library's files). A file outside the library
        with no ``#+`` line at all is read as plain SPARQL: no parameters, its file name
        as its summary.

    Raises
    ------
    QueryFileError
        ``path:line:column: message`` for a malformed header, a SPARQL syntax error,
        a parameter that is not a variable of the query, or an update instead of a query.
    """
    if not strict and not any(line.startswith("#+") for line in text.splitlines()):
        no_tags: dict[str, list[tuple[int, str]]] = {"tags": []}
        scalars, lists = {"summary": f"SPARQL of {path.name}"}, no_tags
    else:
        scalars, lists = _parse_header(text, path)
    try:
        form = QueryForm(query_form(text))
    except InputError:
        body = "\n".join("" if line.startswith("#") else line for line in text.splitlines())
        update = _UPDATE.search(body)
        if update is None:
            raise _error(
                path, 1, 1, "not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE"
            ) from None
        line = body.count("\n", 0, update.start()) + 1
        column = update.start() - body.rfind("\n", 0, update.start())
        raise _error(
            path, line, column, "a SPARQL update, not a query: the library holds queries only"
        ) from None
    _check_syntax(text, path)
    prefixes = tuple((p or "", iri) for p, iri in _PREFIX_DECL.findall(text))
    params = tuple(
        _parse_param(item, line, path, {**PREFIXES, **dict(prefixes)})
        for line, item in lists.get("params", [])
    )
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for param, (line, _) in zip(params, lists.get("params", []), strict=True):
        if not re.search(rf"[?$]{param.name}\b", body):
            raise _error(path, line, 7, f"parameter {param.name!r} is not a variable of the query")
    if len({p.name for p in params}) != len(params):
        raise _error(path, 1, 1, "a parameter is declared twice")
    for line, tag in lists["tags"]:
        if not _TAG.fullmatch(tag):
            raise _error(path, line, 7, f"a tag is lower-case words joined by '-', got {tag!r}")
    return QueryFile(
        name=name,
        path=path,
        summary=scalars["summary"],
        tags=tuple(tag for _, tag in lists["tags"]),
        params=params,
        text=text,
        form=form,
        prefixes=prefixes,
    )


def read_query_file(
    path: Path, *, name: str | None = None, shown: str | None = None, strict: bool = True
) -> QueryFile:
    """Read and parse one query file (see :func:`parse_query_file`)."""
    shown_path = Path(shown) if shown is not None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryFileError(f"{shown_path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryFileError(f"{shown_path}: cannot read: {exc}") from exc
    return parse_query_file(text, name=name or path.stem, path=shown_path, strict=strict)


# ---------------------------------------------------------------------------
# The library
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Library:
    """The queries of a project, by name."""

    project: Project
    paths: tuple[tuple[str, Path], ...]

    @classmethod
    def of(cls, project: Project) -> Library:
        """List the query files of ``project`` (their headers are read on access)."""
        root = project.root / "queries"
        if not root.is_dir():
            raise InputError(f"{project.relpath(root)}: no such directory")
        found = [(p.stem, p) for p in sorted(root.glob("*.rq"))]
        found += [(f"checks/{p.stem}", p) for p in sorted((root / "checks").glob("*.rq"))]
        return cls(project, tuple(found))

    @property
    def names(self) -> list[str]:
        """Names of all queries, questions first, then checks."""
        return [name for name, _ in self.paths]

    def __iter__(self) -> Iterator[QueryFile]:
        """Parse and yield every query (a malformed one raises)."""
        for name, _ in self.paths:
            yield self.get(name)

    def get(self, name: str) -> QueryFile:
        """Return the query called ``name``, or read ``name`` as a path to a ``.rq`` file.

        A file outside the library may be plain SPARQL, with no header (it then takes no
        parameters).

        Raises
        ------
        QueryLookupError
            If there is no such query; the message suggests the closest names.
        QueryFileError
            If the file is malformed.
        """
        for known, path in self.paths:
            if known == name:
                return read_query_file(path, name=name, shown=self.project.relpath(path))
        as_path = Path(name)
        if as_path.suffix == ".rq":
            return read_query_file(as_path, name=as_path.stem, strict=False)
        close = difflib.get_close_matches(name, self.names, n=3, cutoff=0.5)
        hint = (
            f"; did you mean {', '.join(close)}?"
            if close
            else "; 'clustergraph queries' lists them"
        )
        raise QueryLookupError(f"no query named {name!r}{hint}")


# ---------------------------------------------------------------------------
# As of a day
# ---------------------------------------------------------------------------

AS_OF_PARAM = "asOf"
"""The parameter of the queries that answer as of a day (``--as-of``, ``as_of=``)."""

DATED_ONLY_PARAM = "datedOnly"
"""The parameter leaving out the facts whose period is not stated (``--dated-only``)."""


def as_of_values(
    query: QueryFile, day: str | None, *, dated_only: bool = False, library: Library | None = None
) -> dict[str, str]:
    """Return the parameter values that ask ``query`` about ``day`` (``YYYY-MM-DD``).

    Raises
    ------
    ParamError
        If the query takes no ``asOf`` (naming the queries of ``library`` that do), or
        ``dated_only`` is asked without a day.
    """
    if day is None:
        if dated_only:
            raise ParamError("--dated-only goes with --as-of DATE")
        return {}
    names = {p.name for p in query.params}
    if AS_OF_PARAM not in names:
        takes = ""
        if library is not None:
            found = [q.name for q in library if any(p.name == AS_OF_PARAM for p in q.params)]
            takes = f"; the queries that do: {', '.join(found)}" if found else ""
        raise ParamError(f"query {query.name!r} does not answer as of a date{takes}")
    values = {AS_OF_PARAM: day}
    if dated_only:
        if DATED_ONLY_PARAM not in names:
            raise ParamError(f"query {query.name!r} has no {DATED_ONLY_PARAM!r} parameter")
        values[DATED_ONLY_PARAM] = "true"
    return values
