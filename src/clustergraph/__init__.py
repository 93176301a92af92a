"""Toolkit for clustergraph, a knowledge graph of industry clusters in RDF.

The package is split into small modules with one job each:

- :mod:`clustergraph.layout`: project layout, IRI conventions, file <-> named graph.
- :mod:`clustergraph.load`: strict Turtle loading into an :class:`rdflib.Dataset`.
- :mod:`clustergraph.namespace`: the closed ``CG`` namespace (generated from the ontology).
- :mod:`clustergraph.validate`: SHACL validation with readable reports.
- :mod:`clustergraph.stats`: counts of triples, entities and sources.
- :mod:`clustergraph.cli`: the ``clustergraph`` command.
- :mod:`clustergraph.build`: the main job, ``clustergraph build``: stages into ``build/``.
- :mod:`clustergraph.derive`: the OWL 2 RL shortcut triples, in their own named graph.
- :mod:`clustergraph.catalogue`: what the explorer says about each entity, the timeline.
- :mod:`clustergraph.ontodoc`: the ontology's documentation, with examples from the data.
- :mod:`clustergraph.site`: the explorer, a static site that opens from disk.
"""

__version__ = "0.1.0"
