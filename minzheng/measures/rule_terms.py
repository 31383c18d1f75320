"""The words of a validation rule: operators, periods, scopes and severities.

Kept apart from `validation_rules` (which needs DuckDB and pandas) so that the command line can
offer them as choices without loading either.
"""

OPERATORS = {"=": "=", "==": "=", "<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "<": "<", ">": ">"}
OPERATOR_SIGNS = {"=": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}
PERIODS = {"month": "每月", "quarter": "每季度", "ytd": "年初至今"}
SCOPES = {"unit": "各单位", "county": "全县"}
SEVERITIES = ("提示", "警告")
