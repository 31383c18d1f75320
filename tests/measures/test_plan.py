"""Tests of minzheng.measures.plan: plan workbooks in every orientation, phasing, replacing, bad plans."""

import csv
import subprocess
from dataclasses import dataclass

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minzheng import cli, store
from minzheng.errors import PlanError
from minzheng.measures import plan
from tests.test_normalize import _LOWER, _write_chinese


def _book(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def con():
    return store.connect(":memory:")


def _targets(con, year):
    table = plan.targets(con, year)
    return {(r.township, r.indicator): r.target for r in table.itertuples()}


def test_wide_plan_with_units_in_headers(con, tmp_path):
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [
                ["武乡县民政局2023年度工作计划"],
                [
                    "乡镇",
                    "走访慰问留守困境儿童（人次）",
                    "发放宣传资料（份）",
                    "街面巡查（次）",
                    "备注",
                ],
                ["丰州镇", 400, "3,000", 120, ""],
                ["洪水", 300, 2000, None, "新任务"],
                ["县民政局机关", None, 1000, "-", None],
            ]
        },
    )
    plan.load_plan(con, path, 2023)
    assert _targets(con, 2023) == {
        ("丰州镇", "children_visited"): 400,
        ("丰州镇", "leaflets_distributed"): 3000,
        ("丰州镇", "patrols_run"): 120,
        ("洪水镇", "children_visited"): 300,
        ("洪水镇", "leaflets_distributed"): 2000,
        ("县民政局机关", "leaflets_distributed"): 1000,
    }


def test_long_plan_with_county_total_and_phasing(con, tmp_path):
    months = [f"{m}月" for m in range(1, 13)]
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [
                ["乡镇", "指标", "目标"],
                ["丰州镇", "街面巡查", 100],
                ["大有乡", "巡查", 60],
                ["全县", "街面巡查", 200],
            ],
            "分月计划": [["指标", *months], ["街面巡查", 20, 20, *([0] * 9), 60]],
        },
    )
    loaded = plan.load_plan(con, path, 2024)
    assert _targets(con, 2024) == {
        ("丰州镇", "patrols_run"): 100,
        ("大有乡", "patrols_run"): 60,
        ("全县", "patrols_run"): 200,
    }
    assert loaded.phasing["patrols_run"][1] == pytest.approx(0.2)
    assert sum(loaded.phasing["patrols_run"].values()) == pytest.approx(1.0)


def test_loading_replaces_the_years_plan_only(con, tmp_path):
    first = _book(tmp_path / "a.xlsx", {"s": [["乡镇", "街面巡查（次）"], ["丰州镇", 100]]})
    second = _book(tmp_path / "b.xlsx", {"s": [["乡镇", "法治讲座（场）"], ["丰州镇", 4]]})
    plan.load_plan(con, first, 2023)
    plan.load_plan(con, first, 2024)
    plan.load_plan(con, second, 2023)
    assert _targets(con, 2023) == {("丰州镇", "lectures_held"): 4}
    assert _targets(con, 2024) == {("丰州镇", "patrols_run"): 100}


@pytest.mark.parametrize(
    ("rows", "fragment", "cell"),
    [
        ([["乡镇", "街面巡查（次）"], ["丰洲镇", 100]], "丰州镇", "A2"),
        ([["乡镇", "街面巡查（次）"], ["丰州镇", "很多"]], "目标应为不小于 0 的数字", "B2"),
        ([["乡镇", "街面巡查（次）"], ["丰州镇", -5]], "目标应为不小于 0 的数字", "B2"),
        ([["乡镇", "指标", "目标"], ["丰州镇", "发放宣传册", 5]], "发放宣传资料", "B2"),
        ([["随便", "什么"], ["1", "2"]], "没有找到计划目标", ""),
    ],
)
def test_bad_plans_are_refused_whole(con, tmp_path, rows, fragment, cell):
    good = _book(tmp_path / "good.xlsx", {"s": [["乡镇", "街面巡查（次）"], ["丰州镇", 100]]})
    plan.load_plan(con, good, 2023)
    path = _book(tmp_path / "bad.xlsx", {"s": rows})
    with pytest.raises(PlanError) as info:
        plan.load_plan(con, path, 2023)
    assert fragment in str(info.value)
    if cell:
        assert any(p.cell == cell for p in info.value.problems)
    assert _targets(con, 2023) == {("丰州镇", "patrols_run"): 100}, "old plan untouched"


def test_set_targets_from_grid_keeps_phasing(con, tmp_path):
    months = [f"{m}月" for m in range(1, 13)]
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [["乡镇", "指标", "目标"], ["丰州镇", "街面巡查", 100]],
            "分月": [["指标", *months], ["街面巡查", *([1] * 12)]],
        },
    )
    plan.load_plan(con, path, 2023)
    grid = pd.DataFrame(
        {
            "township": ["丰州镇", "洪水镇", "洪水镇"],
            "indicator": ["patrols_run", "patrols_run", "lectures_held"],
            "target": [150, 80, None],
        }
    )
    plan.set_targets(con, 2023, grid)
    assert _targets(con, 2023) == {("丰州镇", "patrols_run"): 150, ("洪水镇", "patrols_run"): 80}
    assert con.execute("SELECT count(*) FROM plan_phasing WHERE year = 2023").fetchone()[0] == 12
    with pytest.raises(PlanError):
        plan.set_targets(
            con,
            2023,
            pd.DataFrame({"township": ["X镇"], "indicator": ["patrols_run"], "target": [1]}),
        )


def test_note_rows_in_plans_are_skipped(con, tmp_path):
    months = [f"{m}月" for m in range(1, 13)]
    path = _book(
        tmp_path / "p.xlsx",
        {
            "计划": [["乡镇", "指标", "目标"], ["丰州镇", "街面巡查", 100], ["注：目标按全年计"]],
            "分月计划": [["指标", *months], ["街面巡查", *([1] * 12)], ["注：1. 以上为百分比"]],
            "宽表": [["乡镇", "法治讲座（场）"], ["丰州镇", 2], ["填表说明：按年度填写"]],
        },
    )
    loaded = plan.load_plan(con, path, 2023)
    assert loaded.targets and "patrols_run" in loaded.phasing


# --- plans in any orientation (issue 13) --------------------------------------------------------

# (canonical name, another way of writing it)
UNITS = [
    ("丰州镇", "丰州"),
    ("洪水镇", "洪水"),
    ("韩北镇", "韩北乡"),
    ("大有乡", "大有"),
    ("分水岭乡", "分水岭"),
    ("县民政局机关", "局机关"),
]
# (key, canonical name, unit of count, synonym)
INDICATORS = [
    ("patrols_run", "街面巡查", "次", "巡查"),
    ("leaflets_distributed", "发放宣传资料", "份", "发放宣传单"),
    ("lectures_held", "法治讲座", "场", "普法讲座"),
    ("children_visited", "走访慰问留守困境儿童", "人次", "入户走访"),
]
ORIENTATIONS = ("indicators_across", "units_across", "long")


@dataclass
class PlanSpec:
    """What a generated plan sheet says: the truth the reader must give back, and its dress."""

    targets: dict[tuple[str, str], int]  # (unit name, indicator key) -> target
    county: dict[str, int]  # indicator key -> county figure the plan states
    orientation: str
    title: bool = True
    aliases: bool = False
    synonyms: bool = False
    measure_in_header: bool = True
    extras: bool = True  # 序号, 单位 (measure) and 备注 columns
    total_line: bool = True  # a 合计 column (indicators across) or row (units across) not read
    chinese: bool = False  # some targets written as Chinese numerals or 1,200
    unit_header: str = "乡镇"  # the header of the unit column (indicators across, long)


def _unit_label(spec, name):
    alias = dict(UNITS)[name]
    return alias if spec.aliases else name


def _ind_label(spec, key, *, header):
    _key, name, measure, synonym = next(i for i in INDICATORS if i[0] == key)
    label = synonym if spec.synonyms else name
    return f"{label}（{measure}）" if header and spec.measure_in_header else label


def _written(spec, value):
    if not spec.chinese:
        return value
    if value % 3 == 0:
        return _write_chinese(value, _LOWER) + "次"
    if value % 3 == 1:
        return f"{value:,}"
    return value


def plan_rows(spec: PlanSpec) -> list[list]:
    """The sheet's rows for a spec, in its orientation, with title, totals and extra columns."""
    units = list(dict.fromkeys(u for u, _k in spec.targets))
    keys = [
        k for k, *_ in INDICATORS if any(k == kk for _u, kk in spec.targets) or k in spec.county
    ]
    rows: list[list] = []
    if spec.title:
        rows.append(["武乡县民政局2025年度工作计划"])
        rows.append(["填报单位：县民政局", "", "", "单位：次、份、场"])
    if spec.orientation == "indicators_across":
        head = (["序号"] if spec.extras else []) + [spec.unit_header]
        head += [_ind_label(spec, k, header=True) for k in keys]
        head += (["合计"] if spec.total_line else []) + (["备注"] if spec.extras else [])
        rows.append(head)
        lines = [(u, _unit_label(spec, u)) for u in units]
        lines += [(None, "全县")] if spec.county else []
        for n, (unit, label) in enumerate(lines, 1):
            values = [spec.targets.get((unit, k)) if unit else spec.county.get(k) for k in keys]
            row = ([n] if spec.extras else []) + [label]
            row += [_written(spec, v) if v is not None else None for v in values]
            row += [sum(v or 0 for v in values)] if spec.total_line else []
            row += ["年中可调整" if n == 1 else None] if spec.extras else []
            rows.append(row)
    elif spec.orientation == "units_across":
        head = (["序号"] if spec.extras else []) + ["指标"] + (["单位"] if spec.extras else [])
        head += [_unit_label(spec, u) for u in units]
        head += ["全县"] if spec.county else []
        head += ["备注"] if spec.extras else []
        rows.append(head)
        for n, key in enumerate(keys, 1):
            measure = next(i[2] for i in INDICATORS if i[0] == key)
            row = ([n] if spec.extras else []) + [_ind_label(spec, key, header=False)]
            row += [measure] if spec.extras else []
            values = [spec.targets.get((u, key)) for u in units]
            row += [_written(spec, v) if v is not None else "" for v in values]
            row += [spec.county.get(key, "")] if spec.county else []
            row += [""] if spec.extras else []
            rows.append(row)
        if spec.total_line:
            rows.append(["", "合计"] + [""] * (len(rows[-1]) - 2))
    else:
        head = [spec.unit_header, "指标", "目标"] + (["单位", "备注"] if spec.extras else [])
        rows.append(head)
        for (unit, key), value in spec.targets.items():
            measure = next(i[2] for i in INDICATORS if i[0] == key)
            row = [_unit_label(spec, unit), _ind_label(spec, key, header=False)]
            row += [_written(spec, value)] + ([measure, ""] if spec.extras else [])
            rows.append(row)
        for key, value in spec.county.items():
            rows.append(["全县", _ind_label(spec, key, header=False), value])
    rows.append(["注：目标按全年计"])
    return rows


def expected(con, spec: PlanSpec) -> dict:
    """The targets the reader must give: unit ids for names, None for the county."""
    ids = dict(con.execute("SELECT name, unit_id FROM units").fetchall())
    truth = {(ids[u], k): float(v) for (u, k), v in spec.targets.items()}
    truth.update({(None, k): float(v) for k, v in spec.county.items()})
    return truth


def write_plan(path, spec: PlanSpec, sheet="年度计划"):
    """Write the spec's sheet as .xlsx or .csv (UTF-8 with BOM, or GB18030) by the suffix."""
    rows = plan_rows(spec)
    if path.suffix == ".csv":
        encoding = "gb18030" if "gbk" in path.stem else "utf-8-sig"
        with open(path, "w", encoding=encoding, newline="") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in row] for row in rows])
        return path
    return _book(path, {sheet: rows})


@st.composite
def plan_specs(draw, orientation=None):
    """Random plans: any subset of units and indicators, any dress."""
    units = draw(
        st.lists(st.sampled_from([u for u, _ in UNITS]), min_size=1, max_size=6, unique=True)
    )
    keys = draw(
        st.lists(st.sampled_from([k for k, *_ in INDICATORS]), min_size=1, max_size=4, unique=True)
    )
    targets = {
        (u, k): draw(st.integers(min_value=0, max_value=20000))
        for u in units
        for k in keys
        if draw(st.booleans()) or (u == units[0])
    }
    county = (
        {k: draw(st.integers(min_value=1, max_value=99999)) for k in keys}
        if draw(st.booleans())
        else {}
    )
    return PlanSpec(
        targets=targets,
        county=county,
        orientation=orientation or draw(st.sampled_from(ORIENTATIONS)),
        title=draw(st.booleans()),
        aliases=draw(st.booleans()),
        synonyms=draw(st.booleans()),
        measure_in_header=draw(st.booleans()),
        extras=draw(st.booleans()),
        total_line=draw(st.booleans()),
        chinese=draw(st.booleans()),
        unit_header=draw(st.sampled_from(["乡镇", "单位", "单位名称", "乡镇名称", "填报单位"])),
    )


@pytest.fixture(scope="module")
def ref_con():
    """One seeded database for reading (reading a plan writes nothing)."""
    con = store.connect(":memory:")
    yield con
    con.close()


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=plan_specs())
def test_generated_plans_read_back_in_every_orientation(ref_con, tmp_path, spec):
    path = write_plan(tmp_path / "plan.xlsx", spec)
    parsed = plan.read_plan(ref_con, path, 2025)
    assert parsed.problems == [], [p.describe() for p in parsed.problems]
    assert parsed.targets == expected(ref_con, spec)
    assert len(parsed.explanation) == 1


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("suffix", [".csv", "-gbk.csv"])
def test_generated_csv_plans(ref_con, tmp_path, orientation, suffix):
    spec = PlanSpec(
        targets={
            ("丰州镇", "patrols_run"): 120,
            ("洪水镇", "patrols_run"): 80,
            ("洪水镇", "lectures_held"): 4,
            ("县民政局机关", "leaflets_distributed"): 1200,
        },
        county={"patrols_run": 260},
        orientation=orientation,
        aliases=True,
        chinese=True,
    )
    path = write_plan(tmp_path / f"计划{suffix}", spec)
    parsed = plan.read_plan(ref_con, path, 2025)
    assert parsed.problems == [], [p.describe() for p in parsed.problems]
    assert parsed.targets == expected(ref_con, spec)


XLS_SPECS = {
    f"{orientation}-{variant}": PlanSpec(
        targets={
            ("丰州镇", "patrols_run"): 120,
            ("韩北镇", "patrols_run"): 60,
            ("大有乡", "children_visited"): 300,
            ("分水岭乡", "lectures_held"): 2,
        },
        county={"patrols_run": 200} if variant == "county" else {},
        orientation=orientation,
        aliases=variant == "aliases",
        synonyms=variant == "aliases",
    )
    for orientation in ORIENTATIONS
    for variant in ("county", "aliases")
}


@pytest.fixture(scope="module")
def xls_plans(tmp_path_factory):
    """The XLS_SPECS plans as genuine .xls files, converted by LibreOffice in one run."""
    folder = tmp_path_factory.mktemp("xls_plans")
    sources = [write_plan(folder / f"{name}.xlsx", spec) for name, spec in XLS_SPECS.items()]
    out = folder / "xls"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(out), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.mark.parametrize("name", sorted(XLS_SPECS))
def test_generated_xls_plans(ref_con, xls_plans, name):
    path = xls_plans / f"{name}.xls"
    assert path.exists(), "LibreOffice did not write the .xls"
    parsed = plan.read_plan(ref_con, path, 2025)
    assert parsed.problems == [], [p.describe() for p in parsed.problems]
    assert parsed.targets == expected(ref_con, XLS_SPECS[name])


def test_merged_title_and_two_row_header_units_across(ref_con, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "计划"
    sheet.append(["武乡县民政局2025年度工作计划"])
    sheet.merge_cells("A1:E1")
    sheet.append(["指标", "单位", "各乡镇目标", None, "全县目标"])
    sheet.merge_cells("C2:D2")
    sheet.append([None, None, "丰州镇", "蟠龙", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("E2:E3")
    sheet.append(["街面巡查", "次", 100, "两百", 300])
    sheet.append(["法治讲座", "场", "十二", 3, None])
    book.save(tmp_path / "p.xlsx")
    parsed = plan.read_plan(ref_con, tmp_path / "p.xlsx", 2025)
    assert parsed.problems == [], [p.describe() for p in parsed.problems]
    ids = dict(ref_con.execute("SELECT name, unit_id FROM units").fetchall())
    assert parsed.targets == {
        (ids["丰州镇"], "patrols_run"): 100,
        (ids["蟠龙镇"], "patrols_run"): 200,
        (None, "patrols_run"): 300,
        (ids["丰州镇"], "lectures_held"): 12,
        (ids["蟠龙镇"], "lectures_held"): 3,
    }
    (sentence,) = parsed.explanation
    assert "每行一项指标" in sentence and "每列一个单位" in sentence
    assert "第3行为表头" in sentence and "全县目标" in sentence


def test_explanation_names_shape_header_and_skipped_parts(ref_con, tmp_path):
    spec = PlanSpec(
        targets={("丰州镇", "patrols_run"): 100, ("洪水镇", "lectures_held"): 2},
        county={"patrols_run": 150},
        orientation="indicators_across",
    )
    parsed = plan.read_plan(ref_con, write_plan(tmp_path / "p.xlsx", spec), 2025)
    (sentence,) = parsed.explanation
    assert sentence.startswith("工作表「年度计划」：横表，第3行为表头")
    assert "每行一个单位（B列“乡镇”，2 个单位）" in sentence
    assert "C列“街面巡查（次）”" in sentence and "D列“法治讲座（场）”" in sentence
    assert "“全县/合计”行取为计划给定的全县目标" in sentence
    for skipped in ("第1–2行", "A列“序号”", "E列“合计”", "F列“备注”"):
        assert skipped in sentence.split("跳过")[1], skipped


@pytest.mark.parametrize(
    ("rows", "cell", "fragments"),
    [
        # indicators down, units across, one indicator misspelt: named with the reading
        (
            [["指标", "丰州镇", "洪水镇"], ["街面巡查", 1, 2], ["巡查次数", 3, 4]],
            "A3",
            ("不是指标目录中的指标", "街面巡查", "每行一项指标", "每列一个单位"),
        ),
        # a unit header nobody knows, under a recognised layout: refused, not skipped
        (
            [["指标", "丰州镇民政办", "洪水镇"], ["街面巡查", 1, 2]],
            "B1",
            ("不是本县的乡镇或单位", "丰州镇", "每列一个单位"),
        ),
        # an indicator header nobody knows beside known ones
        (
            [["乡镇", "巡查次数", "法治讲座"], ["丰州镇", 1, 2]],
            "B1",
            ("不是指标目录中的指标", "街面巡查", "每列一项指标"),
        ),
        # no header row known at all: the first data row shows the orientation
        (
            [["项目", "丰州镇民政办", "洪水镇民政办"], ["街面巡查", 1, 2]],
            "B1",
            ("不是本县的乡镇或单位", "每行一项指标、每列一个单位"),
        ),
        (
            [["乡镇", "巡查次数", "讲座场次"], ["丰州镇", 1, 2]],
            "B1",
            ("不是指标目录中的指标", "每行一个单位、每列一项指标"),
        ),
        # an indicator name where a unit is expected says so
        (
            [["乡镇", "街面巡查"], ["法治讲座", 1]],
            "A2",
            ("这是指标“法治讲座”", "每行一个单位"),
        ),
        (
            [["指标", "丰州镇"], ["大有乡", 1]],
            "A2",
            ("这是单位“大有乡”",),
        ),
        # the same unit twice with different targets
        (
            [["乡镇", "街面巡查"], ["丰州镇", 1], ["丰州", 2]],
            "B3",
            ("已在", "B2"),
        ),
        # two columns could be the target in a long table
        (
            [["乡镇", "指标", "年度目标", "目标"], ["丰州镇", "街面巡查", 1, 2]],
            "D1",
            ("两列都像目标",),
        ),
        # a row holding a unit and an indicator before any header
        (
            [["丰州镇", "街面巡查", 100]],
            "",
            ("既有单位名", "又有指标名", "乡镇"),
        ),
    ],
)
def test_plans_that_cannot_be_read_say_how_they_were_understood(
    ref_con, tmp_path, rows, cell, fragments
):
    path = _book(tmp_path / "bad.xlsx", {"s": rows})
    parsed = plan.read_plan(ref_con, path, 2025)
    assert parsed.problems, parsed.targets
    text = "；".join(p.describe() for p in parsed.problems)
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    assert any(p.cell == cell for p in parsed.problems), text


def test_hidden_and_instruction_sheets_are_named_as_skipped(ref_con, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["乡镇", "街面巡查"])
    book.active.append(["丰州镇", "随便写"])
    data = book.create_sheet("计划")
    data.append(["乡镇", "街面巡查"])
    data.append(["丰州镇", 5])
    book.save(tmp_path / "p.xlsx")
    parsed = plan.read_plan(ref_con, tmp_path / "p.xlsx", 2025)
    assert parsed.problems == []
    assert parsed.explanation[0] == "工作表「填表说明」：说明页，跳过。"
    assert parsed.explanation[1].startswith("工作表「计划」：横表")


def test_cli_plan_explain_prints_the_reading_even_when_refused(tmp_path, capsys):
    good = _book(tmp_path / "good.xlsx", {"计划": [["指标", "丰州镇", "洪水"], ["巡查", 10, 20]]})
    bad = _book(tmp_path / "bad.xlsx", {"计划": [["指标", "丰州镇"], ["巡查次数", 10]]})
    database = tmp_path / "d.duckdb"
    assert cli.main(["plan", str(good), "--year", "2025", "--explain", "--db", str(database)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"读取方式 {good}：工作表「计划」：竖表，第1行为表头")
    assert lines[1].startswith(f"已导入 {good}：2025年度计划，2 项目标，2 个单位")
    assert cli.main(["plan", str(bad), "--year", "2025", "--explain", "--db", str(database)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"读取方式 {bad}：工作表「计划」：竖表")
    assert lines[1].startswith(f"拒绝 {bad}") and "巡查次数" in lines[1]
    assert cli.main(["plan", str(good), "--year", "2025", "--db", str(database)]) == 0
    assert not capsys.readouterr().out.startswith("读取方式"), "only with --explain"


@pytest.mark.parametrize(
    ("sheets", "file_name", "refused"),
    [
        (
            {"计划": [["武乡县民政局2024年度工作计划"], ["乡镇", "街面巡查"], ["丰州镇", 5]]},
            "p",
            True,
        ),
        ({"2024年计划": [["乡镇", "街面巡查"], ["丰州镇", 5]]}, "p", True),
        ({"计划": [["乡镇", "街面巡查"], ["丰州镇", 5]]}, "2024年度计划", True),
        (
            {"计划": [["武乡县民政局2025年度工作计划"], ["乡镇", "街面巡查"], ["丰州镇", 5]]},
            "p",
            False,
        ),
        # a plan for the coming year is drawn up the December before
        (
            {
                "计划": [
                    ["2025年度工作计划", "制表日期：2024年12月20日"],
                    ["乡镇", "街面巡查"],
                    ["丰州镇", 5],
                ]
            },
            "p",
            False,
        ),
        ({"计划": [["乡镇", "街面巡查"], ["丰州镇", 5]]}, "p", False),
    ],
)
def test_a_plan_naming_another_year_is_refused(ref_con, tmp_path, sheets, file_name, refused):
    parsed = plan.read_plan(ref_con, _book(tmp_path / f"{file_name}.xlsx", sheets), 2025)
    messages = [p.message for p in parsed.problems]
    if refused:
        assert any("这是2024年的计划，而导入的是2025年度计划" in m for m in messages), messages
    else:
        assert messages == []


def test_one_target_given_twice_across_sheets(ref_con, tmp_path):
    same = {
        "甲": [["乡镇", "街面巡查"], ["丰州镇", 5]],
        "乙": [["指标", "丰州镇"], ["街面巡查", 5]],
    }
    parsed = plan.read_plan(ref_con, _book(tmp_path / "same.xlsx", same), 2025)
    assert parsed.problems == [] and list(parsed.targets.values()) == [5]
    differ = {
        "甲": [["乡镇", "街面巡查"], ["丰州镇", 5]],
        "乙": [["指标", "丰州镇"], ["街面巡查", 6]],
    }
    parsed = plan.read_plan(ref_con, _book(tmp_path / "differ.xlsx", differ), 2025)
    (problem,) = parsed.problems
    assert (problem.sheet, problem.cell) == ("乙", "B2") and "甲!B2" in problem.message


def _merged_book(path, sheets: dict[str, list[list]], merges: dict[str, list[str]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in merges.get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("sheets", "merges", "want", "reading"),
    [
        # a sheet per indicator: 乡镇 | 年度目标, the indicator is the sheet name
        (
            {
                "街面巡查": [["乡镇", "年度目标"], ["丰州镇", 10], ["洪水镇", 20], ["合计", 30]],
                "法治讲座": [["乡镇", "年度目标"], ["丰州镇", "一"]],
            },
            {},
            {
                ("丰州镇", "patrols_run"): 10,
                ("洪水镇", "patrols_run"): 20,
                (None, "patrols_run"): 30,
                ("丰州镇", "lectures_held"): 1,
            },
            "指标取工作表名“街面巡查”",
        ),
        # a sheet per township: 指标 | 目标, the unit is the sheet name
        (
            {
                "丰州镇": [["指标", "目标"], ["街面巡查", 10], ["法治讲座", 2]],
                "洪水": [["指标", "目标"], ["巡查", 5]],
            },
            {},
            {
                ("丰州镇", "patrols_run"): 10,
                ("丰州镇", "lectures_held"): 2,
                ("洪水镇", "patrols_run"): 5,
            },
            "单位取工作表名“丰州镇”",
        ),
        # a township's own plan: the township named in the title, not a county figure
        (
            {
                "计划": [
                    ["丰州镇2025年度工作目标"],
                    ["填报人：张三", "审核：李四"],
                    ["指标", "目标", "备注"],
                    ["街面巡查", 10, ""],
                    ["法治讲座", "两", ""],
                ]
            },
            {"计划": ["A1:C1"]},
            {("丰州镇", "patrols_run"): 10, ("丰州镇", "lectures_held"): 2},
            "单位取标题“丰州镇2025年度工作目标”中的“丰州镇”",
        ),
        # the bureau's title over a 指标 | 目标 table is the county's plan
        (
            {"计划": [["武乡县民政局2025年度计划"], ["指标", "目标"], ["街面巡查", 300]]},
            {},
            {(None, "patrols_run"): 300},
            "没有单位列（均为全县目标）",
        ),
        # long form under headers outside the usual words: the indicator column found by content
        (
            {
                "s": [
                    ["单位名称", "工作任务", "年度目标数"],
                    ["丰州镇", "街面巡查", 100],
                    ["大有", "普法讲座", 3],
                ]
            },
            {},
            {("丰州镇", "patrols_run"): 100, ("大有乡", "lectures_held"): 3},
            "B列“工作任务”为指标，C列“年度目标数”为目标，A列“单位名称”为单位",
        ),
        # each indicator merged over 目标 | 完成: only 目标 is a target
        (
            {
                "s": [
                    ["乡镇", "街面巡查", None, "法治讲座", None],
                    [None, "目标", "完成", "目标", "完成"],
                    ["丰州镇", 100, 30, 4, 1],
                    ["洪水镇", 80, 20, 2, 0],
                ]
            },
            {"s": ["B1:C1", "D1:E1", "A1:A2"]},
            {
                ("丰州镇", "patrols_run"): 100,
                ("丰州镇", "lectures_held"): 4,
                ("洪水镇", "patrols_run"): 80,
                ("洪水镇", "lectures_held"): 2,
            },
            "C列“街面巡查”（第2行为“完成”，不是目标）",
        ),
        # each unit merged over 年度目标 | 已完成
        (
            {
                "s": [
                    ["指标", "丰州镇", None, "洪水镇", None],
                    [None, "年度目标", "已完成", "年度目标", "已完成"],
                    ["街面巡查", 100, 30, 80, 20],
                ]
            },
            {"s": ["B1:C1", "D1:E1", "A1:A2"]},
            {("丰州镇", "patrols_run"): 100, ("洪水镇", "patrols_run"): 80},
            "E列“洪水镇”（第2行为“已完成”，不是目标）",
        ),
    ],
)
def test_more_plan_shapes(ref_con, tmp_path, sheets, merges, want, reading):
    parsed = plan.read_plan(ref_con, _merged_book(tmp_path / "p.xlsx", sheets, merges), 2025)
    assert parsed.problems == [], [p.describe() for p in parsed.problems]
    ids = dict(ref_con.execute("SELECT name, unit_id FROM units").fetchall())
    assert parsed.targets == {(ids.get(u), k): float(v) for (u, k), v in want.items()}
    assert reading in "".join(parsed.explanation)


def test_an_indicator_over_two_unlabelled_columns_is_refused(ref_con, tmp_path):
    path = _book(tmp_path / "p.xlsx", {"s": [["乡镇", "街面巡查", "街面巡查"], ["丰州镇", 1, 2]]})
    (problem,) = plan.read_plan(ref_con, path, 2025).problems
    assert problem.cell == "C1" and "有 2 列" in problem.message


_CELLS = st.one_of(
    st.none(),
    st.integers(-5, 50000),
    st.sampled_from(
        ["乡镇", "指标", "目标", "单位", "合计", "全县", "小计", "备注", "序号", "年度目标", "完成"]
        + [u for pair in UNITS for u in pair]
        + [i[1] for i in INDICATORS]
        + [f"{i[1]}（{i[2]}）" for i in INDICATORS]
        + [
            "三",
            "两百",
            "1,200",
            "—",
            "/",
            "很多",
            "注：按全年计",
            "2024年计划",
            "1月",
            "2月",
            "3月",
        ]
    ),
    # openpyxl refuses control characters in cells
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_CELLS, min_size=1, max_size=6), min_size=1, max_size=8))
def test_any_sheet_is_read_or_refused_with_a_plan_error(ref_con, tmp_path, rows):
    path = _book(tmp_path / "p.xlsx", {"计划": rows})
    try:
        parsed = plan.read_plan(ref_con, path, 2025)
    except PlanError:
        return
    units = dict(ref_con.execute("SELECT unit_id, name FROM units").fetchall())
    keys = {k for k, *_ in INDICATORS} | {
        k for (k,) in ref_con.execute("SELECT key FROM indicators").fetchall()
    }
    for (unit_id, key), target in parsed.targets.items():
        assert (unit_id is None or unit_id in units) and key in keys and target >= 0
    assert parsed.problems or parsed.targets, "neither read nor refused"
    assert all(p.message for p in parsed.problems)
