"""Tests of minzheng.errors: one error family, problems described in one Chinese sentence."""

import pytest

from minzheng import errors


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            errors.Problem("a.xlsx", "台账", "C12", "abc", "数量应为数字"),
            "a.xlsx 工作表「台账」 C12 单元格，值为“abc”：数量应为数字",
        ),
        (errors.Problem("a.xlsx", "", "", "", "文件已损坏"), "a.xlsx：文件已损坏"),
        (
            errors.Problem("b.csv", "b", "第3行", "", "乡镇为空"),
            "b.csv 工作表「b」 第3行 单元格：乡镇为空",
        ),
    ],
)
def test_describe(problem, text):
    assert problem.describe() == text


def test_family():
    for cls in (errors.ConfigError, errors.PlanError, errors.NotFoundError):
        assert issubclass(cls, errors.MinzhengError)
    plan_error = errors.PlanError("x", [errors.Problem("p.xlsx", "", "", "", "y")])
    assert str(plan_error) == "x" and plan_error.problems[0].message == "y"


def test_describe_without_the_file_and_for_a_run_of_cells():
    one = errors.Problem("a.xlsx", "台账", "C12", "", "是公式，但文件中没有保存计算结果")
    run = errors.Problem("a.xlsx", "台账", "C12", "", "是公式，但文件中没有保存计算结果", cells=37)
    assert (
        one.describe(with_file=False)
        == "工作表「台账」 C12 单元格：是公式，但文件中没有保存计算结果"
    )
    assert (
        run.describe()
        == "a.xlsx 工作表「台账」 C12 起共 37 个单元格：是公式，但文件中没有保存计算结果"
    )
    assert (
        errors.Problem("a.xlsx", "", "", "", "文件已损坏").describe(with_file=False) == "文件已损坏"
    )
