"""Tests of minzheng.intake.freetext: names and addresses written in sentences are masked or removed,
ordinary work descriptions are left alone; a property test over generated visit notes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from minzheng.intake import freetext, layout

# Surnames and given-name characters the generator draws from (the given names are arbitrary
# characters, so they need not be words).
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯") + ["欧阳", "司马"]
GIVEN = "子轩浩宇欣怡梓涵一诺雨桐思远佳琪建国秀英明华芳伟强丽敏静磊洋艳勇军杰娟涛超霞平刚桂"
PLACES = ["丰州镇", "洪水镇", "蟠龙镇", "上司乡", "石北乡", "涌泉乡", "分水岭乡"]
VILLAGES = ["城关村", "东村", "西沟村", "南关社区", "李家庄村", "石门村"]


@given(
    surname=st.sampled_from(SURNAMES),
    given_name=st.text(alphabet=GIVEN, min_size=1, max_size=2),
    county=st.sampled_from(["武乡县", "长治市武乡县", "山西省长治市武乡县", ""]),
    town=st.sampled_from(PLACES),
    village=st.sampled_from(VILLAGES),
    house=st.one_of(
        st.integers(1, 300).map(lambda n: f"{n}号"),
        st.integers(1, 12).map(lambda n: f"{n}组"),
        st.tuples(st.integers(1, 20), st.integers(101, 2405)).map(
            lambda p: f"幸福小区{p[0]}号楼{p[1]}室"
        ),
    ),
    template=st.sampled_from(
        [
            "到{name}家（{address}）走访，了解生活学习情况",
            "{name}同学现住{address}，由奶奶照看",
            "走访留守儿童{name}，家住{address}",
            "监护人{name}外出务工，家庭住址{address}",
            "儿童{name}（8岁）居住在{address}，身体健康",
        ]
    ),
)
@settings(max_examples=300, deadline=None)
def test_generated_names_and_addresses_never_survive(
    surname, given_name, county, town, village, house, template
):
    name = surname + given_name
    address = f"{county}{town}{village}{house}"
    text = template.format(name=name, address=address)
    clean, found = freetext.scrub(text)
    assert name not in clean, clean
    assert address not in clean and f"{village}{house}" not in clean, clean
    assert found.names >= 1 and found.addresses >= 1


def test_names_listed_beside_a_known_name_are_masked():
    clean, found = freetext.scrub("周子轩、李华和王芳三人均已入学", known_names=["周子轩"])
    for secret in ("周子轩", "李华", "王芳"):
        assert secret not in clean
    assert clean.startswith("周*轩、李*和王*") and found.names == 3


def test_known_names_are_masked_anywhere():
    clean, _ = freetext.scrub("本月回访：子轩（周子轩）状态良好", known_names=["周子轩"])
    assert "周子轩" not in clean and "周*轩" in clean


def test_ordinary_work_text_is_left_alone():
    for text in (
        "全县各乡镇开展法治宣传",
        "丰州镇发放宣传资料1,000余份",
        "分3组开展街面巡查",
        "县民政局机关组织儿童主任业务培训",
        "在城关村开展婚姻大讲堂",
        "在丰州镇城关村开展普法宣传",
        "上司乡集贸市场",
        "镇区主要街道",
    ):
        clean, found = freetext.scrub(text)
        assert (clean, found.names, found.addresses) == (text, 0, 0)


def test_address_header_synonyms_are_address_columns():
    for header in ("住址", "居住地址", "家庭地址", "现住址", "户籍地址", "家庭住址", "户籍所在地"):
        assert layout.role_of(header) == "address", header
