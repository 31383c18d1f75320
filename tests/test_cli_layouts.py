"""`python -m minzheng layouts …` and ingest with a taught layout, as docs/cli.md states them."""

from __future__ import annotations

import csv
import io

from minzheng import cli, store
from minzheng.store import audit, layout_profiles, permissions
from tests.intake.test_layout_profiles import WIDE_ROWS, _wide_profile, _xlsx


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_layouts_commands_and_ingest_with_a_profile(tmp_path, capsys):
    db_path = tmp_path / "m.duckdb"
    con = store.connect(db_path)
    layout_profiles.save(con, _wide_profile(), actor=permissions.operator())
    con.close()
    path = _xlsx(tmp_path / "丰州镇报表.xlsx", WIDE_ROWS)

    code, out, _ = run(capsys, "ingest", path, "--db", db_path)
    assert code == 0 and "按「丰州镇月报」结构读取" in out

    code, out, _ = run(capsys, "layouts", "list", "--db", db_path)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["name"], r["unit"], r["times_used"]) for r in rows] == [
        ("丰州镇月报", "丰州镇", "1")
    ]
    assert "项目甲" in rows[0]["header"]

    code, out, _ = run(capsys, "layouts", "show", "丰州镇月报", "--db", db_path)
    assert code == 0 and "B 列：一项指标 children_visited（本月）" in out

    exported = tmp_path / "结构.json"
    code, out, _ = run(capsys, "layouts", "export", "--out", exported, "--db", db_path)
    assert code == 0 and exported.exists()
    code, _, err = run(capsys, "layouts", "import", exported, "--db", db_path)
    assert code == 1 and "已有名为" in err

    code, out, _ = run(capsys, "layouts", "remove", "丰州镇月报", "--db", db_path)
    assert code == 0 and "已删除表格结构" in out
    code, _, err = run(capsys, "layouts", "show", "丰州镇月报", "--db", db_path)
    assert code == 1 and "没有名为" in err

    code, out, _ = run(capsys, "layouts", "import", exported, "--db", db_path)
    assert code == 0 and "丰州镇月报" in out
    con = store.connect(db_path)
    try:
        actions = set(audit.entries(con)["action"])
        assert {"layout_remove", "layout_save"} <= actions
        # the batch loaded with the profile stays loaded after the profile was removed
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 3
    finally:
        con.close()
