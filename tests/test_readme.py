"""README starts with the two one-line commands, and CI runs README's test command verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_starts_with_two_one_line_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    run, test = _commands()
    assert text.index(run) < 300
    assert "streamlit run serve.py" in run and "pip install" in run
    assert "pytest" in test and "pip install" in test
    assert "\n" not in run and "\n" not in test


def test_ci_runs_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()
