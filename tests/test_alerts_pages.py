"""The alerts on the pages: the Overview's box until acknowledged, the Settings page's channels;
and every alerts text in the catalogue."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from citra import store
from citra.alerts import engine
from citra.i18n import catalogue
from citra.queries.alerts import find_channel, list_alerts, list_channels
from citra.store.alerts import add_channel, record_channel_failure
from citra.store.imports import import_run
from citra.store.organisations import set_profile
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


# Every test starts with empty Streamlit caches (conftest).
pytestmark = pytest.mark.usefixtures("fresh_caches")


def open_page(page: str, lang: str = "id") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def with_alert(db_path: Path) -> int:
    db = store.open_db(db_path)
    coop = set_profile(db, name="KSP Sejahtera")
    published = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with import_run(db, kind="test") as run:
        run.add(
            [
                {
                    "id": "r1",
                    "platform": "news",
                    "organisation_id": coop.id,
                    "published_at": published,
                    "title": "KSP Sejahtera gagal bayar simpanan anggota",
                    "source": "kabar.example",
                    "url": "https://kabar.example/1",
                    "sentiment_label": "negative",
                    "sentiment_compound": -0.7,
                    "risk": 1,
                    "lexicon_version": "test",
                }
            ]
        )
    [alert_id] = engine.evaluate(db)
    db.close()
    return alert_id


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_overview_shows_an_alert_until_someone_acknowledges_it(db_path: Path) -> None:
    alert_id = with_alert(db_path)
    at = open_page("overview")
    shown = markdown(at)
    assert "Peringatan (1 belum dibaca)" in shown
    assert "Risiko (gagal bayar) pada sebutan KSP Sejahtera" in shown
    assert "[KSP Sejahtera gagal bayar simpanan anggota](https://kabar.example/1)" in shown
    button = at.button(key=f"alerts_ack_{alert_id}")
    assert button.disabled  # nobody said who they are yet
    at.text_input(key="alerts_ack_by").input("Dimas").run()
    at.button(key=f"alerts_ack_{alert_id}").click().run()
    assert not at.exception
    assert "belum dibaca" not in markdown(at)
    [alert] = list_alerts(store.open_readonly(db_path))
    assert alert.acknowledged_by == "Dimas" and alert.acknowledged_at


def test_the_overview_has_no_alerts_box_without_alerts(db_path: Path) -> None:
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera")
    db.close()
    at = open_page("overview", "en")
    assert "open)" not in markdown(at)


def test_settings_shows_a_failing_channel_and_adds_one(db_path: Path) -> None:
    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera")
    failing = add_channel(db, "webhook", "https://hooks.example/services/sangat-rahasia")
    with db.atomic():
        record_channel_failure(db, failing.id, "HTTP 500 down", datetime.now(UTC))
    db.close()
    at = open_page("settings", "en")
    assert any(
        "Failing 1 times in a row" in w.value and "HTTP 500 down" in w.value for w in at.warning
    )
    assert "sangat-rahasia" not in markdown(at)
    at.selectbox(key="alerts_kind").set_value("Slack")
    at.text_input(key="alerts_target").input("https://hooks.example/services/T/B/X")
    at.button(key="FormSubmitter:settings_add_channel-Add channel").click().run()
    assert not at.exception and not at.error
    channels = list_channels(store.open_readonly(db_path))
    assert [c.format for c in channels] == ["json", "slack"]
    at.selectbox(key="alerts_kind").set_value("Telegram")
    at.text_input(key="alerts_target").input("https://api.telegram.org")
    at.button(key="FormSubmitter:settings_add_channel-Add channel").click().run()
    assert "chat id" in at.error[0].value
    at.button(key=f"alerts_remove_{failing.id}").click().run()
    assert find_channel(store.open_readonly(db_path), failing.id) is None


ALERTS_CODE = [
    *sorted((ROOT / "citra" / "alerts").glob("*.py")),
    ROOT / "citra" / "store" / "alerts.py",
    ROOT / "citra" / "mail.py",
    ROOT / "pages" / "overview.py",
    ROOT / "pages" / "settings.py",
]


def translatable(path: Path) -> list[str]:
    """String constants passed first to ``_``, ``t``, ``translate`` or ``CitraError``, and the
    values of the name tables (``RULE_NAMES``...)."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in {"_", "t", "translate", "CitraError"}:
                first = node.args[0]
                options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                found += [o.value for o in options if isinstance(o, ast.Constant)]
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in {"RULE_NAMES", "CATEGORY_NAMES"}:
                found += [v.value for v in node.value.values if isinstance(v, ast.Constant)]
    return [text for text in found if isinstance(text, str)]


@pytest.mark.parametrize("path", ALERTS_CODE, ids=lambda p: p.name)
def test_every_alerts_text_has_an_indonesian_translation(path: Path) -> None:
    messages = catalogue("id")
    missing = [text for text in translatable(path) if text not in messages]
    assert missing == []
