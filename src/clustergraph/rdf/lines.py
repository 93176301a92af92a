r"""Where a triple is written: the line of each triple of a Turtle, TriG, N-Triples or N-Quads file.

The store keeps no positions, so a finding about a triple finds its line afterwards, by
reading the file again with this small reader, which notes the line of each term as it
goes. It is used only when there are findings, and it never decides what a file means
(:mod:`clustergraph.rdf.parse` does): a file it cannot follow gives no lines, and the
finding names the file alone.

Terms are compared as the store keeps them: IRIs resolved against ``@base`` (else the
base given), literals by their lexical form. A TriG file's graph blocks and an N-Quads
line's graph name are read through (a triple's line, whatever graph holds it). JSON-LD
and RDF/XML files have no line per triple: :func:`no_lines` says so, for the findings.

Examples
--------
>>> text = b'''@prefix o: <https://example.org/o/> .
... @prefix cg: <https://example.org/cg#> .
... o:a a cg:Cluster ;
...     cg:coordinatedBy o:b ,
...         o:c .
... '''
>>> lines = TripleLines.read(text)
>>> lines.line("https://example.org/o/a", "https://example.org/cg#coordinatedBy",
...            "https://example.org/o/c")
5
>>> lines.subject_line("https://example.org/o/a")
3
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

__all__ = ["LINE_FORMATS", "TripleLines", "no_lines"]

LINE_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "ntriples", ".nq": "nquads"}
"""The file extensions the reader gives lines for, and the format each names."""

_NO_LINES = {".jsonld": "JSON-LD", ".rdf": "RDF/XML", ".owl": "RDF/XML", ".xml": "RDF/XML"}


def no_lines(file: str) -> str | None:
    """Say why a finding in ``file`` names no line, when its format has none.

    Examples
    --------
    >>> no_lines("data/sources/x.jsonld")
    'JSON-LD gives no line numbers'
    >>> no_lines("data/sources/x.trig") is None
    True
    """
    suffix = "." + file.rsplit(".", 1)[-1].lower() if "." in file else ""
    if suffix in _NO_LINES:
        return f"{_NO_LINES[suffix]} gives no line numbers"
    return None


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+|\#[^\n]*)
  | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<dt>\^\^)
  | (?P<bnode>_:[A-Za-z0-9_][A-Za-z0-9_.\-]*)
  | (?P<number>[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+
                       |[0-9]*\.[0-9]+|[0-9]+))
  | (?P<pname>(?:[A-Za-z][\w\-.]*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[.;,\[\](){}])
    """,
    re.VERBOSE | re.DOTALL,
)
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    line: int


class _UnreadableError(Exception):
    """The reader cannot follow the file (it then gives no lines)."""


def _unescape(body: str) -> str:
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n in "uU":
                width = 4 if n == "u" else 8
                out.append(chr(int(body[i + 2 : i + 2 + width], 16)))
                i += 2 + width
                continue
            out.append(_ESCAPES.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _tokens(text: str) -> Iterator[_Tok]:
    at = 0
    line = 1
    while at < len(text):
        found = _TOKEN.match(text, at)
        if found is None:
            raise _UnreadableError(f"line {line}")
        kind = found.lastgroup or ""
        chunk = found.group()
        if kind != "ws":
            yield _Tok(kind, chunk, line)
        line += chunk.count("\n")
        at = found.end()


@dataclass
class TripleLines:
    """The line of each triple of one Turtle file (see the module docstring)."""

    triples: dict[tuple[str, str, str], int] = field(default_factory=dict)
    subjects: dict[str, int] = field(default_factory=dict)
    objects: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes, base: str = "", syntax: str = "turtle") -> TripleLines:
        r"""Read ``data``; a file the reader cannot follow gives no lines.

        ``syntax``: ``turtle``, ``trig``, ``ntriples`` or ``nquads``
        (:data:`LINE_FORMATS`).

        Examples
        --------
        >>> trig = b'<http://e.org/g> { <http://e.org/a> <http://e.org/p> 1 }\n'
        >>> trig += b'GRAPH <http://e.org/h> {\n <http://e.org/a> <http://e.org/q> 2 . }\n'
        >>> lines = TripleLines.read(trig, syntax="trig")
        >>> [lines.line("http://e.org/a", "http://e.org/" + p) for p in "pq"]
        [1, 3]
        >>> nq = b'<http://e.org/a> <http://e.org/p> "x" <http://e.org/g> .\n'
        >>> quads = TripleLines.read(b"\n" + nq, syntax="nquads")
        >>> quads.line("http://e.org/a", "http://e.org/p")
        2
        """
        found = cls()
        try:
            _Reader(data.decode("utf-8-sig"), base, found, syntax).statements()
        except (_UnreadableError, IndexError, ValueError):
            pass
        return found

    def line(self, subject: str, predicate: str, obj: str | None = None) -> int | None:
        """Return the line of a triple (any object when ``obj`` is ``None``), if known."""
        if obj is not None:
            return self.triples.get((subject, predicate, obj))
        lines = [n for (s, p, _o), n in self.triples.items() if s == subject and p == predicate]
        return min(lines) if lines else None

    def subject_line(self, subject: str) -> int | None:
        """Return the first line where ``subject`` is described, if known."""
        return self.subjects.get(subject)

    def object_line(self, obj: str) -> int | None:
        """Return the first line where ``obj`` is an object, if known."""
        return self.objects.get(obj)

    def predicates_of(self, subject: str) -> set[str]:
        """Return the predicates the file gives ``subject``."""
        return {p for (s, p, _o) in self.triples if s == subject}

    def _add(self, s: str, p: str, o: str, line: int) -> None:
        self.triples.setdefault((s, p, o), line)
        self.subjects.setdefault(s, line)
        self.objects.setdefault(o, line)


class _Reader:
    def __init__(self, text: str, base: str, out: TripleLines, syntax: str = "turtle") -> None:
        self.syntax = syntax
        self.toks = list(_tokens(text))
        self.at = 0
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.out = out
        self.fresh = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.at] if self.at < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.at]
        self.at += 1
        return tok

    def statements(self, block: bool = False) -> None:
        """Read statements to the end of the file, or of a TriG graph block (``}``)."""
        while self.peek() is not None:
            tok = self.take()
            low = tok.text.lower()
            if block and tok.text == "}":
                return
            if (
                tok.kind == "lang"
                and low in ("@prefix", "@base")
                or (tok.kind == "word" and low in ("prefix", "base"))
            ):
                self.directive(low.lstrip("@"), dotted=tok.text.startswith("@"))
                continue
            if self.syntax == "trig" and not block and self.graph_block(tok):
                continue
            self.at -= 1
            subject, _line = self.subject()
            nxt = self.peek()
            if nxt is not None and not (nxt.kind == "punct" and nxt.text in (".", "}")):
                self.predicate_objects(subject)
            if block and self.peek() is not None and self.peek().text == "}":  # type: ignore[union-attr]
                continue  # the last triples of a block need no "."
            self.expect(".")
        if block:
            raise _UnreadableError("end of file in a graph block")

    def graph_block(self, tok: _Tok) -> bool:
        """Read a TriG graph block starting at ``tok`` (taken), if it starts one."""
        if tok.text == "{":
            self.statements(block=True)
            return True
        if tok.kind == "word" and tok.text.lower() == "graph":
            self.take()  # the graph's name
            self.expect("{")
            self.statements(block=True)
            return True
        nxt = self.peek()
        if tok.kind in ("iri", "pname", "bnode") and nxt is not None and nxt.text == "{":
            self.take()
            self.statements(block=True)
            return True
        return False

    def directive(self, word: str, *, dotted: bool) -> None:
        if word == "prefix":
            name = self.take().text
            self.prefixes[name[:-1]] = self.iri(self.take())
        else:
            self.base = self.iri(self.take())
        if dotted:
            self.expect(".")

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            raise _UnreadableError(f"line {tok.line}: {tok.text!r} where {text!r} was expected")

    def iri(self, tok: _Tok) -> str:
        if tok.kind == "iri":
            text = _unescape(tok.text[1:-1])
            if _ABSOLUTE.match(text) or not self.base:
                return text
            joined = urljoin(self.base, text)  # urljoin drops an empty fragment: keep it
            return joined + "#" if text.endswith("#") and not joined.endswith("#") else joined
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix not in self.prefixes:
                raise _UnreadableError(f"line {tok.line}: prefix {prefix!r}")
            return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        if tok.kind == "word" and tok.text == "a":
            return _RDF + "type"
        raise _UnreadableError(f"line {tok.line}: {tok.text!r} is not an IRI")

    def blank(self) -> str:
        self.fresh += 1
        return f"_:r{self.fresh}"

    def subject(self) -> tuple[str, int]:
        tok = self.take()
        if tok.kind == "bnode":
            return tok.text, tok.line
        if tok.text == "[":
            node = self.blank()
            if self.peek() is not None and self.peek().text != "]":  # type: ignore[union-attr]
                self.predicate_objects(node)
            self.expect("]")
            return node, tok.line
        if tok.text == "(":
            self.at -= 1
            return self.collection(), tok.line
        return self.iri(tok), tok.line

    def predicate_objects(self, subject: str) -> None:
        while True:
            predicate = self.iri(self.take())
            while True:
                value, line = self.object()
                self.out._add(subject, predicate, value, line)
                nxt = self.peek()
                if self.syntax == "nquads" and nxt is not None and nxt.kind in ("iri", "bnode"):
                    self.take()  # the quad's graph name
                    nxt = self.peek()
                if nxt is not None and nxt.text == ",":
                    self.take()
                    continue
                break
            nxt = self.peek()
            if nxt is None or nxt.text != ";":
                return
            while self.peek() is not None and self.peek().text == ";":  # type: ignore[union-attr]
                self.take()
            nxt = self.peek()
            if nxt is None or nxt.text in (".", "]"):
                return

    def collection(self) -> str:
        self.expect("(")
        head = _RDF + "nil"
        items = []
        while self.peek() is not None and self.peek().text != ")":  # type: ignore[union-attr]
            items.append(self.object())
        self.expect(")")
        for value, line in reversed(items):
            node = self.blank()
            self.out._add(node, _RDF + "first", value, line)
            self.out._add(node, _RDF + "rest", head, line)
            head = node
        return head

    def object(self) -> tuple[str, int]:
        tok = self.peek()
        if tok is None:
            raise _UnreadableError("end of file")
        if tok.kind in ("string", "long"):
            self.take()
            quote = 3 if tok.kind == "long" else 1
            value = _unescape(tok.text[quote:-quote])
            nxt = self.peek()
            if nxt is not None and nxt.kind == "lang":
                self.take()
            elif nxt is not None and nxt.kind == "dt":
                self.take()
                self.iri(self.take())
            return value, tok.line
        if tok.kind == "number":
            self.take()
            return tok.text, tok.line
        if tok.kind == "word" and tok.text in ("true", "false"):
            self.take()
            return tok.text, tok.line
        return self.subject()
