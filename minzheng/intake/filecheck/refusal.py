"""How a check refuses a file: the Chinese messages for bureau staff and the refusal itself."""

from __future__ import annotations

import logging
from typing import NoReturn

from minzheng.errors import Problem

PASSWORD_MESSAGE = "文件设有密码，请在 Excel 或 WPS 中取消密码（文件—信息—保护工作簿）后重新上传"
RESAVE = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再重新上传"
DAMAGED_MESSAGE = f"文件已损坏或不是有效的 Excel 文件，无法读取；{RESAVE}"
OLD_EXCEL_MESSAGE = (
    "文件是 Excel 97 之前的旧格式（Excel 2.1—5.0/95），无法读取；请在 Excel 或 WPS 中打开后"
    "另存为 .xlsx 再重新上传"
)


# The library's own (English) reason goes here, never into a message for bureau staff.
log = logging.getLogger(__package__)


class Refuse(Exception):
    """Stop inspecting: this problem refuses the file."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def mb(n: int) -> str:
    """A size in MB, as the messages show it."""
    return f"{n / (1 << 20):,.1f} MB" if n < 100 << 20 else f"{n / (1 << 20):,.0f} MB"


def too_large(file_name: str, size: int, limit: int) -> Problem:
    """The one refusal of a file over the size limit (the guard, the upload and the CLI say it)."""
    return Problem(file_name, "", "", "", f"文件过大（{mb(size)}），上限为 {mb(limit)}")


def problem_at(file_name: str, message: str, sheet: str = "", cell: str = "") -> Problem:
    """A problem of this file (at a sheet and a cell, if given)."""
    return Problem(file_name, sheet, cell, "", message)


def refuse(file_name: str, message: str, sheet: str = "", cell: str = "") -> NoReturn:
    """Stop inspecting: the file is refused with this message."""
    raise Refuse(problem_at(file_name, message, sheet, cell))


def damaged(file_name: str, exc: BaseException) -> NoReturn:
    """Refuse a broken container; the library's reason goes to the log only."""
    log.info("container unreadable: %s: %s", type(exc).__name__, str(exc)[:200])
    refuse(file_name, DAMAGED_MESSAGE)
