"""render: the explorer site, the views and the ontology's documentation.

The names a build needs before it renders anything live here, so that a build with
nothing to render does not import the renderers.
"""

SITE_DIR = "site"
"""The site's directory inside the build directory."""

KEYS_FILE = "keys.json"
"""The site's record of what each keyed file shows (a hash), for incremental builds."""
