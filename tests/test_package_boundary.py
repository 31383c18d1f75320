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


# The stages of the package, lowest first: a module imports only from its own stage or a lower
# one, so reading never depends on measures, measures never on views, and so on.
STAGES = {
    "errors": 0,
    "config": 0,
    "normalize": 0,
    "formatting": 0,
    "store": 1,
    "intake": 2,
    "measures": 3,
    "views": 4,
    "outputs": 5,
    "web": 7,
    "demo": 6,
    "cli": 7,
    "__main__": 8,
}
PACKAGE_DIR = __import__("pathlib").Path(minzheng.__file__).parent


def _module_name(path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports (any depth in the file)."""
    import ast

    paths = {_module_name(p): p for p in PACKAGE_DIR.rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("minzheng"):
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    targets.add(candidate if candidate in paths else node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("minzheng")}
        graph[name] = targets - {name}
    return graph


def _stage(module: str) -> int:
    parts = module.split(".")
    return 0 if len(parts) == 1 else STAGES[parts[1]]


def test_every_module_belongs_to_a_known_stage():
    unknown = [m for m in _import_graph() if m != "minzheng" and m.split(".")[1] not in STAGES]
    assert unknown == []


def test_imports_go_one_way_only():
    upward = [
        f"{source} → {target}"
        for source, targets in _import_graph().items()
        for target in targets
        if _stage(target) > _stage(source)
    ]
    assert upward == []


def test_the_package_has_no_import_cycle():
    graph = _import_graph()
    done: set[str] = set()
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            cycles.append(" → ".join(trail[trail.index(node) :] + [node]))
            return
        if node in done:
            return
        for target in sorted(graph.get(node, ())):
            visit(target, trail + [node])
        done.add(node)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def test_the_database_module_imports_only_config_and_errors():
    assert _import_graph()["minzheng.store.db"] == {"minzheng.config", "minzheng.errors"}


def test_no_module_over_about_500_lines_and_no_class_over_about_250():
    """Small modules with names that explain themselves: the sizes the package was split to."""
    import ast

    too_long = []
    for path in PACKAGE_DIR.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 520:
            too_long.append(f"{path.name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno >= 260:
                too_long.append(f"{path.name}: class {node.name}")
    assert too_long == []
