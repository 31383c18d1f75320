"""Entry point for `python -m minzheng`."""

import sys

from minzheng.cli import main

sys.exit(main(private=True))
