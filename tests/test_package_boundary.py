"""The core package never imports streamlit: checked in a clean interpreter over every module."""

import pkgutil
import subprocess
import sys

import minzheng


def test_no_module_of_the_package_imports_streamlit():
    modules = [
        m.name
        for m in pkgutil.walk_packages(minzheng.__path__, "minzheng.")
        if m.name != "minzheng.__main__"
    ]
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_no_source_file_mentions_streamlit_imports():
    for path in (p for p in __import__("pathlib").Path(minzheng.__file__).parent.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "import streamlit" not in text and "from streamlit" not in text, path
