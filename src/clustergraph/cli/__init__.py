"""The ``clustergraph`` command line (see :mod:`clustergraph.cli.main`)."""

from clustergraph.cli.main import main

__all__ = ["main"]
