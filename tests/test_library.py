"""The query library's strict headers, parameters and lookup."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from clustergraph.project.layout import Project
from clustergraph.queries.library import (
    Library,
    ParamError,
    ParamType,
    QueryFileError,
    QueryForm,
    QueryLookupError,
    parse_query_file,
)
from clustergraph.rdf.terms import XSD

GOOD = """#+ summary: Members of an organisation.
#+ tags:
#+   - membership
#+ params:
#+   - org: iri = <https://w3id.org/clustergraph/id/org/eacn>
#+   - minimum: integer = 2
#+   - name: string = "Lithuanian \\"Cluster\\""
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX o: <https://w3id.org/clustergraph/id/org/>
SELECT ?member WHERE {
  ?m org:organization ?org ; org:member ?member . FILTER(?minimum > 0 && ?name != "")
}
"""


def parse(text: str) -> object:
    return parse_query_file(text, name="q", path=Path("queries/q.rq"))


def test_a_good_header() -> None:
    q = parse_query_file(GOOD, name="q", path=Path("queries/q.rq"))
    assert q.summary == "Members of an organisation."
    assert q.tags == ("membership",)
    assert q.form is QueryForm.SELECT
    assert [(p.name, p.type) for p in q.params] == [
        ("org", ParamType.IRI),
        ("minimum", ParamType.INTEGER),
        ("name", ParamType.STRING),
    ]
    assert q.params[2].default == ox.Literal('Lithuanian "Cluster"')
    assert q.bindings() == {
        "org": ox.NamedNode("https://w3id.org/clustergraph/id/org/eacn"),
        "minimum": ox.Literal("2", datatype=ox.NamedNode(XSD + "integer")),
        "name": ox.Literal('Lithuanian "Cluster"'),
    }
    # a prefixed name is read with the query's own prefixes
    lcn = ox.NamedNode("https://w3id.org/clustergraph/id/org/lcn")
    assert q.bindings({"org": "o:lcn"})["org"] == lcn


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("#+ tags:\n#+   - x\nASK {}", "queries/q.rq:1:1", "no '#+ summary:'"),
        ("#+ summary: s\nASK {}", "queries/q.rq:1:1", "no '#+ tags:'"),
        ("#+ summary: s\n#+ tags:\nASK {}", "queries/q.rq:1:1", "no '#+ tags:'"),
        ("#+ summary: s\n#+ tags:\n#+   - x\n#+ author: me\nASK {}", "queries/q.rq:4:4", "unknown"),
        ("#+ summary: s\n#+ summary: t\n#+ tags:\n#+   - x\nASK {}", "queries/q.rq:2:4", "twice"),
        ("#+ summary:\n#+ tags:\n#+   - x\nASK {}", "queries/q.rq:1:4", "empty"),
        ("#+ summary: s\n#+ tags: a, b\nASK {}", "queries/q.rq:2:4", "list"),
        ("#+   - x\n#+ summary: s\nASK {}", "queries/q.rq:1:1", "outside"),
        ("#+ summary: s\n#+ tags:\n#+  - x\nASK {}", "queries/q.rq:3:1", "expected"),
        ("#+ summary: s\n#+ tags:\n#+   - Big Tag\nASK {}", "queries/q.rq:3:7", "lower-case"),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\n"
            "#+ params:\n#+   - org = <urn:x>\nASK { ?org ?p ?o }",
            "queries/q.rq:5:7",
            "name: type = default",
        ),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\n"
            "#+ params:\n#+   - org: uri = <urn:x>\nASK { ?org ?p ?o }",
            "queries/q.rq:5:7",
            "unknown parameter type 'uri'",
        ),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\n"
            "#+ params:\n#+   - n: integer = two\nASK { ?n ?p ?o }",
            "queries/q.rq:5:7",
            "bad default",
        ),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\n"
            "#+ params:\n#+   - s: string = bare\nASK { ?s ?p ?o }",
            "queries/q.rq:5:7",
            "double-quoted",
        ),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\n"
            "#+ params:\n#+   - org: iri = <urn:x>\nASK { ?s ?p ?o }",
            "queries/q.rq:5:7",
            "not a variable of the query",
        ),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\nSELECT * WHERE {\n  ?s ?p\n}",
            "queries/q.rq:6:",
            "SPARQL",
        ),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\nSELECT * { ?s nope:p ?o }",
            "queries/q.rq:4:",
            "undeclared prefix",
        ),
        (
            "#+ summary: s\n#+ tags:\n#+   - x\nINSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "queries/q.rq:4",
            "SPARQL",
        ),
    ],
)
def test_a_malformed_file_names_file_line_and_column(text: str, where: str, says: str) -> None:
    with pytest.raises(QueryFileError) as info:
        parse(text)
    message = str(info.value)
    assert message.startswith(where), message
    assert says in message, message
    assert "\n" not in message


def test_parameter_values_are_typed_and_checked() -> None:
    q = parse_query_file(GOOD, name="q", path=Path("queries/q.rq"))
    with pytest.raises(ParamError, match="parameter 'minimum'.*not a valid integer"):
        q.bindings({"minimum": "3; DROP ALL"})
    with pytest.raises(ParamError, match="no parameter 'size'.*org, minimum, name"):
        q.bindings({"size": "3"})
    with pytest.raises(ParamError, match="not an IRI"):
        q.bindings({"org": "<https://e.org/x> } ; DROP ALL { <urn:y>"})
    with pytest.raises(ParamError, match="unknown prefix 'nope'"):
        q.bindings({"org": "nope:x"})
    # a string holds anything: it is bound as a literal, never written into the text
    assert q.bindings({"name": '"} ; DROP ALL ; {'})["name"] == ox.Literal('"} ; DROP ALL ; {')


def test_unknown_name_suggests_the_closest(tmp_path: Path) -> None:
    (tmp_path / "queries" / "checks").mkdir(parents=True)
    for name in ("members-of-organisation", "posts-of-person"):
        (tmp_path / "queries" / f"{name}.rq").write_text(GOOD, encoding="utf-8")
    (tmp_path / "queries" / "checks" / "post-without-holder.rq").write_text(GOOD, encoding="utf-8")
    library = Library.of(Project(tmp_path))
    assert library.names == [
        "members-of-organisation",
        "posts-of-person",
        "checks/post-without-holder",
    ]
    assert library.get("checks/post-without-holder").is_check
    with pytest.raises(QueryLookupError, match="did you mean members-of-organisation"):
        library.get("members-of-organization")
    with pytest.raises(QueryLookupError, match="clustergraph queries"):
        library.get("zzzzzzzz")


def test_a_path_to_a_query_file_works(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(GOOD, encoding="utf-8")
    assert Library.of(project).get(str(path)).name == "mine"
