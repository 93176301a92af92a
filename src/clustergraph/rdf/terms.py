r"""RDF terms: pyoxigraph's terms are the common currency; user input made safe.

Every store returns pyoxigraph terms (:data:`Term`): :class:`pyoxigraph.NamedNode`,
:class:`pyoxigraph.BlankNode` and :class:`pyoxigraph.Literal`. They keep a literal's
lexical form, datatype, language tag and time zone exactly as the store holds them.
rdflib terms appear only where rdflib is the right tool (pySHACL's input, a notebook
user's choice): :func:`to_rdflib` and :func:`from_rdflib` convert.

Values a user types (query parameters, entity names) become terms here, checked so
that no value can change the text of a query it is bound into (:func:`parse_iri`), and
terms are written in SPARQL and Turtle syntax by :func:`n3`.

Examples
--------
>>> n3(ox.Literal('x" } ; DROP ALL ; {'))
'"x\\" } ; DROP ALL ; {"'
>>> n3(ox.Literal("Vilnius", language="lt"))
'"Vilnius"@lt'
>>> parse_iri("o:eacn", {"o": "https://w3id.org/clustergraph/id/org/"})
<NamedNode value=https://w3id.org/clustergraph/id/org/eacn>
>>> parse_iri("<https://e.org/a> } ; DROP ALL", {})
Traceback (most recent call last):
...
clustergraph.errors.InputError: not an IRI: '<https://e.org/a> } ; DROP ALL'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import pyoxigraph as ox

from clustergraph.errors import InputError
from clustergraph.project.prefixes import PN_LOCAL, PN_PREFIX

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
"""An RDF term as the stores return it."""

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# RFC 3987 IRI with a scheme; the characters SPARQL's IRIREF forbids are excluded.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")


# Prefixed names as SPARQL and Turtle write them (PN_PREFIX ':' PN_LOCAL), any letter
# the grammar allows, escapes (\-, %C5) included; '/' is taken unescaped (``id:org/lcn``).
@functools.cache
def _prefixed() -> re.Pattern[str]:
    # Compiled when first used (its Unicode classes are slow to compile).
    return re.compile(f"({PN_PREFIX})?:({PN_LOCAL})?")


_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def has_blank_node(statement: ox.Triple | ox.Quad) -> bool:
    """Whether a blank node is the subject or object, or inside a triple term there.

    Examples
    --------
    >>> a, p = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")
    >>> has_blank_node(ox.Triple(a, p, a)), has_blank_node(ox.Triple(a, p, ox.BlankNode()))
    (False, True)
    >>> has_blank_node(ox.Triple(a, p, ox.Triple(ox.BlankNode(), p, a)))
    True
    """
    return any(
        isinstance(term, ox.BlankNode) or (isinstance(term, ox.Triple) and has_blank_node(term))
        for term in (statement.subject, statement.object)
    )


def relabel_blank_nodes(triples: Iterable[ox.Triple], prefix: str = "b") -> list[ox.Triple]:
    """Return ``triples`` with every blank node labelled ``prefix`` and a number.

    A file may label a blank node with any letter Turtle allows (``_:Ωμέγα``, letters
    past U+FFFF); a SPARQL parser need not take every such label (Oxigraph's SPARQL
    parser stops at U+FFFF), so triples written into an update carry labels of ASCII
    letters and digits only. One label gives one new label, also inside triple terms,
    so each node stays one node.

    Examples
    --------
    >>> p = ox.NamedNode("urn:p")
    >>> relabel_blank_nodes([ox.Triple(ox.BlankNode("\U00010000"), p, ox.BlankNode("x")),
    ...                      ox.Triple(ox.BlankNode("x"), p, ox.Literal("y"))], "g0x")
    [<Triple subject=<BlankNode value=g0x0> predicate=<NamedNode value=urn:p> object=<BlankNode value=g0x1>>, <Triple subject=<BlankNode value=g0x1> predicate=<NamedNode value=urn:p> object=<Literal value=y datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>>]
    """  # noqa: E501
    labels: dict[str, ox.BlankNode] = {}

    def own(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            found = labels.get(term.value)
            if found is None:
                found = labels[term.value] = ox.BlankNode(f"{prefix}{len(labels)}")
            return found
        if isinstance(term, ox.Triple):
            return ox.Triple(own(term.subject), term.predicate, own(term.object))
        return term

    return [ox.Triple(own(t.subject), t.predicate, own(t.object)) for t in triples]


def iri(value: str) -> ox.NamedNode:
    """Return the named node of ``value``.

    Raises
    ------
    InputError
        If ``value`` is not an absolute IRI.
    """
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise InputError(f"not an IRI: {value!r}") from exc


def n3(term: Term) -> str:
    r"""Write a term in SPARQL (and Turtle) syntax, escaped so that it is one term.

    Raises
    ------
    InputError
        For an IRI holding characters no IRI may hold.

    Examples
    --------
    >>> n3(ox.NamedNode("urn:a"))
    '<urn:a>'
    >>> n3(ox.Literal("5", datatype=ox.NamedNode(XSD + "integer")))
    '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> n3(ox.Triple(ox.BlankNode("b"), ox.NamedNode("urn:p"), ox.Literal("x")))
    '<<( _:b <urn:p> "x" )>>'
    """
    if isinstance(term, ox.NamedNode):
        value = term.value
        if any(c in value for c in '<>"{}|^`\\ \n\t'):
            raise InputError(f"not a valid IRI: {value!r}")
        return f"<{value}>"
    if isinstance(term, ox.Literal):
        quoted = f'"{term.value.translate(_ESCAPES)}"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{quoted}^^{n3(term.datatype)}"
        return quoted
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):  # an RDF 1.2 triple term
        return f"<<( {n3(term.subject)} {n3(term.predicate)} {n3(term.object)} )>>"
    raise InputError(f"cannot write {term!r} as a SPARQL term")


def text(term: Term | None) -> str:
    """Return the string value of a term: an IRI, a literal's lexical form, ``""`` if none."""
    return "" if term is None else term.value


def parse_iri(text: str, prefixes: Mapping[str, str]) -> ox.NamedNode:
    r"""Parse an IRI typed by a user: ``<IRI>``, a bare absolute IRI, or a prefixed name.

    Parameters
    ----------
    text
        What the user typed.
    prefixes
        Prefix name to namespace IRI, for prefixed names.

    Returns
    -------
    pyoxigraph.NamedNode
        The IRI, checked to hold none of the characters SPARQL forbids in IRIs.

    Raises
    ------
    InputError
        If ``text`` is not an IRI or uses an unknown prefix.

    Examples
    --------
    >>> parse_iri("<https://w3id.org/clustergraph/id/person/irmina-valyte>", {}).value
    'https://w3id.org/clustergraph/id/person/irmina-valyte'
    >>> parse_iri("x:y", {})
    Traceback (most recent call last):
    ...
    clustergraph.errors.InputError: unknown prefix 'x' in 'x:y'
    >>> parse_iri("o:šiaulių-klasteris", {"o": "https://w3id.org/clustergraph/id/org/"}).value
    'https://w3id.org/clustergraph/id/org/šiaulių-klasteris'
    >>> parse_iri(r"o:a\-b", {"o": "https://e.org/"}).value
    'https://e.org/a-b'
    """
    body = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    match = _prefixed().fullmatch(body) if body is text else None
    if match is not None and "://" not in body:
        prefix = match.group(1) or ""
        if prefix not in prefixes:
            raise InputError(f"unknown prefix {prefix!r} in {text!r}")
        body = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", match.group(2) or "")
    elif body is text and "://" not in body and body.partition(":")[0] in prefixes:
        raise InputError(
            f"not a prefixed name: {text!r} (a name after the prefix holds letters, digits, "
            "'_', '-', '.' and '/'; write any other character escaped, or the IRI in <...>)"
        )
    if not _IRI.fullmatch(body):
        raise InputError(f"not an IRI: {text!r}")
    return iri(body)


def to_rdflib(term: object, bnodes: dict[str, object] | None = None) -> Node:
    """Convert a pyoxigraph term to rdflib (for pySHACL and notebook users).

    Parameters
    ----------
    term
        A named node, blank node or literal.
    bnodes
        Blank node labels seen so far, so that one label maps to one rdflib blank node
        (pass one dictionary per document to keep documents' blank nodes apart).

    Raises
    ------
    InputError
        For terms rdflib cannot hold (RDF-star triple terms, directional strings).

    Examples
    --------
    >>> to_rdflib(ox.Literal("Šetkus", language="lt"))
    rdflib.term.Literal('Šetkus', lang='lt')
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        if bnodes is None:
            return BNode(term.value)
        node = bnodes.get(term.value)
        if node is None:
            node = bnodes[term.value] = BNode()
        assert isinstance(node, BNode)
        return node
    if isinstance(term, ox.Literal):
        if getattr(term, "direction", None) is not None:
            raise InputError("directional language strings are not supported")
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise InputError(f"unsupported RDF term {term!r} (RDF-star triple terms?)")


def from_rdflib(term: Node) -> Term:
    """Convert an rdflib term to pyoxigraph.

    Examples
    --------
    >>> from rdflib import Literal
    >>> from_rdflib(Literal("24", datatype=XSD + "integer")).value
    '24'
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"cannot convert {term!r} to an RDF term")


def to_rdflib_graph(
    triples: Iterable[ox.Triple | ox.Quad], *, identifier: str | None = None
) -> Graph:
    """Return an rdflib graph holding ``triples`` (the graph of a quad is ignored).

    One blank node label maps to one rdflib blank node throughout.

    Examples
    --------
    >>> a, p = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")
    >>> g = to_rdflib_graph([ox.Triple(a, p, ox.Literal("x"))])
    >>> len(g)
    1
    """
    from rdflib import Graph, URIRef

    graph = Graph(identifier=URIRef(identifier) if identifier else None)
    bnodes: dict[str, object] = {}
    graph.addN(
        (
            to_rdflib(t.subject, bnodes),
            to_rdflib(t.predicate, bnodes),
            to_rdflib(t.object, bnodes),
            graph,
        )
        for t in triples
    )
    return graph
