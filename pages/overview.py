"""总览: where the year stands — a first, minimal page (the full dashboard comes next)."""

import datetime as dt

import streamlit as st

from minzheng import indicators, progress
from pages.shared import cursor

cur = cursor()
st.title("民政工作进度看板")
year = st.selectbox("年度", indicators.years(cur) or [dt.date.today().year])
table = progress.progress(cur, year)
if table.empty:
    st.info("本年度还没有数据。请在“数据上传”中导入乡镇台账。")
else:
    county = table[table["is_county"]]
    st.dataframe(
        county[
            [
                "indicator_name",
                "unit_label",
                "actual",
                "target",
                "completion",
                "time_progress",
                "status",
            ]
        ],
        hide_index=True,
        column_config={
            "indicator_name": "指标",
            "unit_label": "单位",
            "actual": st.column_config.NumberColumn("完成数", format="%d"),
            "target": st.column_config.NumberColumn("年度目标", format="%d"),
            "completion": st.column_config.NumberColumn("完成率", format="percent"),
            "time_progress": st.column_config.NumberColumn("序时进度", format="percent"),
            "status": "状态",
        },
    )
