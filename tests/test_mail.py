"""The shared SMTP set-up: settings, password source, message building, plain failures."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlite_utils import Database

from citra import mail
from citra.errors import CitraError


def test_settings_round_trip_without_the_password(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITRA_SMTP_PASSWORD", "rahasia")
    settings = mail.SmtpSettings(host="smtp.kopsera.id", user="humas@kopsera.id", tls="ssl")
    mail.save_settings(db, settings)
    assert mail.load_settings(db) == settings
    assert "rahasia" not in db.execute("SELECT value FROM settings").fetchone()[0]
    assert mail.describe(settings)["password"] == "set"
    assert settings.effective_port == 465


def test_password_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITRA_SMTP_PASSWORD", raising=False)
    secret = tmp_path / "smtp.secret"
    secret.write_text("dari-berkas\n", encoding="utf-8")
    monkeypatch.setenv("CITRA_SMTP_PASSWORD_FILE", str(secret))
    assert mail.password() == "dari-berkas"
    monkeypatch.setenv("CITRA_SMTP_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(CitraError, match="cannot be read"):
        mail.password()


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"host": " "}, "host name"), ({"host": "h", "tls": "tls"}, "TLS mode")]
)
def test_bad_settings_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(CitraError, match=message):
        mail.SmtpSettings(**kwargs)


def test_message_has_text_html_and_attachment(tmp_path: Path) -> None:
    report = tmp_path / "laporan-2026-11.csv"
    report.write_text("a,b\n1,2\n", encoding="utf-8")
    settings = mail.SmtpSettings(host="localhost", sender="citra@kopsera.id", tls="none")
    message = mail.build_message(
        settings, ["ketua@kopsera.id"], "Laporan", "Isi", html="<p>Isi</p>", attachments=[report]
    )
    assert message["From"] == "citra@kopsera.id" and message["To"] == "ketua@kopsera.id"
    parts = [part.get_content_type() for part in message.walk()]
    assert {"text/plain", "text/html", "text/csv"} <= set(parts)


def test_an_unreachable_server_is_a_plain_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = mail.SmtpSettings(host="127.0.0.1", port=port, tls="none", sender="a@b.id")
    message = mail.build_message(settings, ["c@d.id"], "s", "t")
    with pytest.raises(CitraError, match="could not be sent through 127.0.0.1"):
        mail.send(settings, message)
