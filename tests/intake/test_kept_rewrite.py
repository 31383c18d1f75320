"""Names and addresses in notes: masked in the facts stored, and migration 007 rewrites kept
copies stored before free-text redaction (original bytes, formulas and names in notes included)
as values with the personal data masked."""

import io

import openpyxl
import python_calamine as pc

from minzheng.intake import ingest, upgrades
from minzheng.store import db, reference
from tests.helpers import TODAY, fresh_db

NOTE = "到周子轩家（武乡县丰州镇城关村2号）走访"


def test_old_kept_copies_are_rewritten(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "乡镇", "类别", "数量", "单位", "备注"])
    sheet.append(["2023-03-01", "丰州镇", "街面巡查", 5, "次", NOTE])
    sheet.append(["2023-03-02", "丰州镇", "街面巡查", 1, "次", '=HYPERLINK("http://x","点击")'])
    path = tmp_path / "a.xlsx"
    book.save(path)
    original = path.read_bytes()
    con = fresh_db(tmp_path)
    batch_id = ingest.ingest_file(con, path, user="analyst1", today=TODAY).batch_id
    # What a copy and a note kept before 007 looked like: as sent.
    con.execute(
        "UPDATE batch_files SET file_name = 'a.xlsx', redacted = false, content = $c",
        {"c": original},
    )
    con.execute("UPDATE facts SET note = $n WHERE source_row = 2", {"n": NOTE})
    con.execute("DELETE FROM schema_version WHERE version = 7")
    db.migrate(con, reference.seed)
    assert upgrades.run_pending(con) == ["kept_copies_as_values", "notes_rescrubbed"]
    name, redacted, content = con.execute(
        "SELECT file_name, redacted, content FROM batch_files WHERE batch_id = $b", {"b": batch_id}
    ).fetchone()
    content = bytes(content)
    assert name == "a（已脱敏）.xlsx" and redacted and content != original
    kept = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    cells = [str(v) for row in kept.get_sheet_by_name(kept.sheet_names[0]).to_python() for v in row]
    assert "周子轩" not in "".join(cells) and "城关村2号" not in "".join(cells)
    assert "周*轩" in "".join(cells) and "街面巡查" in cells
    formulas = [
        c.coordinate
        for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    (note,) = con.execute("SELECT note FROM facts WHERE source_row = 2").fetchone()
    assert note.startswith("到周*轩家") and "城关村2号" not in note


def test_notes_stored_with_the_facts_are_masked_too(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "乡镇", "类别", "数量", "单位", "备注"])
    sheet.append(["2023-03-01", "丰州镇", "街面巡查", 5, "次", NOTE])
    path = tmp_path / "b.xlsx"
    book.save(path)
    con = fresh_db(tmp_path)
    ingest.ingest_file(con, path, user="analyst1", today=TODAY)
    (note,) = con.execute("SELECT note FROM facts").fetchone()
    assert "周子轩" not in note and "城关村2号" not in note and note.startswith("到周*轩家")
