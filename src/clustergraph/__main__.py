"""Run the command line: ``python -m clustergraph``."""

import sys

from clustergraph.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
