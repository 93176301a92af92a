"""A query that echoes a parameter, and values that try to break out of it."""

ECHO = """#+ summary: The text given, and the labels that contain it.
#+ tags:
#+   - search
#+ params:
#+   - text: string = "Cluster"
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?text ?label WHERE {
  OPTIONAL {
    ?entity skos:prefLabel ?label .
    FILTER (CONTAINS(LCASE(STR(?label)), LCASE(?text)))
  }
}
"""

PAYLOADS = [
    '"} ; DROP ALL ; {"',
    'x" ) } UNION { ?entity ?p ?label } #',
    "}",
    "\\",
    "line\nbreak",
    "'''",
    '"""',
    "> <urn:evil>",
    "Agency",
]
