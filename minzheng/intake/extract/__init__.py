"""From sheet grids to fact rows: ledgers, per-person ledgers and monthly summaries.

Every cell that feeds a fact is checked; each problem names the sheet, the cell (C12), the value
found and what was expected. Nothing here writes anywhere: the caller decides.

Modules: `result` (the Extraction and its schema), `cells` (cell parsers shared by all shapes),
`ledger` (the row-by-row path), `fast` (the columnar path for clean ledgers), `summary` (months
across), `wide` with `measures` (indicators across; 本月/累计/任务/比率 columns), `cumulative`
(months from 累计 figures), `explain` (how each sheet was read) and `dispatch` (which reader
each sheet gets).
"""

from minzheng.intake.extract.cumulative import DatabaseHistory, History
from minzheng.intake.extract.dispatch import Extractor, extract
from minzheng.intake.extract.result import (
    FACT_COLUMNS,
    FACT_SCHEMA,
    Extraction,
    cell_ref,
    col_letter,
)

_Extractor = Extractor  # the name tests/test_extract.py patches

__all__ = [
    "FACT_COLUMNS",
    "FACT_SCHEMA",
    "DatabaseHistory",
    "History",
    "Extraction",
    "Extractor",
    "cell_ref",
    "col_letter",
    "extract",
]
