"""``citra alerts ...``: the alerts fired, acknowledging them, the channels that deliver them, and
``alerts run`` for cron."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

import click

from citra import mail
from citra.alerts import engine
from citra.alerts.channels import read_secret, secret_env, shown_target
from citra.alerts.messages import RULE_NAMES, title
from citra.commands.context import Context, echo_json, pass_context
from citra.errors import CitraError
from citra.i18n import Translator
from citra.queries.alerts import Channel, list_alerts, list_channels, rule_settings
from citra.queries.settings import get_setting
from citra.store.alerts import acknowledge as acknowledge_alert
from citra.store.alerts import add_channel, remove_channel, save_rule_settings

ENGLISH = Translator("en")


def _digest_options(command: click.Command) -> click.Command:
    command = click.option(
        "--digest-hour",
        type=click.IntRange(0, 23),
        default=7,
        show_default=True,
        help="With --digest: the local hour the digest goes out.",
    )(command)
    return click.option(
        "--digest", is_flag=True, help="One message a day with the day's alerts, not one per run."
    )(command)


def _channel_line(channel: Channel) -> str:
    mode = f"daily digest at {channel.digest_hour:02d}:00" if channel.digest else "immediate"
    state = (
        f"FAILING {channel.consecutive_failures}x since {channel.last_failure_at}: "
        f"{channel.last_error}"
        if channel.failing
        else (
            f"ok, last sent {channel.last_success_at}"
            if channel.last_success_at
            else "not used yet"
        )
    )
    env = secret_env(channel)
    secret = f"; secret {env}: {'set' if read_secret(env) else 'not set'}" if env else ""
    chat = f" chat {channel.options['chat_id']}" if channel.options.get("chat_id") else ""
    return (
        f"#{channel.id}\t{channel.format}\t{shown_target(channel)}{chat}\t{mode}\n"
        f"\t{state}; {channel.pending} pending{secret}"
    )


@click.group("alerts")
def alerts_group() -> None:
    """Alerts on risk mentions, negative spikes, high reach, peer crises and failing feeds."""


@alerts_group.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only alerts nobody acknowledged yet.")
@click.option("--limit", default=50, show_default=True, help="How many alerts to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def alerts_list(obj: Context, open_only: bool, limit: int, as_json: bool) -> None:
    """List the latest alerts, newest first, with the mentions they quote."""
    tz = str(get_setting(obj.db, "timezone"))
    found = list_alerts(obj.db, open_only=open_only, limit=limit)
    if as_json:
        echo_json([{**a.as_dict(), "title": title(a, ENGLISH, tz)} for a in found])
        return
    if not found:
        click.echo("No alerts." if not open_only else "No open alerts.")
    for alert in found:
        state = (
            "open"
            if alert.open
            else f"acknowledged by {alert.acknowledged_by} at {alert.acknowledged_at}"
        )
        sent = ", ".join(f"{n} {status}" for status, n in sorted(alert.deliveries.items()))
        click.echo(
            f"#{alert.id}\t{alert.fired_at}\t{RULE_NAMES[alert.rule]}\t{state}"
            f"{f' ({sent})' if sent else ''}\n\t{title(alert, ENGLISH, tz)}"
        )
        for mention in alert.mentions[:3]:
            click.echo(f"\t- {mention.title or '-'} [{mention.source or mention.platform}]")
            if mention.url:
                click.echo(f"\t  {mention.url}")


@alerts_group.command("ack")
@click.argument("alert_ids", metavar="ID...", type=int, nargs=-1, required=True)
@click.option("--by", "by", help="Who acknowledges it (default: your login name).")
@pass_context
def alerts_ack(obj: Context, alert_ids: tuple[int, ...], by: str | None) -> None:
    """Acknowledge alert ID (or several): it leaves the Overview (who and when are kept)."""
    for alert_id in alert_ids:
        alert = acknowledge_alert(obj.db, alert_id, by or getpass.getuser(), datetime.now(UTC))
        click.echo(
            f"Alert #{alert.id} acknowledged by {alert.acknowledged_by} at {alert.acknowledged_at}."
        )


@alerts_group.command("run")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def alerts_run(obj: Context, as_json: bool) -> None:
    """Evaluate the rules and deliver what is due, retrying failed deliveries (run it hourly)."""
    result = engine.run(obj.db)
    if as_json:
        echo_json(result)
        return
    click.echo(
        f"{len(result['fired'])} alerts fired; {len(result['sent'])} messages sent, "
        f"{len(result['failed'])} failed, {result['expired']} deliveries given up."
    )
    for failure in result["failed"]:
        click.echo(f"  channel #{failure['channel']}: {failure['reason']} (will retry)")


@alerts_group.command("rules")
@click.option("--spike-k", type=float, help="Standard deviations above the baseline (default 3).")
@click.option("--spike-min", type=int, help="Fewest negative mentions in 24 h for a spike (5).")
@click.option("--baseline-days", type=int, help="Days of baseline before the last 24 h (28).")
@click.option(
    "--high-reach", type=int, help="Reach from which one negative mention alerts (10000)."
)
@click.option("--peer-risk-min", type=int, help="Risk mentions about a peer in 24 h (3).")
@click.option("--feed-hours", type=float, help="Hours a feed fails before it alerts (24).")
@click.option("--max-age-hours", type=float, help="Older mentions alert nobody (72).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def alerts_rules(
    obj: Context,
    spike_k: float | None,
    spike_min: int | None,
    baseline_days: int | None,
    high_reach: int | None,
    peer_risk_min: int | None,
    feed_hours: float | None,
    max_age_hours: float | None,
    as_json: bool,
) -> None:
    """Show the rules' thresholds, or change those given."""
    settings = rule_settings(obj.db)
    changes = {
        "spike_k": spike_k,
        "spike_minimum": spike_min,
        "baseline_days": baseline_days,
        "high_reach": high_reach,
        "peer_risk_minimum": peer_risk_min,
        "feed_failing_hours": feed_hours,
        "max_age_hours": max_age_hours,
    }
    if any(v is not None for v in changes.values()):
        settings = save_rule_settings(obj.db, settings.changed(**changes))
    data = settings.as_dict()
    if as_json:
        echo_json(data)
        return
    for name, value in data.items():
        click.echo(f"{name}\t{value}")


@alerts_group.group("channels")
def channels_group() -> None:
    """Where alerts go: e-mail, Telegram, Slack or a JSON webhook."""


@channels_group.group("add")
def channels_add() -> None:
    """Add an e-mail or webhook (JSON, Telegram, Slack) channel."""


@channels_add.command("email")
@click.option("--to", "to", required=True, help="Address(es), comma-separated.")
@click.option("--smtp-host", help="SMTP server (stored once for alerts and reports).")
@click.option("--smtp-port", type=int, help="SMTP port (default: 587, 465 with ssl, 25 with none).")
@click.option("--smtp-user", help="SMTP login; the password comes from $CITRA_SMTP_PASSWORD.")
@click.option(
    "--smtp-tls", type=click.Choice(mail.TLS_MODES), help="starttls (default), ssl, none."
)
@click.option("--smtp-from", help="Sender address (default: the SMTP login).")
@click.option(
    "--password-env", help="Environment variable with this channel's SMTP password instead."
)
@_digest_options
@pass_context
def channels_add_email(
    obj: Context,
    to: str,
    smtp_host: str | None,
    smtp_port: int | None,
    smtp_user: str | None,
    smtp_tls: str | None,
    smtp_from: str | None,
    password_env: str | None,
    digest: bool,
    digest_hour: int,
) -> None:
    """Send alerts by e-mail (plain text and HTML) to --to."""
    stored = mail.load_settings(obj.db)
    given = (smtp_host, smtp_port, smtp_user, smtp_tls, smtp_from)
    if stored is None and not smtp_host:
        raise CitraError("E-mail is not set up yet: give the SMTP server with --smtp-host.")
    if any(v is not None for v in given):
        base = stored or mail.SmtpSettings(host=str(smtp_host))
        settings = mail.SmtpSettings(
            host=smtp_host or base.host,
            port=smtp_port if smtp_port is not None else base.port,
            user=smtp_user if smtp_user is not None else base.user,
            tls=smtp_tls or base.tls,
            sender=smtp_from if smtp_from is not None else base.sender,
        )
        if not (settings.sender or settings.user):
            raise CitraError(
                "The SMTP settings need a sender address (--smtp-from) or a login (--smtp-user)."
            )
        mail.save_settings(obj.db, settings)
    channel = add_channel(
        obj.db,
        "email",
        to,
        options={"secret_env": password_env},
        digest=digest,
        digest_hour=digest_hour,
    )
    smtp = mail.load_settings(obj.db)
    assert smtp is not None
    shown = mail.describe(smtp)
    click.echo(f"Alert channel #{channel.id} added: e-mail to {channel.target}.")
    click.echo(
        f"SMTP {shown['host']}:{smtp.effective_port} ({shown['tls']}), user {shown['user'] or '-'}, "
        f"password {shown['password']}. Check it with: citra alerts channels test {channel.id}"
    )


@channels_add.command("webhook")
@click.option("--url", required=True, help="The webhook URL (Telegram: https://api.telegram.org).")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(("json", "telegram", "slack")),
    default="json",
    show_default=True,
    help="json: Citra's schema; telegram: Bot API sendMessage; slack: incoming webhook.",
)
@click.option("--chat-id", help="Telegram: the chat, group or channel id to send to.")
@click.option(
    "--secret-env",
    help="Environment variable with the secret (default CITRA_TELEGRAM_BOT_TOKEN for Telegram, "
    "CITRA_WEBHOOK_SECRET for the HMAC signature of json).",
)
@_digest_options
@pass_context
def channels_add_webhook(
    obj: Context,
    url: str,
    format_name: str,
    chat_id: str | None,
    secret_env: str | None,
    digest: bool,
    digest_hour: int,
) -> None:
    """Send alerts to a webhook: Citra's JSON, a Telegram bot, or a Slack incoming webhook."""
    channel = add_channel(
        obj.db,
        "webhook",
        url,
        format=format_name,
        options={"chat_id": chat_id, "secret_env": secret_env},
        digest=digest,
        digest_hour=digest_hour,
    )
    click.echo(f"Alert channel #{channel.id} added: {channel.format} to {shown_target(channel)}.")
    click.echo(_channel_line(channel))
    click.echo(f"Check it with: citra alerts channels test {channel.id}")


@channels_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def channels_list(obj: Context, as_json: bool) -> None:
    """List the channels with their state (failing, pending deliveries); secrets masked."""
    found = list_channels(obj.db)
    if as_json:
        echo_json(
            [
                {
                    "id": c.id,
                    "kind": c.kind,
                    "format": c.format,
                    "target": shown_target(c),
                    "chat_id": c.options.get("chat_id"),
                    "secret_env": secret_env(c),
                    "secret_set": bool(read_secret(secret_env(c))),
                    "digest": c.digest,
                    "digest_hour": c.digest_hour,
                    "last_success_at": c.last_success_at,
                    "last_failure_at": c.last_failure_at,
                    "last_error": c.last_error,
                    "consecutive_failures": c.consecutive_failures,
                    "pending": c.pending,
                }
                for c in found
            ]
        )
        return
    if not found:
        click.echo("No alert channels yet. Add one with: citra alerts channels add email --to ADDR")
    for channel in found:
        click.echo(_channel_line(channel))


@channels_group.command("remove")
@click.argument("channel_id", type=int)
@pass_context
def channels_remove(obj: Context, channel_id: int) -> None:
    """Remove channel CHANNEL_ID (its pending deliveries go with it)."""
    channel = remove_channel(obj.db, channel_id)
    click.echo(f"Alert channel #{channel.id} removed ({channel.format}, {shown_target(channel)}).")


@channels_group.command("test")
@click.argument("channel_id", type=int, required=False)
@pass_context
def channels_test(obj: Context, channel_id: int | None) -> None:
    """Send a test message through channel CHANNEL_ID now (every channel when omitted); exit 2
    with the reason when one fails."""
    ids = [channel_id] if channel_id is not None else [c.id for c in list_channels(obj.db)]
    if not ids:
        raise CitraError("There are no alert channels to test.")
    failed: list[str] = []
    for each in ids:
        try:
            engine.test_channel(obj.db, each)
        except CitraError as error:
            click.echo(f"FAILED  channel #{each}: {error}")
            failed.append(str(each))
        else:
            click.echo(f"sent    channel #{each}: test message delivered.")
    if failed:
        raise CitraError("The test failed for channels {ids}.", ids=", ".join(failed))
