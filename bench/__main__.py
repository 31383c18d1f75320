"""Entry point for `python -m bench [--quick] [--reps N]` (see bench/run.py)."""

import sys

from bench.run import main

sys.exit(main())
