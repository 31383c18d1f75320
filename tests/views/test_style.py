"""Tests of minzheng.views.style: download file names and the chart PNG settings."""

from minzheng.views import style


def test_file_name_and_plot_config():
    name = style.file_name("街面巡查", "2024年", "截至2024-11-30")
    assert name == "街面巡查_2024年_截至2024-11-30"
    assert style.file_name("a/b: c", None, "") == "a_b_c"
    config = style.plot_config(name)
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {"format": "png", "filename": name, "scale": 2}
    assert style.plot_config(name, mode_bar=False)["displayModeBar"] is False
