"""`python -m minzheng ingest --explain`: one sentence per sheet under each file's usual line."""

from __future__ import annotations

import openpyxl

from minzheng import cli
from tests.helpers import write_ledger


def test_explain_prints_how_each_sheet_was_read(capsys, tmp_path):
    ledger = write_ledger(tmp_path / "good.xlsx", [["2023-01-10", "丰州镇", "街面巡查", 10, "次"]])
    book = openpyxl.Workbook()
    book.active.title = "2023年3月"
    book.active.append(["乡镇", "走访慰问（人次）", "巡查 累计", "巡查 本月", "完成率"])
    book.active.append(["丰州镇", 4, "", 2, "5%"])
    book.active.append(["合计", 4, "", 2, ""])
    book.save(tmp_path / "wide.xlsx")
    db = tmp_path / "cli.duckdb"

    code = cli.main(["ingest", str(ledger), "--db", str(db)])
    plain = capsys.readouterr().out
    assert code == 0 and plain.count("\n") == 1  # without the flag: the one line, as before

    code = cli.main(["ingest", str(tmp_path / "wide.xlsx"), "--explain", "--db", str(db)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and lines[0].startswith("已导入 wide.xlsx：2 行（横表；丰州镇；2023-03")
    assert lines[1].startswith(
        "  「2023年3月」横表：第1行为表头，每行一个乡镇，月份（2023年3月）取自工作表名"
    )
    assert "取本月数「走访慰问（人次）」「巡查 本月」" in lines[1]
    assert "跳过任务与比率列「完成率」" in lines[1] and "第3行为合计行，只核对不计入" in lines[1]
    assert len(lines) == 2
