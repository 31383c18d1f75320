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

    `level` is "error" (the file is refused) or "warning" (loaded, but worth a look). `cells`
    above 1 says the same finding holds for that many cells, `cell` being the first of them.
    """

    file: str
    sheet: str
    cell: str
    value: str
    message: str
    level: str = "error"
    cells: int = 1

    def describe(self, with_file: bool = True) -> str:
        """The problem as one Chinese sentence naming file, sheet, cell and value.

        Without the file (`with_file=False`) for lines that already start with the file's name.
        """
        where = [self.file] if with_file else []
        if self.sheet:
            where.append(f"工作表「{self.sheet}」")
        if self.cell:
            run = f" 起共 {self.cells:,} 个" if self.cells > 1 else " "
            where.append(f"{self.cell}{run}单元格")
        text = " ".join(where)
        if self.value != "":
            text += f"，值为“{self.value}”"
        return f"{text}：{self.message}" if text else self.message


class HasProblems:
    """`errors` and `warnings` of a result that keeps its `problems` in one list."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Problems that refuse the file."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are reported but do not block loading."""
        return [p for p in self.problems if p.level == "warning"]
