"""The examples in the docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import clustergraph

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(clustergraph.__path__, prefix="clustergraph.")
    if info.name != "clustergraph.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, monkeypatch, project):
    monkeypatch.chdir(project.root)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} failing example(s) in {name}"
