"""Entry point for `python -m minzheng`."""

import sys

from minzheng import db
from minzheng.cli import main

db.private_files()  # the database, its log, backups and outputs: owner only
sys.exit(main())
