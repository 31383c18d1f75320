"""One family of errors, each carrying a message written for bureau staff (Chinese)."""

from __future__ import annotations

from dataclasses import dataclass


class MinzhengError(Exception):
    """Base of every error the product raises on purpose; `str()` is the user-facing message."""


class ConfigError(MinzhengError):
    """A configuration or reference-data file is missing or malformed."""


class PlanError(MinzhengError):
    """A year-plan workbook cannot be used; carries the problems found."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class NotFoundError(MinzhengError):
    """A batch, unit or indicator named by the user does not exist."""


@dataclass(frozen=True)
class Problem:
    """One finding about an input file: where it is, what was found and what was expected.

    `level` is "error" (the file is refused) or "warning" (loaded, but worth a look).
    """

    file: str
    sheet: str
    cell: str
    value: str
    message: str
    level: str = "error"

    def describe(self) -> str:
        """The problem as one Chinese sentence naming file, sheet, cell and value."""
        where = [self.file]
        if self.sheet:
            where.append(f"工作表「{self.sheet}」")
        if self.cell:
            where.append(f"{self.cell} 单元格")
        text = " ".join(where)
        if self.value != "":
            text += f"，值为“{self.value}”"
        return f"{text}：{self.message}"
