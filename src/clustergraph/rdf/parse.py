r"""Strict parsing of one RDF file: exactly what it says, or one line saying what is wrong.

Files are parsed by Oxigraph, which rejects what laxer parsers let through (invalid IRIs,
bad language tags, ...). On top of the syntax:

* a UTF-8 byte-order mark at the start is skipped;
* relative IRIs resolve against the file's ``@base``, else against ``base_iri`` (for a
  project file, its graph's IRI): ``<#x>`` in ``data/sources/a.ttl`` is
  ``<https://w3id.org/clustergraph/graph/source/a#x>``;
* literals keep their lexical form, datatype and time zone as written
  (``"2021-03-05+02:00"^^xsd:date`` keeps its zone), and every literal of a numeric,
  boolean or date/time datatype must be a value of it (:mod:`clustergraph.rdf.lexical`):
  ``"2021-02-30"^^xsd:date`` and ``"--02-30"^^xsd:gMonthDay`` are refused;
* a quads file (N-Quads, TriG, JSON-LD) may hold only the default graph and ``graph``;
  :func:`parse_source`, which reads a project's sources, keeps a publisher's named
  graphs under ``graph`` (``<graph>/1``, ``<graph>/2``, ...; never one of the project's
  own graphs) and counts the IRIs written relative with no ``@base`` that resolve
  elsewhere than the graph itself and its fragments (``<>`` and ``<#x>`` are the usual
  way to name them);
* an empty file, or one of comments and prefixes only, is refused.

What the store keeps: every literal comes back as written, or the file is refused here
with what to write instead (:mod:`clustergraph.rdf.kept` asks Oxigraph itself). Oxigraph
keeps a literal of an XSD numeric, boolean, date/time or duration datatype as its value
and writes it back in one spelling, with no subtypes of ``xsd:integer`` and no
``xsd:dateTimeStamp``, and computes only with integers of 64 bits and decimals of 18
places; so ``"007"^^xsd:integer`` (write ``"7"``), Turtle's ``1.0`` (write
``"1"^^xsd:decimal``), ``"120"^^xsd:nonNegativeInteger`` (write ``xsd:integer``) and an
integer of 30 digits are refused, at their line and column. So is a literal holding a
control character XML 1.0 cannot carry (U+0001, U+000C, ...). Language tags are compared
without regard to case (RDF 1.1, BCP 47) and Oxigraph keeps them in lower case
(``en-GB`` as ``en-gb``): the library's queries compare them with ``LANGMATCHES`` or
``LCASE(LANG(...))``, so they answer the same on every store.

Every error is one :class:`~clustergraph.errors.InputError` line,
``file:line:column: message``, naming the position once.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp, "x.ttl")
...     _ = path.write_bytes(b'\xef\xbb\xbf<#a> <http://e/p> "2021-03-05+02:00"^^<http://www.w3.org/2001/XMLSchema#date> .')
...     triples = parse_file(path, graph="http://e/g", shown="x.ttl")
>>> triples[0].subject.value, triples[0].object.value
('http://e/g#a', '2021-03-05+02:00')
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp, "x.ttl")
...     _ = path.write_text('<http://e/a> <http://e/p>\n  "2021-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .')
...     parse_file(path, graph="http://e/g", shown="x.ttl")
Traceback (most recent call last):
...
clustergraph.errors.InputError: x.ttl:2:3: "2021-02-30" is not a valid xsd:date: no such day: February has 28 days in 2021
"""  # noqa: E501

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.project.layout import GRAPH_NS
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.kept import changes, literals, short, xml_problem, xml_problems
from clustergraph.rdf.lexical import CHECKED, problem

BOM = b"\xef\xbb\xbf"

# pyoxigraph's messages start with the position, which the error puts in front itself.
_POSITION = re.compile(
    r"^Parser error (?:at line \d+ (?:between columns \d+ and \d+|column \d+)"
    r"|between line \d+ column \d+ and line \d+ column \d+): "
)
_TOO_LARGE = 16 * 1024 * 1024


def position(data: bytes, offset: int) -> tuple[int, int]:
    r"""Return the line and column (from 1, in characters) of a byte offset of ``data``.

    Examples
    --------
    >>> position("a\nbč d".encode(), 6)
    (2, 4)
    """
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return line, column


def _find_literal(data: bytes, lexical: str) -> tuple[int, int]:
    """Return where the literal ``lexical`` is written first (1:1 if not found).

    A typed literal (``"x"^^``) is looked for first, then the quoted text anywhere (as
    in JSON-LD's ``"@value": "x"``), then the text as a bare Turtle number or boolean.
    """
    text = re.escape(lexical.encode())
    for pattern in (
        rb"[\"']" + text + rb"[\"']\^\^",
        rb"[\"']" + text,
        rb"(?<![\w.:+\-\"'])" + text + rb"(?:(?![\w.+\-])|(?=\.\s))",
    ):
        for match in re.finditer(pattern, data):
            if not _in_comment(data, match.start()):
                return position(data, match.start())
    return 1, 1


def _in_comment(data: bytes, offset: int) -> bool:
    """Whether ``offset`` is on a line that is a comment (``#`` first)."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data[start:offset].lstrip().startswith(b"#")


def _find_character(data: bytes, code: str, lexical: str) -> tuple[int, int]:
    r"""Return where the character ``code`` (``U+XXXX``) is written first.

    Written as itself, or escaped (``\u0001``, ``\U00000001``, ``\f``, ``\b``);
    else where the literal holding it starts.
    """
    number = int(code[2:], 16)
    raw = data.find(chr(number).encode())
    if raw >= 0:
        return position(data, raw)
    escapes = [f"\\u{number:04x}", f"\\U{number:08x}"]
    escapes += {0x08: ["\\b"], 0x0C: ["\\f"]}.get(number, [])
    found = [
        match.start()
        for escape in escapes
        if (match := re.search(re.escape(escape).encode(), data, re.IGNORECASE))
    ]
    if found:
        return position(data, min(found))
    return _find_literal(data, lexical)


def _locate_large(data: bytes) -> tuple[int, int]:
    """Return where the first string longer than the parser takes starts."""
    start, at = 0, 0
    while at < len(data):
        at = data.find(b'"', at)
        if at < 0:
            break
        end = data.find(b'"', at + 1)
        if end < 0 or end - at > _TOO_LARGE:
            return position(data, at)
        at = end + 1
        start = at
    return position(data, start)


def _syntax_error(exc: SyntaxError, shown: str, fmt: RdfFormat, data: bytes) -> InputError:
    line = exc.lineno if exc.lineno is not None else 1
    column = exc.offset if exc.offset is not None else 1
    message = _POSITION.sub("", exc.msg or str(exc)).replace("\n", " ")
    if "LoadDocumentCallback" in message or "remote context" in message:
        offset = data.find(b'"@context"')
        if offset >= 0:
            line, column = position(data, offset)
        return InputError(
            f"{shown}:{line}:{column}: a remote JSON-LD @context cannot be loaded (the "
            "toolkit reads no network): inline the context or write Turtle"
        )
    if message.startswith("Unexpected end") and _opens_string(data, line, column):
        return InputError(
            f"{shown}:{line}:{column}: a string opened at line {line} is not closed "
            "(close it with the quotes that open it)"
        )
    if message.startswith("Unexpected end") and fmt is RdfFormat.TRIG:
        opened = _open_brace(data)
        if opened is not None:
            line, column = position(data, opened)
            return InputError(
                f"{shown}:{line}:{column}: a graph block opened at line {line} is not "
                "closed (end it with '}')"
            )
    if "No scheme found" in message or "relative IRI" in message.lower():
        if fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS):
            fix = (
                f"{fmt.label} takes absolute IRIs only: write the full IRI, or write the "
                "file in Turtle, where a relative IRI resolves against the graph's IRI"
            )
        else:
            fix = "write the full IRI, or an absolute @base at the top of the file"
        message = f"a relative IRI that cannot be resolved: {fix}"
    return InputError(f"{shown}:{line}:{column}: {message}")


_TOKENS = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings, then short ones
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n]|\\.)*"'
    rb"|'(?:[^'\\\n]|\\.)*'"
    rb"|<[^>\s]*>|#[^\n]*|[{}]"  # IRIs, comments, braces
)


def _open_brace(data: bytes) -> int | None:
    r"""Return the byte offset of the last ``{`` of TriG ``data`` never closed, if any.

    Strings, IRIs and comments are skipped, so braces inside them do not count.

    Examples
    --------
    >>> _open_brace(b'<g> { <s> <p> "a { b" . # {\n }'), _open_brace(b"<g> {\n<s> <p> <o> .")
    (None, 4)
    """
    opened: list[int] = []
    for match in _TOKENS.finditer(data):
        token = match.group()
        if token == b"{":
            opened.append(match.start())
        elif token == b"}" and opened:
            opened.pop()
    return opened[-1] if opened else None


def _opens_string(data: bytes, line: int, column: int) -> bool:
    """Whether a quote opens a string at ``line``:``column`` (from 1, in characters)."""
    lines = data.split(b"\n")
    if not 0 < line <= len(lines):
        return False
    text = lines[line - 1].decode("utf-8", "replace")
    return text[column - 1 : column] in ('"', "'")


def parse_file(
    path: Path,
    *,
    graph: str,
    shown: str | None = None,
    fmt: RdfFormat | None = None,
    base_iri: str | None = None,
) -> list[ox.Triple]:
    """Parse one RDF file strictly into the triples of graph ``graph``.

    Parameters
    ----------
    path
        The file.
    graph
        The named graph the file's triples belong to.
    shown
        How to name the file in error messages (default: ``path`` as given).
    fmt
        The format (default: from the file's extension, in any case).
    base_iri
        The base for relative IRIs (default: ``graph``).

    Returns
    -------
    list of pyoxigraph.Triple
        The triples, in the order of the file.

    Raises
    ------
    InputError
        One line naming the file (with line and column where known) for a missing or
        unreadable file, a syntax error, an ill-typed literal, a graph a quads file may
        not hold, or an empty file.
    """
    name, fmt, data = _read(path, shown, fmt)
    return parse_bytes(data, graph=graph, shown=name, fmt=fmt, base_iri=base_iri)


def parse_bytes(
    data: bytes,
    *,
    graph: str,
    shown: str,
    fmt: RdfFormat,
    base_iri: str | None = None,
) -> list[ox.Triple]:
    """Parse RDF ``data`` strictly (see :func:`parse_file`)."""
    return _parse(data, graph=graph, shown=shown, fmt=fmt, base_iri=base_iri).triples


@dataclass
class Parsed:
    """What :func:`parse_source` read of one source file.

    Attributes
    ----------
    triples
        The triples of the file's own graph (its default graph, and ``graph`` itself).
    graphs
        The publisher's named graphs, each under the file's graph
        (``<graph>/1``, ``<graph>/2``, ... in the order they first appear): graph to
        its triples.
    names
        Each of those graphs to the name the publisher gave it.
    relative
        How many IRIs were written relative with no ``@base`` before them (they resolve
        against the file's graph), and the first of them as resolved.
    """

    triples: list[ox.Triple] = field(default_factory=list)
    graphs: dict[str, list[ox.Triple]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    relative: int = 0
    first_relative: str = ""


_RELATIVE_ORIGIN = (
    "http://relative.invalid"  # a base no real IRI has: what resolves to it was relative
)


def parse_source(path: Path, *, graph: str, shown: str | None = None) -> Parsed:
    """Parse a source file strictly, keeping a publisher's named graphs (TriG, N-Quads).

    Like :func:`parse_file`, but a quad of a named graph other than ``graph`` is kept,
    in ``<graph>/<n>`` (``n`` counting the publisher's graphs from 1 in the order they
    first appear), and relative IRIs written with no ``@base`` are counted.

    Raises
    ------
    InputError
        As :func:`parse_file`.
    """
    name, fmt, data = _read(path, shown, None)
    return _parse(data, graph=graph, shown=name, fmt=fmt, keep_graphs=True)


def _unrelative(origin: str, graph: str, parsed: Parsed, term: Any) -> Any:
    """Return ``term`` with an IRI resolved against the stand-in base moved to ``origin``.

    One that resolves to the graph itself or a fragment of it (``<>``, ``<#x>``) is the
    documented use; any other is counted.
    """
    if isinstance(term, ox.NamedNode) and term.value.startswith(_RELATIVE_ORIGIN):
        value = origin + term.value[len(_RELATIVE_ORIGIN) :]
        if value != graph and not value.startswith(graph + "#"):
            parsed.relative += 1
            if not parsed.first_relative:
                parsed.first_relative = value
        return ox.NamedNode(value)
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(_RELATIVE_ORIGIN):
        return ox.Literal(term.value, datatype=_unrelative(origin, graph, parsed, term.datatype))
    return term


def _parse(
    data: bytes,
    *,
    graph: str,
    shown: str,
    fmt: RdfFormat,
    base_iri: str | None = None,
    keep_graphs: bool = False,
) -> Parsed:
    if data.startswith(BOM):
        data = data[len(BOM) :]
    if not data.strip():
        raise InputError(f"{shown}: the file is empty")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position(data, exc.start)
        raise InputError(f"{shown}:{line}:{column}: not UTF-8 text") from None
    own = ox.NamedNode(graph)
    parsed = Parsed()
    triples = parsed.triples
    base = base_iri or graph
    origin = ""
    if keep_graphs and base_iri is None:
        split = urlsplit(graph)
        origin = f"{split.scheme}://{split.netloc}"
        base = _RELATIVE_ORIGIN + graph[len(origin) :]
    numbered: dict[Any, str] = {}
    elsewhere: Any = None  # a graph the file may not write, judged once it is parsed
    try:
        # The whole file is parsed before its graphs are judged: a syntax error (a quad
        # with a fifth term, a graph block not closed) is the error to report, with its
        # line, even where the parser has already given a quad of another graph.
        for quad in ox.parse(data, format=fmt.oxigraph, base_iri=base):
            name = quad.graph_name
            triple = quad.triple
            if origin:
                triple = ox.Triple(
                    *(
                        _unrelative(origin, graph, parsed, t)
                        for t in (triple.subject, triple.predicate, triple.object)
                    )
                )
                name = _unrelative(origin, graph, parsed, name)
            if not isinstance(name, ox.DefaultGraph) and name != own:
                as_written = quad.graph_name  # a relative name is the publisher's
                if not keep_graphs or (
                    isinstance(as_written, ox.NamedNode) and as_written.value.startswith(GRAPH_NS)
                ):
                    elsewhere = elsewhere or name
                    continue
                sub = numbered.get(name)
                if sub is None:
                    sub = numbered[name] = f"{graph}/{len(numbered) + 1}"
                    parsed.names[sub] = name.value if isinstance(name, ox.NamedNode) else str(name)
                    parsed.graphs[sub] = []
                parsed.graphs[sub].append(triple)
                continue
            triples.append(triple)
    except SyntaxError as exc:
        raise _syntax_error(exc, shown, fmt, data) from None
    except MemoryError:
        line, column = _locate_large(data)
        raise InputError(
            f"{shown}:{line}:{column}: a term too large to parse (over "
            f"{_TOO_LARGE // (1024 * 1024)} MB)"
        ) from None
    except (ValueError, OSError) as exc:
        raise InputError(f"{shown}: {' '.join(str(exc).split())}") from None
    if elsewhere is not None:
        allowed = (
            "its publisher's graphs, never another graph of the project"
            if keep_graphs
            else "nothing else"
        )
        raise InputError(
            f"{shown}: holds a triple in graph {elsewhere}: a source file holds its own "
            f"graph <{graph}> (or the default graph), {allowed}"
        )
    if not triples and not parsed.graphs:
        raise InputError(f"{shown}: the file holds no triple")
    written: dict[ox.Literal, None] = {}  # in the order of the file, once each
    for triple in [*triples, *(t for ts in parsed.graphs.values() for t in ts)]:
        value = triple.object
        if isinstance(value, ox.Literal):
            written[value] = None
        elif isinstance(value, ox.Triple):  # RDF 1.2: the literals inside too
            written.update(dict.fromkeys(literals(value)))
    check_values(list(written), data, shown)
    return parsed


def check_values(written: list[ox.Literal], data: bytes, shown: str) -> None:
    """Refuse what the store would not give back as written (see the module docstring).

    Parameters
    ----------
    written
        The literals of a file (those inside triple terms too).
    data
        The file's bytes, to say where a refused literal is.
    shown
        How to name the file.

    Raises
    ------
    InputError
        ``file:line:column:`` and the first literal that is not a value of its datatype,
        holds a character XML 1.0 cannot carry, or would be respelled, retyped or not
        computed with by the store, with what to write instead.
    """
    checked = [v for v in written if not v.language and v.datatype.value in CHECKED]
    forbidden_somewhere = xml_problems(v.value for v in written)
    for value in checked if not forbidden_somewhere else written:
        if not value.language:
            datatype = value.datatype.value
            if datatype in CHECKED:
                wrong = problem(value.value, datatype)
                if wrong is not None:
                    line, column = _find_literal(data, value.value)
                    raise InputError(
                        f"{shown}:{line}:{column}: {_quoted(value.value)} is not a valid "
                        f"{short(datatype)}: {wrong}"
                    )
        forbidden = xml_problem(value.value)
        if forbidden is not None:
            line, column = _find_character(data, forbidden, value.value)
            raise InputError(
                f"{shown}:{line}:{column}: a literal holds {forbidden}, a control character "
                "XML 1.0 cannot carry (RDF/XML and XML results could not hold it): remove "
                "it or write a space instead"
            )
    for value, change in changes(written).items():
        line, column = _find_literal(data, value.value)
        raise InputError(
            f"{shown}:{line}:{column}: {_quoted(value.value)}^^{short(value.datatype.value)} "
            f"{change}"
        )


def _quoted(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _read(path: Path, shown: str | None, fmt: RdfFormat | None) -> tuple[str, RdfFormat, bytes]:
    """Return the name to show, the format and the bytes of an RDF file; one line if not."""
    name = shown if shown is not None else str(path)
    fmt = fmt or RdfFormat.from_path(path)
    if fmt is None:
        raise InputError(
            f"{name}: not an RDF file this toolkit reads (.ttl, .nt, .nq, .trig, .jsonld)"
        )
    try:
        return name, fmt, path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from exc
