"""``citra report`` through click's CliRunner: files, clear errors, e-mail delivery."""

from __future__ import annotations

import socket
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from citra import mail, pipeline, store
from citra.cli import cli
from citra.filters import add_months, local_today


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    db = store.open_db(path)
    pipeline.seed_demo(db, today=date(2026, 12, 1))
    db.close()
    return path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "report", *args])


def test_last_month_into_a_folder_gets_the_default_name(demo_path: Path, tmp_path: Path) -> None:
    result = run(demo_path, "--last-month", "--format", "pdf", "--out", f"{tmp_path}/")
    assert result.exit_code == 0, result.output
    month = add_months(local_today(), -1).isoformat()[:7]
    written = tmp_path / f"laporan-{month}.pdf"
    assert f"Report written: {written}" in result.output
    assert PdfReader(written).pages


def test_english_xlsx_for_a_peer(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "peer.xlsx"
    result = run(demo_path, "--month", "2026-07", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    result = run(
        demo_path, "--month", "2026-07", "--format", "xlsx", "--out", str(out), "--org", "2",
        "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    import openpyxl

    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Summary"
    assert book["Summary"]["A2"].value == "KSP Bina Usaha Mandiri"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "2026-13"), "'2026-13' is not a month: write it as YYYY-MM"),
        (("--month", "juli"), "is not a month"),
        (("--month", "2099-01"), "2099-01 has not begun yet."),
        (("--month", "2026-07", "--last-month"), "either --month or --last-month"),
        ((), "Say which month"),
        (("--month", "2026-07", "--org", "99"), "No organisation with id 99."),
    ],
)
def test_an_unknown_month_or_organisation_is_a_clear_error(
    demo_path: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(demo_path, *args, "--format", "csv", "--out", str(tmp_path / "r.csv"))
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "r.csv").exists()


def test_a_bad_format_or_folder_is_refused(demo_path: Path, tmp_path: Path) -> None:
    result = run(demo_path, "--month", "2026-07", "--format", "docx", "--out", str(tmp_path))
    assert result.exit_code == 2 and "docx" in result.output
    missing = tmp_path / "nowhere" / "r.pdf"
    result = run(demo_path, "--month", "2026-07", "--format", "pdf", "--out", str(missing))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_email_without_smtp_settings_fails_but_writes_the_file(
    demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.csv"
    result = run(
        demo_path, "--month", "2026-07", "--format", "csv", "--out", str(out), "--email",
        "ketua@kopsera.id",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "E-mail is not set up" in result.output
    assert out.exists() and (tmp_path / "r-daily.csv").exists()


def test_a_failed_send_exits_non_zero_with_the_reason(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "demo.db"
    db_path.write_bytes(demo_path.read_bytes())
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = store.open_db(db_path)
    mail.save_settings(
        db, mail.SmtpSettings(host="127.0.0.1", port=port, tls="none", sender="c@k.id")
    )
    db.close()
    out = tmp_path / "r.pdf"
    result = run(
        db_path, "--month", "2026-07", "--format", "pdf", "--out", str(out), "--email", "a@k.id"
    )
    assert result.exit_code == 2
    assert "could not be sent through 127.0.0.1" in result.output
    assert out.exists()


def test_email_sends_the_file_with_the_summary(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "demo.db"
    db_path.write_bytes(demo_path.read_bytes())
    db = store.open_db(db_path)
    mail.save_settings(db, mail.SmtpSettings(host="smtp.kopsera.id", tls="none", sender="c@k.id"))
    db.close()
    sent: list[EmailMessage] = []
    monkeypatch.setattr(mail, "send", lambda settings, message, **_: sent.append(message))
    result = run(
        db_path, "--month", "2026-07", "--format", "xlsx", "--out", str(tmp_path), "--email",
        "ketua@kopsera.id, pengawas@kopsera.id",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Report sent to ketua@kopsera.id, pengawas@kopsera.id." in result.output
    (message,) = sent
    assert message["Subject"] == "Laporan reputasi Juli 2026: KSP Tunas Makmur"
    assert message["To"] == "ketua@kopsera.id, pengawas@kopsera.id"
    assert "Indeks reputasi KSP Tunas Makmur pada Juli 2026" in message.get_body().get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "laporan-2026-07.xlsx"


def test_a_bad_address_is_refused_before_anything_is_written(
    demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    result = run(
        demo_path, "--month", "2026-07", "--format", "pdf", "--out", str(out), "--email", "ketua"
    )
    assert result.exit_code == 2 and "Not an e-mail address: ketua." in result.output
    assert not out.exists()
