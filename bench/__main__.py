"""Entry point for `python -m bench [--quick]`: the combined run (see bench/suite.py)."""

import sys

from bench.suite import main

sys.exit(main())
