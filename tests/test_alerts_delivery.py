"""Delivering alerts to local servers (SMTP on aiosmtpd, HTTP for Telegram, Slack and the JSON
webhook), retrying what failed, never sending twice; and the issue's end-to-end import."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from citra import mail
from citra.alerts import engine
from citra.alerts.channels import check_url, signature
from citra.cli import cli
from citra.errors import CitraError
from citra.queries.alerts import deliveries_of, find_channel, list_alerts
from citra.store import open_db
from citra.store.alerts import add_channel
from citra.store.imports import import_run
from citra.store.organisations import set_profile
from tests.alerts_servers import free_port, http_sink, smtp_sink, text_of

NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
HEADLINE = "Anggota KSP Sejahtera resah: koperasi gagal bayar simpanan"


@pytest.fixture(autouse=True)
def local_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITRA_ALLOW_PRIVATE_URLS", "1")
    for name in ("CITRA_SMTP_PASSWORD", "CITRA_TELEGRAM_BOT_TOKEN", "CITRA_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)


def risk_mention(db: Database, n: int = 1, at: datetime = NOW - timedelta(hours=1)) -> None:
    coop = set_profile(db, name="KSP Sejahtera")
    with import_run(db, kind="test") as run:
        run.add(
            [
                {
                    "id": f"risk{n}",
                    "platform": "news",
                    "organisation_id": coop.id,
                    "published_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "title": HEADLINE if n == 1 else f"KSP Sejahtera diduga penipuan ({n})",
                    "source": "kabar.example",
                    "url": f"https://kabar.example/berita/{n}",
                    "reach": 1500,
                    "sentiment_label": "negative",
                    "sentiment_compound": -0.62,
                    "risk": 1,
                    "lexicon_version": "test",
                }
            ]
        )


def smtp_channel(db: Database, port: int, **options: object) -> int:
    mail.save_settings(
        db, mail.SmtpSettings(host="127.0.0.1", port=port, tls="none", sender="citra@kopsera.id")
    )
    return add_channel(db, "email", "humas@kopsera.id, ketua@kopsera.id", **options).id


def test_an_email_arrives_once_with_the_mention_quoted(db: Database) -> None:
    pytest.importorskip("aiosmtpd")
    with smtp_sink() as smtp:
        smtp_channel(db, smtp.port)
        risk_mention(db)
        result = engine.run(db, now=NOW)
        assert len(result["fired"]) == 1 and len(result["sent"]) == 1
        assert engine.run(db, now=NOW + timedelta(hours=2))["sent"] == []
    [message] = smtp.messages
    assert smtp.envelopes == [("citra@kopsera.id", ["humas@kopsera.id", "ketua@kopsera.id"])]
    assert (
        message["Subject"] == f"[Citra] Risiko (gagal bayar) pada sebutan KSP Sejahtera: {HEADLINE}"
    )
    text, page = text_of(message), text_of(message, "html")
    for body in (text, page):
        assert HEADLINE in body
        assert "https://kabar.example/berita/1" in body
        assert (
            "kabar.example · 23 Nov 2026 11:00 · Negatif (-0,62) · risiko: gagal bayar · "
            "jangkauan 1.500"
        ) in body
    alert_id = list_alerts(db)[0].id
    assert f"citra alerts ack {alert_id}" in text
    assert '<a href="https://kabar.example/berita/1">' in page


def test_an_unreachable_smtp_server_leaves_it_pending_and_a_later_run_delivers(
    db: Database,
) -> None:
    pytest.importorskip("aiosmtpd")
    port = free_port()
    channel_id = smtp_channel(db, port)
    risk_mention(db)
    first = engine.run(db, now=NOW)
    assert (
        first["sent"] == []
        and "tidak dapat dikirim melalui 127.0.0.1" in first["failed"][0]["reason"]
    )
    [alert] = list_alerts(db)
    [delivery] = deliveries_of(db, alert.id)
    assert delivery["status"] == "pending" and delivery["attempts"] == 1
    assert "tidak dapat dikirim" in delivery["last_error"]
    assert delivery["next_attempt_at"] == "2026-11-23T05:05:00Z"  # retried after 5 minutes
    channel = find_channel(db, channel_id)
    assert channel is not None and channel.failing and channel.pending == 1
    with smtp_sink(port) as smtp:
        assert engine.run(db, now=NOW + timedelta(minutes=1))["sent"] == []  # backing off
        later = engine.run(db, now=NOW + timedelta(minutes=6))
        assert later["sent"] == [{"channel": channel_id, "alerts": [alert.id]}]
        engine.run(db, now=NOW + timedelta(hours=1))
    assert len(smtp.messages) == 1 and HEADLINE in text_of(smtp.messages[0])
    healed = find_channel(db, channel_id)
    assert healed is not None and not healed.failing and healed.pending == 0


def test_telegram_bot_send_message(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITRA_TELEGRAM_BOT_TOKEN", "123456:rahasia-bot")
    with http_sink() as server:
        server.reply = b'{"ok": true, "result": {}}'
        add_channel(db, "webhook", server.url, format="telegram", options={"chat_id": "-100200"})
        risk_mention(db)
        assert len(engine.run(db, now=NOW)["sent"]) == 1
    [request] = server.requests
    assert request.path == "/bot123456:rahasia-bot/sendMessage"
    assert request.json["chat_id"] == "-100200"
    assert (
        HEADLINE in request.json["text"]
        and "https://kabar.example/berita/1" in request.json["text"]
    )
    dump = "\n".join(db.iterdump())
    assert "rahasia-bot" not in dump


def test_a_telegram_refusal_keeps_it_pending_without_showing_the_token(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITRA_TELEGRAM_BOT_TOKEN", "123456:rahasia-bot")
    with http_sink() as server:
        server.status, server.reply = (
            403,
            b'{"ok": false, "description": "Forbidden: bot was kicked"}',
        )
        add_channel(db, "webhook", server.url, format="telegram", options={"chat_id": "1"})
        risk_mention(db)
        [failure] = engine.run(db, now=NOW)["failed"]
    assert "HTTP 403" in failure["reason"] and "bot was kicked" in failure["reason"]
    assert "rahasia" not in failure["reason"]


def test_slack_incoming_webhook(db: Database) -> None:
    with http_sink() as server:
        add_channel(db, "webhook", f"{server.url}/services/T000/B000/XXXX", format="slack")
        risk_mention(db)
        engine.run(db, now=NOW)
    [request] = server.requests
    assert request.path == "/services/T000/B000/XXXX"
    assert HEADLINE in request.json["text"] and request.json["unfurl_links"] is False


def test_json_webhook_schema_and_hmac_signature(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITRA_WEBHOOK_SECRET", "kunci-rahasia")
    with http_sink() as server:
        add_channel(db, "webhook", f"{server.url}/hook")
        risk_mention(db, 1)
        risk_mention(db, 2)
        assert len(engine.run(db, now=NOW)["sent"]) == 1  # one message for what is due
    [request] = server.requests
    stamp = request.headers["X-Citra-Timestamp"]
    expected = hmac.new(b"kunci-rahasia", stamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["X-Citra-Signature"] == "sha256=" + expected.hexdigest()
    assert request.headers["X-Citra-Signature"] == signature("kunci-rahasia", stamp, request.body)
    assert request.headers["X-Citra-Event"] == "alert" and request.headers["X-Citra-Delivery"]
    payload = request.json
    assert payload["schema"] == "citra.alerts/1" and payload["event"] == "alert"
    assert payload["coop"] == "KSP Sejahtera" and payload["language"] == "id"
    assert [a["rule"] for a in payload["alerts"]] == ["risk", "risk"]
    first = payload["alerts"][0]
    assert set(first) >= {"id", "rule", "subject", "organisation", "details", "fired_at", "title"}
    assert first["mentions"][0] == {
        "id": "risk1",
        "title": HEADLINE,
        "source": "kabar.example",
        "platform": "news",
        "url": "https://kabar.example/berita/1",
        "published_at": "2026-11-23T04:00:00Z",
        "sentiment": "negative",
        "sentiment_score": -0.62,
        "risk_category": "default",
        "reach": 1500,
    }
    assert first["details"]["category"] == "default"
    assert {a["details"]["category"] for a in payload["alerts"]} == {"default", "fraud"}


def test_a_rejected_webhook_is_retried_and_never_sent_twice(db: Database) -> None:
    with http_sink() as server:
        server.status = 500
        channel_id = add_channel(db, "webhook", f"{server.url}/hook").id
        risk_mention(db)
        [failure] = engine.run(db, now=NOW)["failed"]
        assert "HTTP 500" in failure["reason"]
        server.status = 200
        assert engine.run(db, now=NOW + timedelta(minutes=5))["sent"]
        for minutes in (10, 60, 600):
            assert engine.run(db, now=NOW + timedelta(minutes=minutes))["sent"] == []
    assert len(server.requests) == 2
    [alert] = list_alerts(db)
    assert alert.deliveries == {"sent": 1}
    channel = find_channel(db, channel_id)
    assert channel is not None and channel.consecutive_failures == 0


def test_a_daily_digest_carries_the_days_alerts_at_its_hour(db: Database) -> None:
    with http_sink() as server:
        add_channel(db, "webhook", f"{server.url}/hook", digest=True, digest_hour=7)
        risk_mention(db, 1)
        engine.run(db, now=NOW)  # 12:00 WIB
        risk_mention(db, 2, at=NOW + timedelta(hours=3))
        engine.run(db, now=NOW + timedelta(hours=4))
        assert server.requests == []
        next_morning = datetime(2026, 11, 24, 7, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
        assert len(engine.run(db, now=next_morning.astimezone(UTC))["sent"]) == 1
    [request] = server.requests
    assert request.json["event"] == "digest" and len(request.json["alerts"]) == 2


def test_deliveries_are_given_up_when_the_alert_is_old_news(db: Database) -> None:
    channel_id = add_channel(db, "webhook", f"http://127.0.0.1:{free_port()}/hook").id
    risk_mention(db)
    assert engine.run(db, now=NOW)["failed"]
    assert engine.run(db, now=NOW + timedelta(hours=73))["expired"] == 1
    [alert] = list_alerts(db)
    assert alert.deliveries == {"expired": 1}
    assert find_channel(db, channel_id).pending == 0  # type: ignore[union-attr]


def test_a_channel_added_later_gets_only_new_alerts(db: Database) -> None:
    risk_mention(db, 1)
    engine.run(db, now=NOW)
    with http_sink() as server:
        add_channel(db, "webhook", f"{server.url}/hook")
        engine.run(db, now=NOW + timedelta(minutes=1))
        assert server.requests == []


def test_channel_test_message_and_failure_note(db: Database) -> None:
    set_profile(db, name="KSP Sejahtera")
    with http_sink() as server:
        channel_id = add_channel(db, "webhook", f"{server.url}/hook").id
        engine.test_channel(db, channel_id, now=NOW)
        assert server.requests[0].json["event"] == "test"
        server.status = 404
        with pytest.raises(CitraError, match="HTTP 404"):
            engine.test_channel(db, channel_id, now=NOW)
    channel = find_channel(db, channel_id)
    assert channel is not None and channel.failing and "HTTP 404" in (channel.last_error or "")


@pytest.mark.parametrize(
    ("url", "format", "message"),
    [
        ("ftp://example.org/x", "json", "not a web address"),
        ("https://api.telegram.org/bot123456:ABC-def/sendMessage", "telegram", "holds the bot"),
        ("http://127.0.0.1:8080/hook", "json", "private network"),
        ("http://192.168.1.10/hook", "slack", "private network"),
        ("http://[::1]/hook", "json", "private network"),
    ],
)
def test_url_checks(url: str, format: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITRA_ALLOW_PRIVATE_URLS")
    with pytest.raises(CitraError, match=message):
        check_url(url, format)


def test_a_public_address_passes_the_url_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITRA_ALLOW_PRIVATE_URLS")
    assert check_url("https://203.0.114.7/", "telegram") == "https://203.0.114.7"


# --- the command line, end to end -----------------------------------------------------------


def brand24_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A Brand24 export of ``(title, text, url)`` rows published an hour ago (WIB)."""
    local = datetime.now(ZoneInfo("Asia/Jakarta")) - timedelta(hours=1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Id", "Date", "Hour", "Title", "Content", "Url", "Author", "Domain", "Reach"]
        )
        for n, (title, text, url) in enumerate(rows, 1):
            writer.writerow(
                [n, local.strftime("%Y-%m-%d"), local.strftime("%H:%M"), title, text, url,
                 "Redaksi", "kabar.example", 2000]
            )  # fmt: skip
    return path


def test_importing_risk_mentions_sends_one_email_and_again_nothing(tmp_path: Path) -> None:
    pytest.importorskip("aiosmtpd")
    db_path = tmp_path / "citra.db"
    runner = CliRunner()

    def citra(*args: str) -> str:
        result = runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    export = brand24_csv(
        tmp_path / "brand24.csv",
        [
            ("KSP Sejahtera gagal bayar, dana anggota tidak kembali",
             "Anggota KSP Sejahtera mengeluh simpanan tidak bisa dicairkan.",
             "https://kabar.example/ksp-sejahtera-gagal-bayar"),
            ("Ketua KSP Sejahtera dilaporkan ke polisi atas dugaan penipuan",
             "Puluhan anggota melapor.", "https://kabar.example/ksp-sejahtera-dilaporkan"),
            ("KSP Sejahtera buka cabang baru", "Cabang baru di Bandung.",
             "https://kabar.example/cabang-baru"),
        ],
    )  # fmt: skip
    with smtp_sink() as smtp:
        citra("profile", "set", "--name", "KSP Sejahtera")
        added = citra(
            "alerts", "channels", "add", "email", "--to", "humas@kopsera.id",
            "--smtp-host", "127.0.0.1", "--smtp-port", str(smtp.port), "--smtp-tls", "none",
            "--smtp-from", "citra@kopsera.id",
        )  # fmt: skip
        assert "Alert channel #1 added" in added and "password not set" in added
        assert "3 new" in citra("import", str(export))
        assert "0 new" in citra("import", str(export))
        assert "0 alerts fired; 0 messages sent" in citra("alerts", "run")
    [message] = smtp.messages
    body = text_of(message)
    assert "KSP Sejahtera gagal bayar, dana anggota tidak kembali" in body
    assert "Ketua KSP Sejahtera dilaporkan ke polisi atas dugaan penipuan" in body
    assert "https://kabar.example/ksp-sejahtera-gagal-bayar" in body
    assert "buka cabang" not in body
    assert message["Subject"] == "[Citra] 2 peringatan baru untuk KSP Sejahtera"
    listed = json.loads(citra("alerts", "list", "--json"))
    assert [a["rule"] for a in listed] == ["risk", "risk"]
    assert all(a["deliveries"] == {"sent": 1} for a in listed)
    first = listed[-1]["id"]
    assert f"Alert #{first} acknowledged by Dimas" in citra(
        "alerts", "ack", str(first), "--by", "Dimas"
    )
    assert len(json.loads(citra("alerts", "list", "--open", "--json"))) == 1
    db = open_db(db_path)
    assert "password" not in json.dumps(db.execute("SELECT * FROM settings").fetchall())


def test_channels_list_masks_and_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITRA_WEBHOOK_SECRET", "kunci-rahasia-panjang")
    db_path = tmp_path / "citra.db"
    runner = CliRunner()

    def citra(*args: str) -> str:
        result = runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    citra("alerts", "channels", "add", "webhook", "--url",
          "https://hooks.slack.example/services/T0/B0/sangat-rahasia", "--format", "slack")  # fmt: skip
    citra("alerts", "channels", "add", "webhook", "--url", "https://hooks.example/citra",
          "--digest", "--digest-hour", "8")  # fmt: skip
    shown = citra("alerts", "channels", "list")
    assert "sangat-rahasia" not in shown and "https://hooks.slack.example/••••" in shown
    assert "daily digest at 08:00" in shown and "CITRA_WEBHOOK_SECRET: set" in shown
    listed = json.loads(citra("alerts", "channels", "list", "--json"))
    assert [c["format"] for c in listed] == ["slack", "json"] and listed[1]["secret_set"]
    assert "removed" in citra("alerts", "channels", "remove", "1")
    refused = runner.invoke(cli, ["--db", str(db_path), "alerts", "channels", "remove", "1"])
    assert refused.exit_code == 2 and "no alert channel #1" in refused.output
    missing = runner.invoke(
        cli, ["--db", str(db_path), "alerts", "channels", "add", "email", "--to", "a@b.id"]
    )
    assert missing.exit_code == 2 and "--smtp-host" in missing.output
    bad = runner.invoke(
        cli, ["--db", str(db_path), "alerts", "channels", "add", "webhook", "--url",
              "https://api.telegram.org", "--format", "telegram"],
    )  # fmt: skip
    assert bad.exit_code == 2 and "--chat-id" in bad.output
