"""Tests of minzheng.measures.quality_review on the demo: the planted problems are listed, follow-up is
audited, the annual report mentions only what an analyst chose, and the command line prints the
same flags as the upload page."""

from __future__ import annotations

import shutil

import pytest

from minzheng import cli, store
from minzheng.intake import uploads
from minzheng.measures import quality_review
from minzheng.outputs import report_text
from minzheng.store import audit, auth, permissions
from tests.helpers import write_ledger


def _problems_text(report) -> str:
    blocks = report.blocks
    start = next(n for n, b in enumerate(blocks) if b.text == "二、存在问题和不足")
    end = next(n for n, b in enumerate(blocks) if n > start and b.kind == "heading")
    return "".join(b.lead + b.text for b in blocks[start:end])


def test_the_demo_lists_its_planted_typos_and_rule_violation(demo_con):
    found = quality_review.items(demo_con)
    where = set(zip(found["kind"], found["unit"], found["period"], strict=True))
    assert ("rule", "丰州镇", "2024年11月") in where  # patrols typed with an extra digit
    assert ("outlier", "监漳镇", "2024年6月") in where
    assert ("outlier", "石北乡", "2024年9月") in where
    rule = found[(found["kind"] == "rule") & (found["unit"] == "丰州镇")].iloc[0]
    assert rule["left_value"] > 62 and rule["right_value"] == 62
    assert rule["file_name"] == "丰州镇2024年11月工作台账.xls" and rule["batch_id"] > 0
    assert (found["state"] == quality_review.OPEN).all()
    # newest period first
    order = list(zip(found["year"], found["end_month"], strict=True))
    assert order == sorted(order, reverse=True)


def test_follow_up_is_audited_and_counted(demo_con):
    found = quality_review.items(demo_con)
    before = quality_review.open_count(demo_con)
    assert before == len(found)
    key = found["key"].iloc[0]
    quality_review.set_state(demo_con, key, quality_review.CHECKED, "已电话核实")
    assert quality_review.open_count(demo_con) == before - 1
    row = quality_review.items(demo_con).set_index("key").loc[key]
    assert (row["state"], row["note"]) == (quality_review.CHECKED, "已电话核实")
    log = audit.entries(demo_con, actions=["quality_followup"])
    assert log["target"].tolist() == [key]
    assert "已核实无误" in log["after_value"].iloc[0] and "待核实" in log["before_value"].iloc[0]
    with pytest.raises(Exception, match="状态"):
        quality_review.set_state(demo_con, key, "随便")
    with pytest.raises(Exception, match="没有找到"):
        quality_review.set_state(demo_con, "flag:999999", quality_review.CHECKED)


def test_viewers_may_not_follow_up(demo_con):
    auth.add_user(demo_con, "管理员", "admin", password="correct horse 1")
    auth.add_user(demo_con, "局长", "viewer", password="correct horse 2")
    key = quality_review.items(demo_con)["key"].iloc[0]
    with pytest.raises(permissions.PermissionDenied):
        quality_review.set_state(
            demo_con, key, quality_review.CHECKED, actor=permissions.Actor("局长")
        )
    assert quality_review.open_count(demo_con) == len(quality_review.items(demo_con))


def test_report_mentions_unresolved_items_only_when_chosen(demo_con):
    found = quality_review.items(demo_con, 2024)
    item = found.iloc[0]
    assert item["message"] not in _problems_text(report_text.write(demo_con, 2024))
    quality_review.set_state(demo_con, item["key"], quality_review.OPEN, in_report=True)
    assert quality_review.report_items(demo_con, 2024) == [item["message"]]
    text = _problems_text(report_text.write(demo_con, 2024))
    assert "尚待核实" in text and item["message"].rstrip("。") in text
    quality_review.set_state(demo_con, item["key"], quality_review.CORRECTED, in_report=True)
    assert quality_review.report_items(demo_con, 2024) == []
    assert "尚待核实" not in _problems_text(report_text.write(demo_con, 2024))


def _typo_file(con, tmp_path):
    """丰州镇's December 2024 ledger with leaflets typed with an extra digit."""
    median = con.execute(
        "SELECT median(actual) FROM monthly_actuals WHERE unit_id = 1 "
        "AND indicator_key = 'leaflets_distributed' AND year * 12 + month >= 2024 * 12 - 1"
    ).fetchone()[0]
    rows = [
        ["2024-12-03", "丰州镇", "发放宣传资料", int(median) * 10, "份"],
        ["2024-12-05", "丰州镇", "街面巡查", 20, "次"],
    ]
    return write_ledger(tmp_path / "丰州镇2024年12月台账.xlsx", rows)


def test_cli_prints_the_flags_the_upload_page_shows(demo_db_file, tmp_path, capsys):
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_file, target)
    shutil.copyfile(
        demo_db_file.with_name(demo_db_file.name + ".key"), target.with_name(target.name + ".key")
    )
    con = store.connect(target)
    path = _typo_file(con, tmp_path)
    checks = uploads.check_files(con, [(path.name, path.read_bytes())])
    page_lines = uploads.flag_lines(next(iter(checks.values())))
    con.close()
    assert len(page_lines) == 1 and "疑似多录一位" in page_lines[0]
    assert page_lines[0].startswith("疑似录入错误：丰州镇2024年12月发放宣传资料")

    code = cli.main(["ingest", str(path), "--db", str(target)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith(f"已导入 {path.name}：2 行（明细台账；丰州镇；2024-12；批次 ")
    assert out[1:] == ["  " + line for line in page_lines]

    cli.main(["quality", "--year", "2024", "--db", str(target)])
    listed = capsys.readouterr().out
    assert page_lines[0].split("：", 1)[1] in listed


def test_cli_rules_add_list_remove(empty_db_path, capsys):
    args = ["--db", str(empty_db_path)]
    code = cli.main(
        ["rules", "add", "distinct(children_visited)", ">=", "children_screened", "--period",
         "quarter", "--scope", "unit", "--severity", "提示", "--explanation", "每季度走访名单上的儿童",
         *args]
    )  # fmt: skip
    added = capsys.readouterr().out.strip()
    assert code == 0 and added.startswith("已添加规则 ")
    rule_id = added.split()[-1]
    cli.main(["rules", "list", *args])
    listed = capsys.readouterr().out.splitlines()
    assert listed[0] == "rule_id,left,operator,right,period,scope,severity,explanation"
    assert (
        f"{rule_id},distinct(children_visited),>=,children_screened,quarter,unit,提示,每季度走访名单上的儿童"
        in listed
    )
    assert cli.main(["rules", "remove", rule_id, *args]) == 0
    cli.main(["rules", "list", *args])
    assert not any(line.startswith(f"{rule_id},") for line in capsys.readouterr().out.splitlines())
    assert cli.main(["rules", "add", "x * 2", ">=", "1", "--period", "month", "--scope", "unit",
                     "--explanation", "x", *args]) == 1  # fmt: skip


@pytest.fixture
def empty_db_path(template_db_file, tmp_path):
    target = tmp_path / "empty.duckdb"
    shutil.copyfile(template_db_file, target)
    return target


def test_rolled_back_and_removed_batches_take_their_flags_along(demo_con):
    from minzheng.store import batches

    found = quality_review.items(demo_con)
    flag = found[found["kind"] == "outlier"].iloc[0]
    batches.rollback(demo_con, int(flag["batch_id"]))
    assert flag["key"] not in quality_review.items(demo_con)["key"].tolist()
    batches.restore(demo_con, int(flag["batch_id"]))
    assert flag["key"] in quality_review.items(demo_con)["key"].tolist()
    batches.remove_demo(demo_con)
    assert demo_con.execute("SELECT count(*) FROM quality_flags").fetchone()[0] == 0
    assert quality_review.items(demo_con).empty
