"""Tests of minzheng.intake.readahead: a file read ahead gives what reading it in turn gives."""

import shutil

import pytest

from minzheng import cli, config, store
from minzheng.intake import ingest, readahead
from tests.helpers import write_ledger

ROWS = [
    ["2023-01-10", "丰州镇", "街面巡查", 10, "次"],
    ["2023-02-03", "洪水镇", "发放宣传资料", "1,200", "份"],
]


def _outcome(result: ingest.IngestResult) -> tuple:
    c = result.check
    return (
        result.status,
        result.line().split("；批次")[0],
        [p.describe() for p in c.problems],
        c.content_hash,
        c.kept_name,
        c.kept_bytes,
        c.facts.to_dict("list"),
    )


@pytest.mark.parametrize("kind", ["good", "bad", "missing", "damaged", "too_large"])
def test_a_file_read_ahead_checks_as_one_read_in_turn(
    kind, tmp_path, template_db_file, monkeypatch
):
    if kind == "good":
        path = write_ledger(tmp_path / "a.xlsx", ROWS)
    elif kind == "bad":
        path = write_ledger(tmp_path / "a.xlsx", [["2023-02-30", "丰州镇", "街面巡查", 3, "次"]])
    elif kind == "damaged":
        path = tmp_path / "a.xlsx"
        path.write_bytes(b"PK\x03\x04 not really a zip")
    elif kind == "too_large":
        path = write_ledger(tmp_path / "a.xlsx", ROWS)
        limits = {**config.defaults(), "ingest.max_file_bytes": 100}
        monkeypatch.setattr(config, "defaults", lambda: limits)
    else:
        path = tmp_path / "missing.xlsx"
    outcomes = []
    for ahead in (False, True):
        db_file = tmp_path / f"{ahead}.duckdb"
        shutil.copyfile(template_db_file, db_file)
        first = readahead.FirstFile([path]) if ahead else None
        con = store.connect(db_file)
        try:
            (result,) = ingest.iter_ingest_paths(con, [path], first_file=first)
        finally:
            con.close()
        outcomes.append(_outcome(result))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == ("已导入" if kind == "good" else "拒绝")


def test_only_the_first_file_is_read_ahead(tmp_path):
    (tmp_path / "d").mkdir()
    a = write_ledger(tmp_path / "d" / "a.xlsx", ROWS)
    b = write_ledger(tmp_path / "d" / "b.xlsx", ROWS)
    first = readahead.FirstFile([tmp_path / "d"])
    assert first.paths == [a, b]
    assert first.take(b) is None, "not the file read ahead"
    first = readahead.FirstFile([tmp_path / "d"])
    reading = first.take(a)
    assert reading.path == a and reading.grids and reading.failure is None
    assert first.take(a) is None, "taken once"


def test_cli_ingest_with_the_read_ahead(tmp_path, template_db_file, capsys):
    db_file = tmp_path / "cli.duckdb"
    shutil.copyfile(template_db_file, db_file)
    good = write_ledger(tmp_path / "good.xlsx", ROWS)
    code = cli.main(["ingest", str(tmp_path / "missing.xlsx"), str(good), "--db", str(db_file)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith("拒绝 missing.xlsx：无法读取文件")
    assert lines[1].startswith("已导入 good.xlsx：2 行")


def test_cli_ingest_loads_no_pandas(tmp_path, template_db_file):
    """pandas takes longer to load than a ledger to check: the command line's ingest never needs
    it (the facts hash and flags come from Arrow; pyarrow's probes are answered without it)."""
    import subprocess
    import sys

    db_file = tmp_path / "cli.duckdb"
    shutil.copyfile(template_db_file, db_file)
    good = write_ledger(tmp_path / "good.xlsx", ROWS)
    code = (
        "import sys\n"
        "from minzheng import cli\n"
        "status = cli.main(sys.argv[1:])\n"
        "print('pandas loaded' if 'pandas' in sys.modules else 'no pandas', file=sys.stderr)\n"
        "raise SystemExit(status)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "ingest", str(good), "--db", str(db_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("已导入 good.xlsx：2 行")
    assert proc.stderr.strip().endswith("no pandas"), proc.stderr
