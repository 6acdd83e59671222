"""Sending a :class:`~citra.alerts.messages.Message` to a channel: one small function per kind.

- e-mail: through ``citra.mail`` (the one SMTP set-up; STARTTLS, SSL or none, with login);
- Telegram: the Bot API's ``sendMessage`` at ``{url}/bot{token}/sendMessage``;
- Slack: an incoming webhook (``{"text": ...}``);
- JSON webhook: the documented schema (``docs/alerts.md``), signed with HMAC-SHA256 when the
  channel has a secret.

Secrets never live in the database: a channel names the environment variable that holds its
secret (``options.secret_env``, defaults in :data:`DEFAULT_SECRET_ENV`), read from ``$NAME`` or
from the file named by ``$NAME_FILE``; they are shown back only masked. Every failure raises
:class:`citra.errors.CitraError` with the reason (the secret scrubbed from it).

URLs are checked by :func:`check_url`: http(s) only, no secret in a Telegram URL, and no address
on this machine or a private network unless ``CITRA_ALLOW_PRIVATE_URLS=1`` (a webhook on your
own network, or tests). Every request goes through :func:`citra.net.client`, which checks the
address again when it connects (after resolution; no redirects are followed).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from citra import mail, net
from citra.alerts.messages import Message
from citra.errors import CitraError
from citra.queries.alerts import Channel

TIMEOUT_SECONDS = 10.0
USER_AGENT = "Citra-Alerts/1 (reputation monitor for Indonesian cooperatives)"
TELEGRAM_API = "https://api.telegram.org"
TELEGRAM_LIMIT = 4096
# The e-mail channel's password is the shared SMTP set-up's (``citra.mail.password``) unless the
# channel names a variable of its own.
DEFAULT_SECRET_ENV = {
    "telegram": "CITRA_TELEGRAM_BOT_TOKEN",
    "json": "CITRA_WEBHOOK_SECRET",
}
ALLOW_PRIVATE_ENV = net.ALLOW_PRIVATE_ENV
_TELEGRAM_TOKEN = re.compile(r"/bot\d+:[\w-]+")


# --- secrets ---------------------------------------------------------------------------------


def secret_env(channel: Channel) -> str | None:
    """The environment variable holding the channel's secret (``None``: it has none)."""
    return channel.options.get("secret_env") or DEFAULT_SECRET_ENV.get(channel.format)


def read_secret(name: str | None) -> str | None:
    """``$name``, else the contents of the file ``$name_FILE`` (trimmed); ``None`` when neither
    is set. Raises :class:`CitraError` when the file cannot be read."""
    if not name:
        return None
    if value := os.environ.get(name):
        return value
    if file := os.environ.get(f"{name}_FILE"):
        try:
            return Path(file).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise CitraError(
                "The secret file {file} ({name}_FILE) cannot be read: {reason}.",
                file=file,
                name=name,
                reason=exc.strerror or str(exc),
            ) from exc
    return None


def secret_is_set(channel: Channel) -> bool | None:
    """Whether the channel's secret is set (``None``: the channel has no secret)."""
    name = secret_env(channel)
    if not name:
        return None
    try:
        return bool(read_secret(name))
    except CitraError:
        return False


def mask(value: str | None) -> str:
    """A secret as it may be shown: its last four characters (``••••a1b2``); short ones hidden."""
    if not value:
        return ""
    return "••••" + (value[-4:] if len(value) >= 12 else "")


def shown_target(channel: Channel) -> str:
    """The channel's addresses, or its URL with the path masked (a Slack or webhook URL is
    itself a secret): ``https://hooks.slack.com/••••x9Qz``."""
    if channel.kind == "email":
        return channel.target
    parts = urlsplit(channel.target)
    path = parts.path.strip("/")
    return f"{parts.scheme}://{parts.netloc}/{mask(path)}" if path else channel.target


# --- URLs ------------------------------------------------------------------------------------


def _private(host: str) -> bool:
    literal = net.literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = net.resolve(host, 443)
        except (OSError, UnicodeError):
            return False  # not resolvable now: the delivery will say so
    return not all(net.is_allowed(address) for address in addresses)


def check_url(url: str, format: str) -> str:
    """``url`` checked for a webhook of ``format``; returns it (a Telegram URL without its
    trailing slash). Raises :class:`CitraError` for a non-web address, a bot token in a Telegram
    URL, or a private or local address (unless ``CITRA_ALLOW_PRIVATE_URLS=1``)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in net.SCHEMES or not parts.hostname:
        raise CitraError(
            "'{url}' is not a web address; a webhook URL starts with https://.", url=url
        )
    if format == "telegram":
        if _TELEGRAM_TOKEN.search(parts.path):
            raise CitraError(
                "The URL holds the bot token. Give the Bot API address alone ({api}) and put the "
                "token in CITRA_TELEGRAM_BOT_TOKEN (or a file named by "
                "CITRA_TELEGRAM_BOT_TOKEN_FILE).",
                api=TELEGRAM_API,
            )
        url = url.rstrip("/")
    if _private(parts.hostname):
        raise CitraError(
            "{host} is on this machine or a private network; set CITRA_ALLOW_PRIVATE_URLS=1 to "
            "send alerts there.",
            host=parts.hostname,
        )
    return url


# --- sending ---------------------------------------------------------------------------------


def _post(
    channel: Channel,
    url: str,
    *,
    content: bytes,
    headers: dict[str, str],
    secret: str | None = None,
) -> httpx.Response:
    check_url(channel.target, channel.format)
    try:
        with net.client(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
            return client.post(
                url,
                content=content,
                headers={"User-Agent": USER_AGENT, "Content-Type": "application/json", **headers},
            )
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        # The guard's refusal and a closed port read the same (no mapping of internal ports).
        raise CitraError(
            "{target} could not be reached: {reason}.",
            target=shown_target(channel),
            reason=CitraError(net.UNREACHABLE),
        ) from exc
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        if secret:
            reason = reason.replace(secret, "••••")
        raise CitraError(
            "{target} could not be reached: {reason}.",
            target=shown_target(channel),
            reason=reason,
        ) from exc


def _refused(channel: Channel, response: httpx.Response, secret: str | None = None) -> CitraError:
    body = " ".join(response.text.split())[:200]
    if secret:
        body = body.replace(secret, "••••")
    return CitraError(
        "{target} refused the message: HTTP {status} {body}",
        target=shown_target(channel),
        status=response.status_code,
        body=body,
    )


def send_email(
    channel: Channel, message: Message, *, smtp: mail.SmtpSettings | None, **_: object
) -> None:
    """Send ``message`` as a plain-text e-mail with an HTML alternative to the channel's
    addresses."""
    if smtp is None:
        raise CitraError(
            "E-mail is not set up: give the SMTP server with "
            "`citra alerts channels add email --smtp-host ...`."
        )
    to = [address.strip() for address in channel.target.split(",") if address.strip()]
    email = mail.build_message(smtp, to, message.subject, message.text, html=message.html)
    mail.send(smtp, email, secret=read_secret(channel.options.get("secret_env")))


def send_telegram(channel: Channel, message: Message, **_: object) -> None:
    """Send ``message``'s text through a Telegram bot (``sendMessage``) to the channel's chat."""
    token = read_secret(secret_env(channel))
    if not token:
        raise CitraError(
            "The Telegram bot token is missing: set {name} (or {name}_FILE).",
            name=secret_env(channel),
        )
    text = message.text
    if len(text) > TELEGRAM_LIMIT:
        text = text[: TELEGRAM_LIMIT - 1] + "…"
    body = {
        "chat_id": channel.options.get("chat_id"),
        "text": text,
        "disable_web_page_preview": True,
    }
    response = _post(
        channel,
        f"{channel.target}/bot{token}/sendMessage",
        content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={},
        secret=token,
    )
    try:
        ok = response.json().get("ok") is True
    except ValueError:
        ok = False
    if response.status_code != 200 or not ok:
        raise _refused(channel, response, token)


def send_slack(channel: Channel, message: Message, **_: object) -> None:
    """Post ``message``'s text to a Slack incoming webhook."""
    body = {"text": message.text, "unfurl_links": False, "unfurl_media": False}
    response = _post(
        channel,
        channel.target,
        content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={},
    )
    if not 200 <= response.status_code < 300:
        raise _refused(channel, response)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Citra-Signature`` header: ``sha256=`` and the hex HMAC-SHA256 of
    ``timestamp + "." + body`` under ``secret``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def send_webhook(channel: Channel, message: Message, *, delivery: str = "", **_: object) -> None:
    """POST ``message``'s JSON payload; signed when the channel's secret is set."""
    body = json.dumps(message.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {
        "X-Citra-Event": str(message.payload.get("event", "alert")),
        "X-Citra-Delivery": delivery,
    }
    secret = read_secret(secret_env(channel))
    if secret:
        stamp = str(int(time.time()))
        headers["X-Citra-Timestamp"] = stamp
        headers["X-Citra-Signature"] = signature(secret, stamp, body)
    response = _post(channel, channel.target, content=body, headers=headers)
    if not 200 <= response.status_code < 300:
        raise _refused(channel, response)


SENDERS: dict[str, Callable[..., None]] = {
    "email": send_email,
    "telegram": send_telegram,
    "slack": send_slack,
    "json": send_webhook,
}


def send(
    channel: Channel,
    message: Message,
    *,
    smtp: mail.SmtpSettings | None = None,
    delivery: str = "",
) -> None:
    """Send ``message`` through ``channel``; raises :class:`CitraError` with the reason."""
    SENDERS[channel.format](channel, message, smtp=smtp, delivery=delivery)
