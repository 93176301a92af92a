"""The package's shape: subpackages by role, imports pointing down only, nothing at import time.

Layers, lowest first: ``errors``, ``project``, ``rdf``, ``store``, ``queries``,
``pipeline``, ``network``, ``render``, the main job and front door (``build``, ``api``),
``cli``. A module imports from its own layer or a lower one, type-only imports included.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "clustergraph"

LAYERS = [
    "errors",
    "project",
    "rdf",
    "store",
    "queries",
    "pipeline",
    "network",
    "render",
    "build",
    "cli",
]
SAME_LAYER = {"api": "build"}
TOP = {"__init__", "__main__"}


def layer_of(module: str) -> int | None:
    """Return the layer of ``clustergraph.<part>...`` (None for the package's top)."""
    part = module.split(".")[1] if "." in module else ""
    part = SAME_LAYER.get(part, part)
    if part in TOP or part == "" or part.startswith("__"):
        return None
    return LAYERS.index(part)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(rel.parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if submodule in MODULES else node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n for n in names if n.startswith("clustergraph.")}


def test_every_subpackage_is_a_layer():
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(LAYERS), packages - set(LAYERS)
    loose = {p.stem for p in SRC.glob("*.py")} - TOP
    assert loose <= set(LAYERS) | set(SAME_LAYER), loose


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name: str):
    own = layer_of(name)
    if own is None:
        return
    upward = sorted(
        target
        for target in imports(MODULES[name])
        if (layer := layer_of(target)) is not None and layer > own
    )
    assert not upward, f"{name} ({LAYERS[own]}) imports from a higher layer: {upward}"


def test_no_import_cycles_between_modules():
    graph = {
        name: {t for t in imports(path) if t in MODULES and t != name}
        for name, path in MODULES.items()
    }
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycle.extend([*trail[trail.index(target) :], target] if target in trail else [])
                return True
            if state.get(target) is None and visit(target, [*trail, target]):
                return True
        state[node] = 2
        return False

    for start in sorted(graph):
        if state.get(start) is None and visit(start, [start]):
            break
    assert not cycle, " -> ".join(cycle)


def test_importing_the_command_line_loads_no_heavy_library():
    """``clustergraph query`` stays fast: rdflib, networkx, jinja2 load only when needed."""
    code = (
        "import sys, clustergraph.cli.main, clustergraph.queries.run, clustergraph.store;"
        "heavy = {'rdflib', 'networkx', 'jinja2', 'pyshacl', 'igraph', 'owlrl', 'pandas'};"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_site_and_the_views_need_no_pyvis():
    """The pages bundle their own vis-network: pyvis is an optional extra, for ``to_pyvis``."""
    code = (
        "import sys, clustergraph.build, clustergraph.render.site, clustergraph.render.views;"
        "from clustergraph.render.views import notebook_library_html, render_view;"
        "import networkx as nx; g = nx.Graph(); g.add_edge('a', 'b');"
        "render_view(g, title='t'); notebook_library_html();"
        "print('pyvis' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_query_on_an_embedded_store_loads_no_network_library(tmp_path: Path):
    """``clustergraph query`` starts without the HTTP client.

    The store brought in step, the query run, the table written: ``http.client``, ``ssl``
    and ``email`` are for remote stores.
    """
    root = tmp_path / "project"
    for folder in ("ontology", "data/vocab", "data/sources", "queries"):
        (root / folder).mkdir(parents=True)
    (root / "ontology/clustergraph.ttl").write_text("<urn:x:o> a <urn:x:Ontology> .\n")
    (root / "data/vocab/v.ttl").write_text("<urn:x:c> a <urn:x:Concept> .\n")
    graph = "https://w3id.org/clustergraph/graph/source/a"
    (root / "data/sources/a.ttl").write_text(
        f"<{graph}> a <https://w3id.org/clustergraph/ontology#SourceGraph> ;\n"
        "    <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:article> .\n"
    )
    query = SRC.parents[1] / "queries" / "entities-per-class.rq"
    (root / "queries" / query.name).write_text(query.read_text(encoding="utf-8"))
    code = (
        "import sys, contextlib, io; from clustergraph.cli.main import main;"
        "out = io.StringIO();"
        f"rc = [main(['--root', {str(root)!r}, 'query', 'entities-per-class']) for _ in 'ab'];"
        "net = {'http', 'ssl', 'email', 'urllib.request', 'socket'};"
        "heavy = {'rdflib', 'networkx', 'jinja2', 'pyshacl', 'igraph', 'owlrl', 'pandas'};"
        "print(rc, sorted((net | heavy) & ({m.split('.')[0] for m in sys.modules} |"
        " {m for m in sys.modules if m.startswith('urllib.')})), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "cg:SourceGraph" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[0, 0] []", out.stderr
