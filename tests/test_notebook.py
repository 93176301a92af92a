"""The walkthrough notebook runs from top to bottom on the front door (nbclient, a real kernel)."""

from __future__ import annotations

import pytest

from tests.conftest import REPO

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = REPO / "notebooks" / "walkthrough.ipynb"

pytestmark = pytest.mark.slow


def test_walkthrough_runs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], (
        "the notebook prints nothing on standard error"
    )
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for o in outputs
        if o.output_type in ("display_data", "execute_result")
    )
    assert "named graphs" in text and "sources" in text
    assert "rows" in text  # the members of FTD LT
    assert "most central (PageRank):" in text
    assert "via post holder Giedrius Bagušinskas (per:giedrius-bagusinskas)" in text  # a path
    assert "no path between FTD LT (o:ftd-lt)" in text and "is in part" in text
    assert "<table" in html and "UAB Aksonas" in html
    assert "<iframe srcdoc=" in html
    assert "pyvis network" in text
    assert "Smart Food Cluster" in html  # the membership added in memory
