"""Toolkit for clustergraph, a knowledge graph of industry clusters in RDF.

The package is split into small modules with one job each:

- :mod:`clustergraph.project.layout`: project layout, IRI conventions, file <-> named graph.
- :mod:`clustergraph.pipeline.load`: strict Turtle loading into an :class:`rdflib.Dataset`.
- :mod:`clustergraph.project.namespace`: the closed ``CG`` namespace (generated from the ontology).
- :mod:`clustergraph.pipeline.validate`: SHACL validation with readable reports.
- :mod:`clustergraph.pipeline.stats`: counts of triples, entities and sources.
- :mod:`clustergraph.cli.main`: the ``clustergraph`` command.
- :mod:`clustergraph.build`: the main job, ``clustergraph build``: stages into ``build/``.
- :mod:`clustergraph.pipeline.derive`: the OWL 2 RL shortcut triples, in their own named graph.
- :mod:`clustergraph.render.catalogue`: what the explorer says about each entity, the timeline.
- :mod:`clustergraph.render.ontodoc`: the ontology's documentation, with examples from the data.
- :mod:`clustergraph.render.site`: the explorer, a static site that opens from disk.
"""

__version__ = "0.1.0"
