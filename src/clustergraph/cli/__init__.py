"""The ``clustergraph`` command line: :func:`clustergraph.cli.main.main`."""
