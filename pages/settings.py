"""Settings (Pengaturan): profile, keywords, peers, language, timezone, alert channels and rules,
custom sentiment words, re-scoring, learning from corrections, demo data."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from citra import access, mail, pipeline, ui
from citra.alerts.channels import secret_env, secret_is_set, shown_target
from citra.alerts.engine import test_channel
from citra.errors import CitraError
from citra.formatting import format_datetime, format_number, format_points, platform_name
from citra.i18n import LANGUAGES
from citra.queries.alerts import list_channels, rule_settings
from citra.queries.demo import has_demo_data
from citra.queries.organisations import list_organisations
from citra.queries.risk import (
    not_risk_phrases,
    not_risk_suggestions,
    risk_phrase_suggestions,
    risk_phrases,
)
from citra.queries.sentiment import active_model_info, export_labels, list_custom_words
from citra.queries.settings import get_setting
from citra.search_terms import SETTING as SYNONYMS_SETTING
from citra.search_terms import parse_group
from citra.sentiment import NotEnoughLabels, learn_from_corrections
from citra.sentiment.display import labels_csv
from citra.sentiment.rescore import pending_count
from citra.sentiment.risk import CATEGORY_NAMES
from citra.store.alerts import add_channel, remove_channel, save_rule_settings
from citra.store.risk import set_not_risk_phrases, set_risk_phrases
from citra.store.sentiment import add_custom_word, remove_custom_word
from citra.store.settings import set_setting
from pages import settings_access

TIMEZONES = {
    "Asia/Jakarta": "WIB (Asia/Jakarta)",
    "Asia/Makassar": "WITA (Asia/Makassar)",
    "Asia/Jayapura": "WIT (Asia/Jayapura)",
}
ACCOUNTS = ("email", "x", "facebook", "instagram", "tiktok", "youtube", "whatsapp")
# What a person picks on the form -> (channel kind, format).
CHANNEL_CHOICES = {
    "E-mail": ("email", "email"),
    "Telegram": ("webhook", "telegram"),
    "Slack": ("webhook", "slack"),
    "Webhook (JSON)": ("webhook", "json"),
}
CHANNEL_NAMES = {format_name: name for name, (_, format_name) in CHANNEL_CHOICES.items()}

_ = ui.t
lang = ui.lang()
ui.require_role(access.ADMIN)
coop = ui.coop_or_stop()


def split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def rematch_progress() -> Callable[[int, int], None]:
    """A progress bar for matching stored mentions again after a profile or peer change."""
    bar = st.progress(0.0, text=_("Matching stored mentions again..."))

    def advance(done: int, total: int) -> None:
        bar.progress(
            done / max(total, 1),
            text=_("Matching stored mentions again... {done} of {total}", done=done, total=total),
        )

    return advance


def saved(message: str) -> None:
    ui.clear_caches()
    st.toast(message)


st.title(_("Settings"))

st.subheader(_("Profile and keywords"))
with st.form("settings_profile"):
    name = st.text_input(_("Coop name"), value=coop.name)
    keywords = st.text_input(
        _("Keywords and aliases (comma-separated)"), value=", ".join(coop.keywords)
    )
    exclude = st.text_input(
        _("Excluded words (comma-separated)"),
        value=", ".join(coop.exclude_keywords),
        help=_("A mention containing one of these is not about the coop (e.g. 'Sejahtera Motor')."),
    )
    website = st.text_input(_("Website"), value=coop.website or "")
    columns = st.columns(2)
    accounts = {
        platform: columns[i % 2].text_input(
            platform_name(platform, ui.lang()), value=coop.accounts.get(platform, "")
        )
        for i, platform in enumerate(ACCOUNTS)
    }
    if st.form_submit_button(_("Save profile"), type="primary"):
        if not name.strip():
            st.error(_("The coop needs a name."))
        else:
            with ui.writer() as db:
                pipeline.save_profile(
                    db,
                    progress=rematch_progress(),
                    name=name,
                    keywords=split(keywords),
                    exclude_keywords=split(exclude),
                    website=website,
                    accounts=accounts,
                )
            saved(_("Profile saved."))
            st.rerun()


st.subheader(_("Peers"))
peers = ui.cached(list_organisations, "peer")
for peer in peers:
    left, right = st.columns([5, 1])
    left.markdown(f"**{ui.plain(peer.name)}** · {ui.plain(', '.join(peer.keywords)) or '–'}")
    if right.button(_("Remove"), key=f"remove_peer_{peer.id}"):
        with ui.writer() as db:
            pipeline.delete_peer(db, peer.id, progress=rematch_progress())
        saved(_("Peer removed."))
        st.rerun()
with st.form("settings_add_peer", clear_on_submit=True):
    peer_name = st.text_input(_("Peer name"))
    peer_keywords = st.text_input(_("Its keywords (comma-separated)"))
    if st.form_submit_button(_("Add peer")) and peer_name.strip():
        try:
            with ui.writer() as db:
                pipeline.save_peer(
                    db, peer_name, keywords=split(peer_keywords), progress=rematch_progress()
                )
        except CitraError as error:
            ui.show_error(error)
        else:
            saved(_("Peer saved."))
            st.rerun()

st.subheader(_("Search synonyms"))
st.caption(
    _(
        "Words that mean the same thing to your members, one group per line, separated by |: "
        "a search for one finds all (e.g. shu | sisa hasil usaha). Citra already knows common "
        "ones such as lambat | telat | tunda | belum dibagi."
    )
)
with st.form("settings_synonyms"):
    stored_synonyms = ui.cached(get_setting, SYNONYMS_SETTING) or []
    synonyms_text = st.text_area(
        _("Synonym groups"), value="\n".join(stored_synonyms), placeholder="shu | sisa hasil usaha"
    )
    if st.form_submit_button(_("Save synonyms")):
        lines = [" | ".join(parse_group(line)) for line in synonyms_text.splitlines()]
        with ui.writer() as db:
            set_setting(db, SYNONYMS_SETTING, [line for line in lines if "|" in line])
        saved(_("Synonyms saved."))
        st.rerun()

st.subheader(_("Language and timezone"))
with st.form("settings_locale"):
    stored_lang = ui.cached(get_setting, "language")
    language = st.selectbox(
        _("Default language"),
        list(LANGUAGES),
        index=list(LANGUAGES).index(stored_lang) if stored_lang in LANGUAGES else 0,
        format_func=LANGUAGES.__getitem__,
        placeholder=_("Choose an option"),
    )
    stored_tz = ui.timezone()
    timezone = st.selectbox(
        _("Timezone for dates and times"),
        list(TIMEZONES),
        index=list(TIMEZONES).index(stored_tz) if stored_tz in TIMEZONES else 0,
        format_func=TIMEZONES.__getitem__,
        help=_("Daily charts always count days in WIB (Asia/Jakarta)."),
        placeholder=_("Choose an option"),
    )
    if st.form_submit_button(_("Save")):
        with ui.writer() as db:
            set_setting(db, "language", language)
            set_setting(db, "timezone", timezone)
        saved(_("Settings saved."))

st.subheader(_("Alerts"))
st.caption(
    _(
        "Where alerts on risk mentions, negative spikes, high reach, peer crises and failing "
        "feeds are sent. Secrets (SMTP password, bot token, signing key) stay in the server's "
        "environment, never in the database."
    )
)
tz = ui.timezone()
for channel in ui.cached(list_channels):
    left, test, remove = st.columns([5, 1, 1])
    mode = (
        _("daily digest at {hour}:00", hour=f"{channel.digest_hour:02d}")
        if channel.digest
        else _("immediately")
    )
    chat = f" · chat {channel.options['chat_id']}" if channel.options.get("chat_id") else ""
    left.markdown(f"**{CHANNEL_NAMES[channel.format]}** · `{shown_target(channel)}`{chat} · {mode}")
    secret = secret_is_set(channel)
    if secret is not None:
        left.caption(
            _("Secret {name}: set", name=secret_env(channel))
            if secret
            else _("Secret {name}: not set", name=secret_env(channel))
        )
    if channel.failing:
        left.warning(
            _(
                "Failing {count} times in a row since {when}; {pending} alerts wait. Last error: "
                "{error}",
                count=format_number(channel.consecutive_failures, lang),
                when=format_datetime(channel.last_failure_at, lang, tz),
                error=channel.last_error or "–",
                pending=format_number(channel.pending, lang),
            ),
            icon=":material/error:",
        )
    elif channel.last_success_at:
        left.caption(
            _("Last sent {when}.", when=format_datetime(channel.last_success_at, lang, tz))
        )
    if test.button(_("Test"), key=f"alerts_test_{channel.id}"):
        try:
            with ui.writer() as db:
                test_channel(db, channel.id)
        except CitraError as error:
            ui.remember_message(error.describe(lang), "info")
        else:
            ui.remember_message(_("Test message sent."))
        st.rerun()
    if remove.button(_("Remove"), key=f"alerts_remove_{channel.id}"):
        with ui.writer() as db:
            remove_channel(db, channel.id)
        saved(_("Channel removed."))
        st.rerun()

with st.form("settings_add_channel", clear_on_submit=True):
    choice = st.selectbox(
        _("Channel"), list(CHANNEL_CHOICES), key="alerts_kind", placeholder=_("Choose an option")
    )
    target = st.text_input(
        _("Addresses (e-mail) or URL (Telegram: https://api.telegram.org)"), key="alerts_target"
    )
    chat_id = st.text_input(_("Telegram chat id"), key="alerts_chat")
    digest_columns = st.columns(2)
    digest = digest_columns[0].checkbox(
        _("Daily digest instead of each alert"), key="alerts_digest"
    )
    digest_hour = digest_columns[1].number_input(
        _("Digest hour"), min_value=0, max_value=23, value=7, key="alerts_digest_hour"
    )
    if st.form_submit_button(_("Add channel")):
        kind, format_name = CHANNEL_CHOICES[choice]
        try:
            with ui.writer() as db:
                add_channel(
                    db,
                    kind,
                    target,
                    format=format_name,
                    options={"chat_id": chat_id},
                    digest=digest,
                    digest_hour=int(digest_hour),
                )
        except CitraError as error:
            st.error(error.describe(lang))
        else:
            saved(_("Channel added."))
            st.rerun()

smtp = ui.cached(mail.load_settings)
with st.form("settings_smtp"):
    st.markdown(f"**{_('E-mail server (SMTP)')}**")
    host_column, port_column = st.columns([3, 1])
    host = host_column.text_input(_("Host"), value=smtp.host if smtp else "", key="smtp_host")
    port = port_column.number_input(
        _("Port (0: usual)"), 0, 65535, value=smtp.port if smtp else 0, key="smtp_port"
    )
    user_column, tls_column = st.columns([3, 1])
    user = user_column.text_input(
        _("Login"), value=(smtp.user or "") if smtp else "", key="smtp_user"
    )
    tls_mode = tls_column.selectbox(
        "TLS",
        mail.TLS_MODES,
        index=mail.TLS_MODES.index(smtp.tls) if smtp else 0,
        key="smtp_tls",
        placeholder=_("Choose an option"),
    )
    sender = st.text_input(
        _("Sender address"), value=(smtp.sender or "") if smtp else "", key="smtp_sender"
    )
    st.caption(
        _("Password: set in the environment.")
        if mail.password()
        else _("Password: not set (CITRA_SMTP_PASSWORD or CITRA_SMTP_PASSWORD_FILE).")
    )
    if st.form_submit_button(_("Save e-mail server")):
        try:
            settings = mail.SmtpSettings(
                host=host, port=int(port), user=user or None, tls=tls_mode, sender=sender or None
            )
            with ui.writer() as db:
                mail.save_settings(db, settings)
        except CitraError as error:
            st.error(error.describe(lang))
        else:
            saved(_("E-mail server saved."))

current_rules = ui.cached(rule_settings)
with st.form("settings_alert_rules"):
    st.markdown(f"**{_('Alert rules')}**")
    first, second = st.columns(2)
    # Streamlit writes a float input's number the English way ("3.00"); a choice of values
    # written by citra.formatting reads "3,0" in Indonesian.
    k_choices = sorted({i / 2 for i in range(1, 21)} | {float(current_rules.spike_k)})
    spike_k = first.select_slider(
        _("Negative spike: standard deviations above the usual"),
        options=k_choices,
        value=float(current_rules.spike_k),
        format_func=partial(format_number, lang=lang, decimals=1),
        key="rules_k",
    )
    spike_minimum = second.number_input(
        _("Negative spike: at least this many in 24 hours"),
        min_value=1,
        value=int(current_rules.spike_minimum),
        key="rules_minimum",
    )
    high_reach = first.number_input(
        _("High reach: from this many people"),
        min_value=1,
        value=int(current_rules.high_reach),
        step=1000,
        key="rules_reach",
    )
    feed_hours = second.number_input(
        _("Feed health: failing for this many hours"),
        min_value=1,
        value=max(1, round(current_rules.feed_failing_hours)),
        key="rules_feed_hours",
    )
    if st.form_submit_button(_("Save alert rules")):
        try:
            with ui.writer() as db:
                save_rule_settings(
                    db,
                    current_rules.changed(
                        spike_k=spike_k,
                        spike_minimum=int(spike_minimum),
                        high_reach=int(high_reach),
                        feed_failing_hours=feed_hours,
                    ),
                )
        except CitraError as error:
            st.error(error.describe(lang))
        else:
            saved(_("Alert rules saved."))

st.subheader(_("Custom sentiment words"))
st.caption(_("Words with a sentiment of their own in your coop's world are added here."))
ui.show_message()
for word in ui.cached(list_custom_words):
    left, right = st.columns([5, 1])
    left.markdown(f"**{word['term']}** · {word['valence']:+g}")
    if right.button(_("Remove"), key=f"remove_word_{word['term']}"):
        with ui.writer() as db:
            remove_custom_word(db, word["term"])
        saved(_("Word removed."))
        st.rerun()
with st.form("settings_add_word", clear_on_submit=True):
    term = st.text_input(_("Word or phrase"), key="s_word")
    valence = st.select_slider(
        _("Valence"),
        options=[i / 2 for i in range(-8, 9)],
        value=0.0,
        format_func=partial(format_points, lang=lang, decimals=1),
        key="s_valence",
    )
    st.caption(
        _(
            "-4 is very negative, +4 very positive; most words lie between -2 and +2. Use 0 for "
            "a name that only sounds good or bad (a product called 'Berkah', a place called "
            "'Sukamaju')."
        )
    )
    if st.form_submit_button(_("Add word")) and term.strip():
        try:
            with ui.writer() as db:
                added = add_custom_word(db, term, valence)
        except CitraError as error:
            ui.show_error(error)
        else:
            saved(
                _(
                    "'{term}' saved with valence {valence}.",
                    term=added,
                    valence=format_points(valence, lang, 1),
                )
            )
            st.rerun()

st.subheader(_("Custom risk phrases"))
st.caption(
    _(
        "Ways your members and local media speak of a crisis that Citra does not know yet, each "
        "with its risk category. '~' stands for up to three words in between, '|' for "
        "alternatives: 'setoran ~ raib', 'dana|uang ~ nyangkut'. Words are matched with their "
        "affixes (dicairkan, pencairan)."
    )
)
category_labels = {k: _(v) for k, v in CATEGORY_NAMES.items()}
phrases = ui.cached(risk_phrases)


def save_phrases(rows: list[tuple[str, str]], message: str) -> None:
    try:
        with ui.writer() as db:
            set_risk_phrases(db, rows)
    except CitraError as error:
        ui.show_error(error)
    else:
        saved(message)
        st.rerun()


for number, (pattern, category) in enumerate(phrases):
    left, right = st.columns([5, 1])
    left.markdown(f"**{ui.plain(pattern)}** · {category_labels.get(category, category)}")
    if right.button(_("Remove"), key=f"remove_phrase_{number}"):
        save_phrases([row for row in phrases if row != (pattern, category)], _("Phrase removed."))
with st.form("settings_add_phrase", clear_on_submit=True):
    left, right = st.columns([3, 2])
    pattern = left.text_input(_("Risk phrase"), key="s_phrase", placeholder="setoran ~ raib")
    category = right.selectbox(
        _("Risk category"),
        list(category_labels),
        format_func=category_labels.__getitem__,
        key="s_phrase_category",
        placeholder=_("Choose an option"),
    )
    if st.form_submit_button(_("Add phrase")) and pattern.strip():
        save_phrases([*phrases, (pattern, category)], _("Phrase saved."))


def suggested(heading: str, line: Callable[..., str], rows: list[dict], key: str) -> dict | None:
    """Suggested phrases under ``heading``, each as ``line(phrase=, category=, count=)`` says it,
    with an Add button; returns the one whose button was pressed, if any."""
    if not rows:
        return None
    st.markdown(f"**{heading}**")
    pressed = None
    for number, row in enumerate(rows):
        left, right = st.columns([5, 1])
        category = category_labels.get(row["category"], row["category"])
        count = format_number(row["count"], lang)
        left.markdown(line(phrase=ui.plain(row["phrase"]), category=category, count=count))
        if right.button(_("Add"), key=f"{key}_{number}"):
            pressed = row
    return pressed


if chosen := suggested(
    _("Suggested by your risk corrections"),
    lambda **values: _(
        "**{phrase}** · {category} · in {count} mentions you marked as a risk that Citra did "
        "not flag",
        **values,
    ),
    ui.cached(risk_phrase_suggestions),
    "add_suggestion",
):
    save_phrases([*phrases, (chosen["phrase"], chosen["category"])], _("Phrase saved."))

st.subheader(_("Not-a-risk phrases"))
st.caption(
    _(
        "Where your risk words are no risk: a training, a film review, a peer's name. Same "
        "syntax as risk phrases: 'webinar ~ investasi bodong', 'film|sinetron ~ penipuan'. A "
        "risk match that such a phrase covers is not flagged, and the why names the phrase; "
        "other risk words in the text still flag, and your corrections of a mention still win."
    )
)
not_risk = ui.cached(not_risk_phrases)


def save_not_risk(rows: list[str], message: str) -> None:
    try:
        with ui.writer() as db:
            set_not_risk_phrases(db, rows)
    except CitraError as error:
        ui.show_error(error)
    else:
        saved(message)
        st.rerun()


for number, pattern in enumerate(not_risk):
    left, right = st.columns([5, 1])
    left.markdown(f"**{ui.plain(pattern)}**")
    if right.button(_("Remove"), key=f"remove_not_risk_{number}"):
        save_not_risk([row for row in not_risk if row != pattern], _("Phrase removed."))
with st.form("settings_add_not_risk", clear_on_submit=True):
    pattern = st.text_input(
        _("Not-a-risk phrase"), key="s_not_risk", placeholder="webinar ~ investasi bodong"
    )
    if st.form_submit_button(_("Add not-a-risk phrase")) and pattern.strip():
        save_not_risk([*not_risk, pattern], _("Phrase saved."))
if chosen := suggested(
    _("Suggested by your not-a-risk corrections"),
    lambda **values: _(
        "**{phrase}** · {category} · in {count} mentions Citra flagged that you marked as not "
        "a risk",
        **values,
    ),
    ui.cached(not_risk_suggestions),
    "add_not_risk_suggestion",
):
    save_not_risk([*not_risk, chosen["phrase"]], _("Phrase saved."))

pending = ui.cached(pending_count)
if pending:
    st.info(
        _(
            "{count} mentions were scored before the latest change to the words or the model.",
            count=format_number(pending, lang),
        ),
        icon=":material/update:",
    )
    if st.button(_("Re-score now"), key="s_rescore", type="primary"):
        bar = st.progress(0.0, text=_("Re-scoring..."))

        def advance(done: int, total: int) -> None:
            bar.progress(
                done / total, text=_("Re-scoring... {done} of {total}", done=done, total=total)
            )

        with ui.writer() as db:
            result = pipeline.rescore(db, progress=advance)
        ui.clear_caches()
        ui.remember_message(
            _(
                "Re-scored {scored} mentions; {manual} labelled by hand kept their label.",
                scored=format_number(result["scored"], lang),
                manual=format_number(result["manual"], lang),
            )
        )
        st.rerun()

st.markdown(f"**{_('Learn from our corrections')}**")
model = ui.cached(active_model_info)
if model:
    st.caption(
        _(
            "Model {id} is in use, trained {when} on {rows} rows ({source}): macro-F1 "
            "{model_f1:.3f} against {lexicon_f1:.3f} for the lexicon alone.",
            id=model["id"],
            when=format_datetime(model["created_at"], lang, ui.timezone()),
            rows=format_number(model["rows"], lang),
            source=model["source"],
            model_f1=model["cv_macro_f1"],
            lexicon_f1=model["lexicon_macro_f1"],
        )
    )
else:
    st.caption(_("No trained model is in use: the lexicon and its rules set every label."))
corrections = ui.cached(export_labels)
learn, download = st.columns(2)
if learn.button(
    _("Learn from our corrections"),
    key="s_learn",
    help=_("Citra fits a model on the labels you corrected and uses it only if it does better."),
):
    try:
        with st.spinner(_("Learning...")), ui.writer() as db:
            report = learn_from_corrections(db)
    except NotEnoughLabels as refused:
        ui.show_error(refused)
    else:
        ui.clear_caches()
        ui.remember_message(report.describe(lang), "success" if report.activated else "info")
        st.rerun()
download.download_button(
    _("Download our corrections (CSV)"),
    labels_csv(corrections),
    file_name="citra-corrections.csv",
    mime="text/csv",
    disabled=not corrections,
    help=_("{count} mentions labelled by hand.", count=format_number(len(corrections), lang)),
)

settings_access.render()

st.subheader(_("Demo data"))
if ui.cached(has_demo_data):
    st.write(
        _(
            "The demo coop, its peers and their mentions are marked as demo data. Removing them "
            "deletes exactly those rows; everything you added yourself stays."
        )
    )
    confirm = st.checkbox(_("Yes, remove the demo data"), key="confirm_demo_removal")
    if st.button(_("Remove demo data"), disabled=not confirm, type="primary"):
        with ui.writer() as db:
            removed = pipeline.remove_demo(db)
        saved(_("Demo data removed: {count} mentions.", count=removed["mentions"]))
        st.rerun()
else:
    st.caption(_("No demo data is stored."))
