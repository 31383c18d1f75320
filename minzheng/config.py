"""Where things live, and every setting: declared once here with its default and meaning.

data/config.toml is the installation's file: it may set any declared setting (a key nothing
declares is an error, not ignored); settings an admin changes on 设置 are stored in the database
on top (`minzheng.store.settings`). docs/settings.md lists them for people.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from minzheng.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEMO_DIR = DATA_DIR / "demo"
DEFAULT_DB = DATA_DIR / "minzheng.duckdb"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: the explicit path, else $MINZHENG_DB, else data/minzheng.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("MINZHENG_DB")
    return Path(env) if env else DEFAULT_DB


@dataclass(frozen=True)
class Setting:
    """One setting: its 'section.key' name, default (whose type its values must have) and meaning."""

    name: str
    default: bool | int | float | str | list
    meaning: str


SETTINGS = (
    Setting(
        "status.ahead_margin",
        0.10,
        "超前：完成率比序时进度高出这么多（占年度目标的比例）及以上",
    ),
    Setting(
        "status.behind_margin",
        0.10,
        "滞后：完成率比序时进度低这么多（占年度目标的比例）及以上",
    ),
    Setting("reporting.due_day", 5, "每月报送截止日：次月的这一天之前报来算按时"),
    Setting("ingest.max_rows", 100_000, "一个工作表（及一个文件）最多的行数"),
    Setting("ingest.max_columns", 1_000, "一个工作表的单元格最多跨越的列数"),
    Setting("ingest.max_cells", 5_000_000, "一个工作表已用区域最多的单元格数（行 × 列）"),
    Setting("ingest.max_file_bytes", 104_857_600, "接受的最大文件（字节）"),
    Setting(
        "ingest.max_uncompressed_bytes",
        209_715_200,
        ".xlsx 各部分解压后的总大小上限（字节）",
    ),
    Setting(
        "ingest.max_compression_ratio",
        100,
        ".xlsx 中 1 MB 以上部分的最大压缩比（解压后 ÷ 压缩后），防压缩炸弹",
    ),
    Setting(
        "demo.autoload", True, "看板在空数据库上启动时自动载入演示数据（删除演示数据后自动关闭）"
    ),
    Setting(
        "quality.outlier_z",
        3.5,
        "上传时疑似录入错误的门槛：与本单位近几个月相比的修正 z 分数（中位数绝对偏差）超过此值",
    ),
    Setting("quality.min_ratio", 3.0, "疑似录入错误还须是预期数的这么多倍（或几分之一）"),
    Setting("quality.swap_ratio", 2.0, "两位数字对调后即为常见数时，倍数门槛降为此值"),
    Setting(
        "quality.min_spread",
        0.25,
        "历史波动的下限（对数单位，0.25 约为 28%），平稳的历史不因小变化报警",
    ),
    Setting("quality.min_history", 6, "至少有这么多个月的历史数据才做疑似录入错误检查"),
    Setting("quality.history_months", 12, "与最近这么多个月比较"),
    Setting(
        "server.allowed_hosts",
        ["localhost", "127.0.0.1", "::1"],
        "看板接受的访问地址（主机名，不含端口；“*.example.cn”含其子域名）；经反向代理访问时加上其域名，重启后生效",
    ),
    Setting("auth.max_failures", 5, "连续输错这么多次密码后锁定该账号"),
    Setting("auth.lockout_minutes", 15, "账号锁定的分钟数"),
    Setting("auth.idle_minutes", 30, "无操作这么多分钟后需要重新登录"),
)
DECLARED = {s.name: s for s in SETTINGS}


@cache
def defaults() -> dict:
    """Every declared setting's value: data/config.toml where it sets one, else the declared default.

    A key the file sets that nothing declares, or a value of the wrong type, is a ConfigError
    naming it (a typo in the file would otherwise be silently ignored).
    """
    path = DATA_DIR / "config.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"配置文件 {path} 无法读取：{exc}") from exc
    values = {s.name: s.default for s in SETTINGS}
    for section, items in raw.items():
        for key, value in items.items():
            name = f"{section}.{key}"
            if name not in DECLARED:
                raise ConfigError(f"配置文件 {path} 中的“{name}”不是已知的设置项")
            default = DECLARED[name].default
            if isinstance(default, float) and type(value) is int:
                value = float(value)
            if type(value) is not type(default):
                raise ConfigError(f"配置文件 {path} 中的“{name}”应为{type(default).__name__}类型")
            values[name] = value
    return values
