"""Reading one sheet of a year plan in whichever orientation it was drawn.

A plan sheet is recognised by its header row: a row naming indicators (units down, indicators
across), a row naming units (indicators down, units across), the long form (指标 and 目标
columns, the unit in a 乡镇/单位 column or none for county figures), or 1月…12月 (monthly
shares). Which column holds the row labels is decided by what is written below the header, not
by its position. Every sheet leaves one Chinese sentence saying how it was read, and every
refusal repeats that reading so an analyst sees how the table was understood.

`reader` finds the header and shape; `cross_tables`, `long_form` and `monthly_shares` read each
shape; `sheet` holds what they share and `labels` the words and cell helpers.
"""

from minzheng.intake.plan_reading.labels import COUNTY_LABELS, TARGET_WORDS, is_county
from minzheng.intake.plan_reading.reader import SheetReader

__all__ = ["COUNTY_LABELS", "TARGET_WORDS", "SheetReader", "is_county"]
