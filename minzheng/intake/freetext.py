"""Personal data written in free text (走访内容, 备注, 情况说明 …): people's names and home addresses.

Columns headed 姓名, 住址 … are recognised by their header (data/columns.csv); this module finds the
same data inside sentences, for the redacted copy of a loaded file:

- names the file itself lists in a name column, wherever else they are written, and the names
  written next to them (周子轩、李华两名儿童);
- names in the usual phrasings of a visit record: 到X家, X同学, 儿童X, 监护人X, 学生X …, where X
  is a common surname followed by one or two characters;
- home addresses: places in a row ending in 省/市/县/区/乡/镇/街道/村/社区/小区/路/巷 …, down to
  a house: a number with 号/室/栋/单元/号楼/组 (武乡县丰州镇城关村2号, 城关村3组,
  幸福小区5号楼2单元301室).

Places without a house (丰州镇, 丰州镇城关村, 上司乡集贸市场) are not a home address and stay:
they say where the work happened.
Names are masked as name columns are (王小明 → 王*明); addresses are replaced by a marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from minzheng.intake import privacy

ADDRESS_REDACTED = "[地址已脱敏]"

# The most common Chinese surnames (about nine in ten people), double surnames first.
_DOUBLE_SURNAMES = [
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "令狐",
    "宇文",
    "夏侯",
    "端木",
    "司徒",
    "独孤",
]
_SINGLE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_SURNAME = "(?:" + "|".join(_DOUBLE_SURNAMES) + "|[" + _SINGLE_SURNAMES + "])"
_CJK = "[\u4e00-\u9fff]"
# A name: a surname and one or two given-name characters (the given name is checked separately).
_NAME = f"{_SURNAME}{_CJK}{{1,2}}"

# Words right before a name (儿童王小明, 监护人张伟).
_BEFORE = (
    "留守儿童|困境儿童|孤儿|儿童|学生|小朋友|监护人|家长|户主|母亲|父亲|爷爷|奶奶|外公|外婆|姥姥|姥爷"
    "|老人|村民|患者|当事人|申请人|救助对象|对象|姓名[:：]?"
)
# Verbs of a visit before a name that a word after it confirms (到周子轩家, 看望李华同学).
_VISIT = "到|去|赴|前往|走访|看望|慰问|探望|帮扶|联系"
_AFTER = "家|同学|小朋友|老人|爷爷|奶奶|[（(]?\\d{1,3}岁"
_CUED = re.compile(
    f"(?:{_BEFORE})(?P<a>{_NAME})"
    f"|(?:{_VISIT})(?P<b>{_NAME}?)(?={_AFTER})"
    f"|(?P<c>{_NAME}?)(?=同学|小朋友|[（(]\\d{{1,3}}岁)"
)
_LIST_NEXT = re.compile(
    f"^([、，,和及与]\\s*)({_NAME}?)(?=[、，,和及与等两三四五六七八九十]|$|同学|家)"
)

_PLACE = (
    "省|自治区|市|自治州|地区|盟|县|区|旗|乡|镇|街道|社区|村委会|村|屯|庄|小区|花园|家园|新村|公寓|大院"
    "|路|大街|街道|巷|胡同|弄|组"
)
_NUMBER = "[0-9０-９一二三四五六七八九十百零〇]+(?:-[0-9]+)?"
_HOUSE = f"{_NUMBER}(?:号楼|号院|号|栋|幢|单元|楼|层|室|户|组)"
# Words that begin a place but are not one (全县, 各乡镇, 本村, 该镇 …).
_NOT_PLACE_START = "全各本该每两多我贵此这那其某"
# Characters of a sentence around an address, never inside a place name (现住…, 居住在…).
_NOT_PLACE_CHAR = "住在到的了是为向从于由给和与及现"
_PLACE_CHAR = f"(?:(?![{_NOT_PLACE_CHAR}]){_CJK})"
_SEGMENT = f"(?:(?![{_NOT_PLACE_START}]){_PLACE_CHAR}{{1,8}}?(?:{_PLACE})|{_HOUSE})"
# After the first place a suffix may follow a suffix (李家庄 + 村).
_NEXT_SEGMENT = f"(?:{_PLACE_CHAR}{{0,8}}?(?:{_PLACE})|{_HOUSE})"
_ADDRESS = re.compile(f"{_SEGMENT}(?:{_NEXT_SEGMENT})+")
# A chain of places is a home address only down to the house: 城关村2号, 城关村3组, …301室.
# Without one it is where the work happened (丰州镇城关村, 上司乡集贸市场) and stays.
_HOUSE_PART = re.compile(_HOUSE)


@dataclass
class Found:
    """What a scrub replaced in one text: names masked and addresses removed."""

    names: int = 0
    addresses: int = 0

    def add(self, other: Found) -> None:
        """Count another text's findings in this one."""
        self.names += other.names
        self.addresses += other.addresses


def looks_like_name(value: object) -> bool:
    """True for 2–4 Chinese characters (a name column's value, as opposed to 不详 or a note)."""
    text = str(value).strip()
    return 2 <= len(text) <= 4 and all("\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in text)


def scrub(text: str, known_names: Iterable[str] = ()) -> tuple[str, Found]:
    """The text with ID/phone numbers, addresses and names removed or masked, and the counts."""
    found = Found()
    if not text:
        return text, found
    out = privacy.scrub(text)

    def address(match: re.Match) -> str:
        if not _HOUSE_PART.search(match.group()):
            return match.group()
        found.addresses += 1
        return ADDRESS_REDACTED

    out = _ADDRESS.sub(address, out)
    spans: list[tuple[int, int]] = []
    for name in sorted({n for n in known_names if n and looks_like_name(n)}, key=len, reverse=True):
        start = out.find(name)
        while start >= 0:
            spans.append((start, start + len(name)))
            start = out.find(name, start + len(name))
    for match in _CUED.finditer(out):
        group = next(g for g in ("a", "b", "c") if match.group(g))
        spans.append((match.start(group), match.end(group)))
    spans = _with_list_neighbours(out, spans)
    for start, end in sorted(_disjoint(spans), reverse=True):
        found.names += 1
        out = out[:start] + privacy.mask_name(out[start:end]) + out[end:]
    return out, found


def _with_list_neighbours(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add the names listed right after a found one (周子轩、李华和王芳)."""
    result, todo = list(spans), list(spans)
    while todo:
        _, end = todo.pop()
        match = _LIST_NEXT.match(text[end:])
        if match:
            span = (end + match.start(2), end + match.end(2))
            if span not in result:
                result.append(span)
                todo.append(span)
    return result


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged, so each character is masked once."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
