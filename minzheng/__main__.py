"""Entry point for `python -m minzheng`."""

import sys

from minzheng.cli import main
from minzheng.store import db

db.private_files()  # the database, its log, backups and outputs: owner only
sys.exit(main())
