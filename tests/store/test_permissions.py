"""Roles enforced in the logic: every write function refuses a viewer, a session whose role was
lowered, a removed account and the single-user actor once accounts exist — writing nothing but
the refusal to the audit log; analysts may roll back and restore only their own batches."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from minzheng.intake import ingest, uploads
from minzheng.measures import plan
from minzheng.store import audit, auth, batches, catalog, reference, settings
from minzheng.store.permissions import Actor, PermissionDenied, allowed, require, role_of
from minzheng.views import plan_grid
from tests.helpers import ROOT, write_ledger

ADMIN = Actor("管理员", "web")
ANALYST = Actor("李填报", "web")
VIEWER = Actor("赵查看", "web")
OTHER_ANALYST = Actor("钱填报", "web")


@pytest.fixture
def world(empty_db, tmp_path):
    """Accounts of every role; an admin batch, an analyst batch, a rolled-back one, a demo
    batch and a 2025 plan; and a new ledger file not yet loaded."""
    con = empty_db
    auth.add_user(con, ADMIN.name, "admin", "admin-pass-1")
    auth.add_user(con, ANALYST.name, "analyst", "analyst-pass-1")
    auth.add_user(con, OTHER_ANALYST.name, "analyst", "analyst-pass-2")
    auth.add_user(con, VIEWER.name, "viewer", "viewer-pass-1")

    def load(name, rows, actor, demo=False):
        path = write_ledger(tmp_path / name, rows)
        result = ingest.ingest_file(con, path, actor=actor, demo=demo)
        assert result.status == ingest.LOADED, result.line()
        return result.batch_id

    ids = {
        "admin": load("丰州镇1月.xlsx", [["2025-01-03", "丰州镇", "街面巡查", 3, "次"]], ADMIN),
        "analyst": load("洪水镇1月.xlsx", [["2025-01-04", "洪水镇", "街面巡查", 2, "次"]], ANALYST),
        "gone": load("蟠龙镇1月.xlsx", [["2025-01-05", "蟠龙镇", "街面巡查", 1, "次"]], ADMIN),
        "demo": load("演示.xlsx", [["2025-01-06", "监漳镇", "法治讲座", 1, "场"]], ADMIN, True),
    }
    batches.rollback(con, ids["gone"], actor=ADMIN)
    unit_id = con.execute("SELECT unit_id FROM units WHERE name = '丰州镇'").fetchone()[0]
    saved = plan.Plan()
    saved.targets[(unit_id, "patrols_run")] = 40.0
    plan.save_plan(con, 2025, saved, "测试", actor=ANALYST)
    new_file = write_ledger(
        tmp_path / "故城镇2月.xlsx", [["2025-02-03", "故城镇", "巡查", 5, "次"]]
    )
    plan_file = tmp_path / "2025年计划.xlsx"
    write_ledger(plan_file, [["丰州镇", 50]], header=["乡镇", "街面巡查（次）"])
    return con, ids, new_file, plan_file


def _grid(con):
    grid = plan_grid.plan_grid(con, 2025)
    grid.loc[grid["乡镇"] == "丰州镇", "patrols_run"] = 99.0
    return grid


# name -> (action it needs, how to call it as `actor`)
WRITES = {
    "ingest.commit": lambda con, ids, f, p, a: ingest.commit(
        con, ingest.check_bytes(con, f.read_bytes(), f.name), actor=a
    ),
    "ingest.ingest_paths": lambda con, ids, f, p, a: ingest.ingest_paths(con, [f], actor=a),
    "uploads.load": lambda con, ids, f, p, a: uploads.load(
        con, uploads.check_files(con, [(f.name, f.read_bytes())]), actor=a
    ),
    "uploads.undo": lambda con, ids, f, p, a: uploads.undo(con, [ids["admin"]], actor=a),
    "batches.rollback": lambda con, ids, f, p, a: batches.rollback(con, ids["admin"], actor=a),
    "batches.restore": lambda con, ids, f, p, a: batches.restore(con, ids["gone"], actor=a),
    "batches.remove_demo": lambda con, ids, f, p, a: batches.remove_demo(con, actor=a),
    "plan.save_plan": lambda con, ids, f, p, a: plan.save_plan(
        con, 2025, plan.Plan(), "测试", actor=a
    ),
    "plan.set_targets": lambda con, ids, f, p, a: plan.set_targets(
        con, 2025, plan_grid.grid_to_long(_grid(con), reference.load(con)), actor=a
    ),
    "plan.load_plan": lambda con, ids, f, p, a: plan.load_plan(con, p, 2025, actor=a),
    "plan_grid.save_grid": lambda con, ids, f, p, a: plan_grid.save_grid(
        con, 2025, _grid(con), actor=a
    ),
    "plan_grid.save_uploaded_plan": lambda con, ids, f, p, a: plan_grid.save_uploaded_plan(
        con, 2025, plan.read_plan(con, p, 2025), p.name, actor=a
    ),
    "settings.put": lambda con, ids, f, p, a: settings.put(
        con, "status.ahead_margin", 0.2, actor=a
    ),
    "settings.save_thresholds": lambda con, ids, f, p, a: settings.save_thresholds(
        con, 20, 20, 9, actor=a
    ),
    "catalog.add_alias": lambda con, ids, f, p, a: catalog.add_alias(
        con, "丰州镇", "丰州镇区", actor=a
    ),
    "catalog.add_unit": lambda con, ids, f, p, a: catalog.add_unit(con, "新设镇", actor=a),
    "catalog.set_unit_active": lambda con, ids, f, p, a: catalog.set_unit_active(
        con, "丰州镇", False, actor=a
    ),
    "catalog.add_synonym": lambda con, ids, f, p, a: catalog.add_synonym(
        con, "patrols_run", "夜间巡查", actor=a
    ),
    "catalog.add_indicator": lambda con, ids, f, p, a: catalog.add_indicator(
        con, "meals_delivered", "送餐服务", "人次", actor=a
    ),
    "auth.add_user": lambda con, ids, f, p, a: auth.add_user(
        con, "新人", "admin", "long-enough", actor=a
    ),
    "auth.remove_user": lambda con, ids, f, p, a: auth.remove_user(
        con, OTHER_ANALYST.name, actor=a
    ),
    "auth.set_role": lambda con, ids, f, p, a: auth.set_role(con, VIEWER.name, "admin", actor=a),
    "auth.set_password": lambda con, ids, f, p, a: auth.set_password(
        con, ADMIN.name, "taken-over-1", actor=a
    ),
}
ANALYST_MAY = {
    "ingest.commit",
    "ingest.ingest_paths",
    "uploads.load",
    "plan.save_plan",
    "plan.set_targets",
    "plan.load_plan",
    "plan_grid.save_grid",
    "plan_grid.save_uploaded_plan",
}

_TABLES = [
    "batches",
    "facts",
    "monthly_actuals",
    "plan_targets",
    "plan_phasing",
    "settings",
    "units",
    "unit_aliases",
    "indicators",
    "indicator_synonyms",
    "accounts",
    "data_version",
]


def _snapshot(con) -> dict[str, list]:
    return {
        t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))  # noqa: S608
        for t in _TABLES
    }


def _denied(con, world_args, name: str, actor: Actor) -> None:
    before = _snapshot(con)
    refusals = len(audit.entries(con, actions=["denied"]))
    with pytest.raises(PermissionDenied):
        WRITES[name](con, *world_args, actor)
    assert _snapshot(con) == before, f"{name} wrote something for {actor}"
    denied = audit.entries(con, actions=["denied"])
    assert len(denied) == refusals + 1 and denied.iloc[0]["username"] == actor.name


@pytest.mark.parametrize("name", list(WRITES))
def test_a_viewer_can_write_nothing(world, name):
    con, *args = world
    _denied(con, args, name, VIEWER)


@pytest.mark.parametrize("name", list(WRITES))
def test_a_session_whose_role_was_lowered_can_write_nothing(world, name):
    con, *args = world
    lowered = Actor(ADMIN.name, "web")  # the session was opened as admin …
    auth.add_user(con, "副管理员", "admin", "second-admin-1")
    auth.set_role(con, ADMIN.name, "viewer")  # … then another admin lowered the role
    _denied(con, args, name, lowered)


@pytest.mark.parametrize("name", ["uploads.load", "plan.save_plan", "batches.rollback"])
def test_a_removed_account_and_a_stale_single_user_session_can_write_nothing(world, name):
    con, *args = world
    auth.remove_user(con, VIEWER.name)
    _denied(con, args, name, VIEWER)
    _denied(con, args, name, Actor("单用户模式", "single"))


@pytest.mark.parametrize("name", sorted(set(WRITES) - ANALYST_MAY))
def test_an_analyst_cannot_do_admin_work(world, name):
    con, *args = world
    _denied(con, args, name, ANALYST)


@pytest.mark.parametrize("name", sorted(ANALYST_MAY))
def test_an_analyst_may_upload_and_edit_plans(world, name):
    con, *args = world
    WRITES[name](con, *args, ANALYST)
    assert audit.entries(con, actions=["denied"]).empty


def test_analysts_roll_back_and_restore_only_their_own_batches(world):
    con, ids, *_ = world
    with pytest.raises(PermissionDenied, match="只能撤销自己导入的批次，这个批次由“李填报”导入"):
        batches.rollback(con, ids["analyst"], actor=OTHER_ANALYST)
    with pytest.raises(PermissionDenied, match="只能恢复自己导入的批次，这个批次由“管理员”导入"):
        batches.restore(con, ids["gone"], actor=ANALYST)
    batches.rollback(con, ids["analyst"], actor=ANALYST)
    batches.restore(con, ids["analyst"], actor=ANALYST)
    batches.restore(con, ids["gone"], actor=ADMIN)
    batches.rollback(con, ids["analyst"], actor=ADMIN)  # admins may touch any batch
    kinds = audit.entries(con, actions=["rollback", "restore"])
    assert kinds[["username", "action", "batch_id"]].values.tolist() == [
        [ADMIN.name, "rollback", ids["analyst"]],
        [ADMIN.name, "restore", ids["gone"]],
        [ANALYST.name, "restore", ids["analyst"]],
        [ANALYST.name, "rollback", ids["analyst"]],
        [ADMIN.name, "rollback", ids["gone"]],
    ]


def test_a_logged_in_account_is_recorded_as_the_loader_whatever_name_is_typed(world):
    con, _ids, new_file, _p = world
    result = ingest.ingest_file(con, new_file, user="管理员", actor=ANALYST)
    loaded_by = con.execute(
        "SELECT loaded_by FROM batches WHERE batch_id = $b", {"b": result.batch_id}
    ).fetchone()[0]
    assert loaded_by == ANALYST.name


def test_role_checks(world):
    con, *_ = world
    assert role_of(con, VIEWER) == "viewer" and role_of(con, Actor("没有这个人")) is None
    assert role_of(con, None) == "admin"  # the local operator (command line)
    assert role_of(con, Actor("单用户模式", "single")) is None  # accounts exist
    assert allowed(con, VIEWER, "audit") is False and allowed(con, ADMIN, "audit") is True
    assert allowed(con, ANALYST, "rollback", owner=ANALYST.name)
    assert not allowed(con, ANALYST, "rollback", owner=ADMIN.name)
    assert require(con, ADMIN, "users") == (ADMIN, "admin")


def test_single_user_mode_has_full_rights_until_an_account_exists(empty_db):
    single = Actor("单用户模式", "single")
    assert role_of(empty_db, single) == "admin"
    settings.put(empty_db, "status.ahead_margin", 0.2, actor=single)
    # but not accounts: whoever reached the page would make themselves admin
    with pytest.raises(PermissionDenied, match="单用户模式下不能在网页上添加账号"):
        auth.add_user(empty_db, "路人", "admin", "long-enough", actor=single)
    auth.add_user(empty_db, "王", "admin", "long-enough", actor=Actor("初始设置码", "setup"))
    with pytest.raises(PermissionDenied, match="已被删除或停用"):  # the code made one admin
        auth.add_user(empty_db, "李", "admin", "long-enough", actor=Actor("初始设置码", "setup"))
    with pytest.raises(PermissionDenied, match="已被删除或停用"):
        settings.put(empty_db, "status.ahead_margin", 0.3, actor=single)


# Every call from pages/ to a write function must name the acting user: a call without
# `actor=` would act as the local operator (full rights).
GUARDED = {name.split(".")[1] for name in WRITES} | {"undo", "load"}


def _calls_without_actor(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        module = owner.id if isinstance(owner, ast.Name) else ""
        if module in {"admin", "auth", "batches", "ingest", "plan", "settings", "uploads"} and (
            node.func.attr in GUARDED
        ):
            keywords = {k.arg for k in node.keywords}
            if "actor" not in keywords:
                missing.append(f"{path.name}:{node.lineno} {module}.{node.func.attr}")
    # writes passed to a page's _apply(action, …) helper get actor= there
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "_apply":
            inner = [
                c
                for c in ast.walk(node)
                if isinstance(c, ast.Call) and ast.unparse(c.func) == "action"
            ]
            assert inner and all("actor" in {k.arg for k in c.keywords} for c in inner), path
    return missing


def test_pages_pass_the_acting_user_to_every_write():
    pages = sorted((ROOT / "pages").glob("*.py"))
    assert len(pages) >= 10
    missing = [m for path in pages for m in _calls_without_actor(path)]
    assert missing == []
