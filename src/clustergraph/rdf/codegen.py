"""Generate :mod:`clustergraph.project.namespace` from the ontology.

Run after every edit of ``ontology/clustergraph.ttl`` (``make namespace``)::

    python -m clustergraph.rdf.codegen            # rewrite src/clustergraph/project/namespace.py
    python -m clustergraph.rdf.codegen --check    # exit 1 if the module is out of date

A term of the ontology is every IRI in the ``cg:`` namespace that is the subject of
an ``rdf:type`` triple in the ontology file (classes, properties, individuals,
concepts, ...). Names that are not valid Python attribute names go in ``_extras``
and are reached as ``CG["name"]``.

Examples
--------
>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix cg: <https://w3id.org/clustergraph/ontology#> .
...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     cg:Cluster a owl:Class ; rdfs:label "cluster"@en .
...     cg:class a owl:ObjectProperty .''', format="turtle")
>>> print(render_namespace(g).split("_NS = CG_NS", 1)[1].strip())
_extras = ("class",)
<BLANKLINE>
    # Classes
    Cluster = CG_NS + "Cluster"  # cluster
"""

from __future__ import annotations

import argparse
import keyword
import sys
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from clustergraph.errors import ClusterGraphError
from clustergraph.project.layout import CG_NS, ONTOLOGY_FILE, ONTOLOGY_GRAPH, Project
from clustergraph.project.vocab import ClosedNamespace
from clustergraph.rdf.parse import parse_file
from clustergraph.rdf.terms import to_rdflib_graph

_GROUPS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("Classes", (OWL.Class, RDFS.Class)),
    ("Object properties", (OWL.ObjectProperty,)),
    ("Datatype properties", (OWL.DatatypeProperty,)),
    ("Annotation properties", (OWL.AnnotationProperty,)),
    ("Other properties", (RDF.Property, OWL.FunctionalProperty, OWL.TransitiveProperty)),
    ("Individuals and concepts", ()),  # everything else
)
_LINE = 100
_RESERVED = frozenset(dir(ClosedNamespace)) | frozenset(dir(type))

_HEADER = '''"""The closed ``cg:`` namespace of the ontology: its terms as ``str`` IRIs.

Generated from {ontology} by ``python -m clustergraph.rdf.codegen``: do not edit.

Examples
--------
>>> CG.Cluster
'https://w3id.org/clustergraph/ontology#Cluster'
>>> CG.NoSuchTerm
Traceback (most recent call last):
...
AttributeError: type object 'CG' has no attribute 'NoSuchTerm'
"""

from clustergraph.project.layout import CG_NS
from clustergraph.project.vocab import ClosedNamespace


class CG(metaclass=ClosedNamespace):
    """Terms of the clustergraph ontology; unknown names raise AttributeError."""

    _NS = CG_NS
'''


def ontology_terms(ontology: Graph) -> set[URIRef]:
    """Return the terms the ontology defines in the ``cg:`` namespace.

    Parameters
    ----------
    ontology
        The ontology graph.

    Returns
    -------
    set of URIRef
        Every ``cg:`` IRI that is the subject of an ``rdf:type`` triple.
    """
    return {
        s
        for s in ontology.subjects(RDF.type, None)
        if isinstance(s, URIRef) and s.startswith(CG_NS) and len(s) > len(CG_NS)
    }


def is_attribute_name(name: str) -> bool:
    """Tell whether ``name`` can be an attribute of the generated ``CG`` class.

    Examples
    --------
    >>> is_attribute_name("Cluster"), is_attribute_name("class"), is_attribute_name("a-b")
    (True, False, False)
    """
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in _RESERVED
    )


def _label(ontology: Graph, term: URIRef) -> str:
    """Return the term's English (or untagged) label, on one line."""
    for prop in (RDFS.label, SKOS.prefLabel):
        labels = [o for o in ontology.objects(term, prop) if isinstance(o, Literal)]
        labels.sort(key=lambda lit: (lit.language not in ("en", None), lit.language or "", lit))
        if labels:
            return " ".join(str(labels[0]).split())
    return ""


def _group(ontology: Graph, term: URIRef) -> int:
    types = set(ontology.objects(term, RDF.type))
    for index, (_, classes) in enumerate(_GROUPS):
        if types.intersection(classes):
            return index
    return len(_GROUPS) - 1


def render_namespace(ontology: Graph) -> str:
    """Return the source of :mod:`clustergraph.project.namespace` for ``ontology``.

    Parameters
    ----------
    ontology
        The ontology graph (``ontology/clustergraph.ttl``).

    Returns
    -------
    str
        Python source, formatted as ``ruff format`` would leave it.
    """
    header = _HEADER.format(ontology=ONTOLOGY_FILE)
    terms = sorted(ontology_terms(ontology), key=str)
    groups: list[list[str]] = [[] for _ in _GROUPS]
    extras: list[str] = []
    for term in terms:
        name = term[len(CG_NS) :]
        if not is_attribute_name(name):
            extras.append(name)
            continue
        line = f'    {name} = CG_NS + "{name}"'
        label = _label(ontology, term)
        if label:
            room = _LINE - len(line) - 4
            if len(label) > room:
                label = label[: max(room - 3, 0)].rstrip() + "..."
            line += f"  # {label}"
        groups[_group(ontology, term)].append(line)
    body = ", ".join(_quote(name) for name in extras)
    parts = [header, f"    _extras = ({body}{',' if len(extras) == 1 else ''})\n"]
    for (title, _), lines in zip(_GROUPS, groups, strict=True):
        if lines:
            parts.append(f"\n    # {title}\n" + "\n".join(lines) + "\n")
    return "".join(parts)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite (or with ``--check``, compare) the namespace module; return an exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m clustergraph.rdf.codegen",
        description="Generate src/clustergraph/project/namespace.py from the ontology.",
    )
    parser.add_argument("--root", type=Path, help="project root (default: discovered)")
    parser.add_argument("--output", type=Path, help="file to write (default: the module)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 2
    output: Path = args.output or Path(__file__).parents[1] / "project" / "namespace.py"
    try:
        project = Project(args.root) if args.root else Project.discover()
        triples = parse_file(
            project.ontology_file,
            graph=ONTOLOGY_GRAPH,
            shown=project.relpath(project.ontology_file),
        )
        ontology = to_rdflib_graph(triples)
    except ClusterGraphError as exc:
        print(f"clustergraph: error: {exc}", file=sys.stderr)
        return 2
    source = render_namespace(ontology)
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if args.check:
        if current != source:
            print(f"{output.name} is out of date: run python -m clustergraph.rdf.codegen")
            return 1
        return 0
    if current != source:
        output.write_text(source, encoding="utf-8")
        print(f"wrote {output.name}: {len(ontology_terms(ontology))} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
