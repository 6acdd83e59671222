"""Sending e-mail: the one SMTP set-up that alerts and the monthly report share.

The settings (host, port, user, TLS mode, sender) are stored under the ``smtp`` setting; the
password never is: it comes from ``$CITRA_SMTP_PASSWORD``, else from the file named by
``$CITRA_SMTP_PASSWORD_FILE`` (kept outside the database, like the phone-hash salt). Messages
are built with the standard library's :mod:`email` (plain text plus an optional HTML part and
attachments) and sent with :mod:`smtplib` (STARTTLS, SSL or none). Every failure is a
:class:`citra.errors.CitraError` saying what went wrong in plain words.
"""

from __future__ import annotations

import mimetypes
import os
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from citra.access import ADMIN, requires
from citra.errors import CitraError
from citra.queries.settings import get_setting
from citra.store.settings import set_setting

SETTING = "smtp"
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: ``tls`` is one of :data:`TLS_MODES`; ``port`` 0 means the mode's
    usual port. ``sender`` is the From address (default: ``user``)."""

    host: str
    port: int = 0
    user: str | None = None
    tls: str = "starttls"
    sender: str | None = None

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise CitraError("The SMTP server needs a host name.")
        if self.tls not in TLS_MODES:
            raise CitraError(
                "Unknown TLS mode '{mode}'; choose one of {modes}.",
                mode=self.tls,
                modes=", ".join(TLS_MODES),
            )

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.tls]

    @property
    def from_address(self) -> str:
        address = self.sender or self.user
        if not address:
            raise CitraError("The SMTP settings need a sender address (or a user name).")
        return address


@requires(ADMIN)
def save_settings(db: Database, settings: SmtpSettings) -> None:
    """Store the SMTP settings (never the password)."""
    set_setting(db, SETTING, asdict(settings))


def load_settings(db: Database) -> SmtpSettings | None:
    """The stored SMTP settings, or ``None`` when e-mail is not set up."""
    stored = get_setting(db, SETTING)
    return SmtpSettings(**stored) if stored else None


def password() -> str | None:
    """The SMTP password from the environment or the password file; ``None`` when neither."""
    if value := os.environ.get("CITRA_SMTP_PASSWORD"):
        return value
    if file := os.environ.get("CITRA_SMTP_PASSWORD_FILE"):
        try:
            return Path(file).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise CitraError(
                "The SMTP password file {file} cannot be read: {reason}.",
                file=file,
                reason=exc.strerror or str(exc),
            ) from exc
    return None


def build_message(
    settings: SmtpSettings,
    to: Sequence[str],
    subject: str,
    text: str,
    *,
    html: str | None = None,
    attachments: Sequence[Path] = (),
) -> EmailMessage:
    """A ready-to-send message: plain text, an HTML alternative when given, files attached."""
    message = EmailMessage()
    message["From"] = settings.from_address
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.host)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for path in attachments:
        kind, _ = mimetypes.guess_type(path.name)
        main, sub = (kind or "application/octet-stream").split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return message


def send(settings: SmtpSettings, message: EmailMessage, *, secret: str | None = None) -> None:
    """Send ``message``; logs in when the settings name a user (``secret`` defaults to
    :func:`password`). Raises :class:`CitraError` with the reason on any failure."""
    secret = secret if secret is not None else password()
    host, port = settings.host, settings.effective_port
    try:
        if settings.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                if not secret:
                    raise CitraError(
                        "The SMTP server needs a password: set CITRA_SMTP_PASSWORD or "
                        "CITRA_SMTP_PASSWORD_FILE."
                    )
                client.login(settings.user, secret)
            client.send_message(message)
    except CitraError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise CitraError(
            "The SMTP server {host} refused the login for {user}.", host=host, user=settings.user
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise CitraError(
            "The SMTP server {host} refused the recipients {to}.",
            host=host,
            to=", ".join(exc.recipients),
        ) from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise CitraError(
            "The e-mail could not be sent through {host}:{port}: {reason}.",
            host=host,
            port=port,
            reason=str(exc) or type(exc).__name__,
        ) from exc


def describe(settings: SmtpSettings) -> dict[str, Any]:
    """The settings as shown to a person: everything but the password, which is only said to
    be set or not."""
    return asdict(settings) | {"password": "set" if password() else "not set"}
