"""Packaging hook: the wheel carries the curated graph and the query library.

``ontology/``, ``data/`` and ``queries/`` stay at the top of a checkout, where curators
edit them; a built package gets a copy in ``clustergraph/project/bundle/``, which
:meth:`clustergraph.project.layout.Project.bundled` finds. Editable installs read the
checkout itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLE = {
    "ontology": ("*.ttl",),
    "data/vocab": ("*.ttl",),
    "data/sources": ("*.ttl", "*.nt", "*.nq", "*.trig", "*.jsonld"),
    "queries": ("*.rq",),
    "queries/checks": ("*.rq",),
}


class BuildWithBundle(build_py):  # type: ignore[misc]
    """Copy the project's data into the package being built."""

    def run(self) -> None:
        """Build the Python package, then copy the bundle beside it."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib, "clustergraph", "project", "bundle")
        shutil.rmtree(target, ignore_errors=True)
        for folder, patterns in BUNDLE.items():
            for pattern in patterns:
                for path in sorted((ROOT / folder).glob(pattern)):
                    destination = target / folder / path.name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, destination)


# setuptools' work files go to .setuptools/, not build/: build/ is the project's output,
# which `clustergraph build` replaces whole.
setup(cmdclass={"build_py": BuildWithBundle}, options={"build": {"build_base": ".setuptools"}})
