"""The small Streamlit layer pages share: database handles, cached queries, language.

This is the one module in ``citra`` that imports Streamlit. Pages use it to:

- translate: ``ui.t("Mentions")`` in the session's language (Indonesian by default);
- read: ``ui.cached(queries.some_function, *args)`` runs ``some_function(read_only_db, *args)``
  through ``st.cache_data``, keyed by the database path, its data version and the arguments: any
  write (this app, the CLI, cron) makes the next read fresh, with no wait and no clearing;
  ``ui.deferred(function, *args)`` is the same call made later, for a download button's data;
- write: ``with ui.writer() as db: ...`` (through ``citra.pipeline`` for mentions and messages),
  as the session's user: every writer checks that user's role (``citra.access.requires``);
- log in: ``ui.session_actor()`` is who uses this session (``None``: the login page is due);
  ``ui.log_in`` / ``ui.log_out`` / ``ui.auth_sidebar`` are the login around it (``citra.auth``);
  ``ui.clear_caches()`` is the one way to forget cached results (tests, a settings reset);
- filter: ``ui.filters()`` is the sidebar's date range, platforms and organisation;
- frame: ``ui.coop_or_stop()`` (points to the Start page before set-up), ``ui.demo_banner()``;
- score: ``ui.analyzer()`` is the installation's sentiment analyzer, built once per version;
- confirm: ``ui.remember_message(...)`` before ``st.rerun()``, ``ui.show_message()`` after it;
- fail: ``ui.show_error(exc)`` shows any error in the session's language (never a traceback).
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st
from sqlite_utils import Database

from citra import access, auth, store
from citra.access import AccessDenied, Actor
from citra.errors import CitraError, DatabaseBusy
from citra.filters import DEFAULT_PRESET, HOUR_PRESETS, Filters, local_today, preset_range
from citra.formatting import format_number, markdown_link, plain
from citra.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from citra.masking import MaskingFilter
from citra.profile import Organisation
from citra.queries.demo import has_demo_data
from citra.queries.organisations import get_self
from citra.queries.settings import get_setting
from citra.queries.users import count_users, get_user, login_session
from citra.sentiment import SentimentAnalyzer
from citra.sentiment.analyzer import analyzer_version
from citra.store.data_version import DataVersion

T = TypeVar("T")
# Cached results are keyed on the data version, so they never go stale; the TTL and the entry
# cap only bound memory (results of older versions are dropped as they age).
CACHE_TTL_SECONDS = 3600
CACHE_MAX_ENTRIES = 1000


def db_path() -> str:
    """The database path of this app (``$CITRA_DB`` or ``data/citra.db``), absolute."""
    return str(store.resolve_db_path().resolve())


@st.cache_resource(show_spinner=False)
def _prepared(path: str) -> str:
    # Create and migrate once per process; readers then open the file read-only.
    store.open_db(path).close()
    return path


def ensure_database() -> str:
    """Create or migrate the database once per server process; returns its path."""
    return _prepared(db_path())


def reader() -> Database:
    """A read-only handle (``mode=ro``) on the app's database: writes through it raise."""
    return store.open_readonly(ensure_database())


@st.cache_resource(show_spinner=False)
def _data_version(path: str) -> DataVersion:
    return DataVersion(path)


def data_version() -> str:
    """The database's data version: it changes after every commit by anyone (see
    ``citra.store.data_version``)."""
    return _data_version(ensure_database()).current()


def _report_wait(template: str, values: dict[str, object]) -> None:
    st.toast(t(template, **values), icon=":material/hourglass_top:")


@contextmanager
def writer() -> Iterator[Database]:
    """A read-write handle for one change, as the session's user; closed afterwards. Every
    cached read after it sees the change (the data version moved).

    Every writer called in the block checks the session user's role: a refusal (or nobody
    logged in) shows the plain message and stops the page, nothing written. While another
    process writes (a long import), the change waits for it with a notice
    (:func:`citra.store.reporting_waits`); if the wait runs out, the page shows the plain
    "database busy" message and stops, nothing written.
    """
    actor = session_actor() or Actor("", None)
    try:
        with store.reporting_waits(_report_wait), access.acting(actor):
            db = store.open_db(ensure_database())
            try:
                yield db
            finally:
                db.close()
    except (DatabaseBusy, AccessDenied) as exc:
        st.error(exc.describe(lang()))
        st.stop()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_call(module: str, name: str, path: str, version: str, args: tuple, kwargs: dict) -> Any:
    # ``version`` is only part of the key: a write anywhere makes a new entry.
    function = getattr(importlib.import_module(module), name)
    db = store.open_readonly(path)
    try:
        return function(db, *args, **kwargs)
    finally:
        db.close()


def cached(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(read_only_db, *args, **kwargs)``, cached until the next write to the database.

    ``function`` must be a module-level function of ``citra`` taking the database first, with
    hashable arguments; its result must be picklable (DataFrames, records, dataclasses).
    """
    path = ensure_database()
    version = _data_version(path).current()
    return _cached_call(function.__module__, function.__qualname__, path, version, args, kwargs)


def deferred(function: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
    """A callable without arguments that runs ``function(read_only_db, *args, **kwargs)`` when
    called: ``st.download_button(data=ui.deferred(...))`` builds a file only when it is clicked.
    The button calls it on another thread, so it opens its own read-only handle there."""
    path = ensure_database()

    def run() -> T:
        db = store.open_readonly(path)
        try:
            return function(db, *args, **kwargs)
        finally:
            db.close()

    return run


def clear_caches() -> None:
    """Forget every cached query result. Writes need not call it (reads follow the data
    version); it is for tests and for a reset."""
    _cached_call.clear()


@st.cache_resource(show_spinner=False, max_entries=2)
def _analyzer(path: str, version: str) -> SentimentAnalyzer:
    # ``version`` is only the cache key: a new lexicon, custom word or model builds a new one.
    db = store.open_readonly(path)
    try:
        return SentimentAnalyzer(db)
    finally:
        db.close()


def analyzer() -> SentimentAnalyzer:
    """The installation's analyzer (custom words, active model), built once per process and
    analyzer version (``citra.sentiment.analyzer.analyzer_version``), shared by every session.
    A change (custom word, model) shows at the next read."""
    return _analyzer(ensure_database(), cached(analyzer_version))


# --- logins (citra.auth) ------------------------------------------------------------------------

# {"name", "seen": UTC ISO of this session's last run, "token", "touched": UTC ISO of the last
# write of the session's use to the database} of the logged-in user
AUTH_KEY = "auth_user"
EXPIRED_KEY = "auth_expired"
# The session cookie to write at this run (:func:`session_cookie_script`): a token, or "" to
# clear it.
COOKIE_KEY = "auth_cookie"


def server_address() -> str | None:
    """The address the server listens on (Streamlit's ``server.address``; ``citra serve`` and
    ``.streamlit/config.toml`` say 127.0.0.1 unless told otherwise)."""
    value = st.get_option("server.address")
    return str(value) if value else None


def listens_locally() -> bool:
    """Whether the app is reachable from this computer only."""
    return auth.is_local_address(server_address())


def logins_required() -> bool:
    """Whether at least one user exists (then everyone logs in)."""
    return cached(count_users) > 0


def session_actor() -> Actor | None:
    """Who uses this session: the logged-in user (role read afresh, so a changed role or a
    removed user counts at the next rerun); with no users and on localhost, the one local user
    (admin unless ``CITRA_ROLE`` says less). ``None``: nobody may see data yet (log in, or no
    users on a network address). An idle session past ``citra.auth.SESSION_IDLE`` is logged out.
    """
    if not logins_required():
        return access.local_actor() if listens_locally() else None
    kept = st.session_state.get(AUTH_KEY) or _resumed()
    if not kept:
        return None
    now = auth.utc_now()
    user = cached(get_user, kept["name"])
    if user is None or auth.expired(kept["seen"], now):
        st.session_state.pop(AUTH_KEY, None)
        st.session_state[COOKIE_KEY] = ""
        _end_session(kept, None if user is None else Actor(user.name, user.role), expired=True)
        if user is not None:
            st.session_state[EXPIRED_KEY] = True
        return None
    token = kept.get("token")
    if token and cached(login_session, auth.session_key(token)) is None:
        # Ended elsewhere: a logout in another tab, a new password, the user's removal.
        st.session_state.pop(AUTH_KEY, None)
        st.session_state[COOKIE_KEY] = ""
        return None
    kept = {**kept, "name": user.name, "seen": now.isoformat()}
    if token and now - datetime.fromisoformat(kept["touched"]) >= auth.SESSION_TOUCH:
        with _database() as db:
            auth.touch_session(db, token)
        kept["touched"] = now.isoformat()
    st.session_state[AUTH_KEY] = kept
    return Actor(user.name, user.role)


def session_cookie() -> str | None:
    """The session token the browser sent with this page (its cookie), if any."""
    value = st.context.cookies.get(auth.SESSION_COOKIE)
    return value if isinstance(value, str) else None


def _resumed() -> dict[str, str] | None:
    """The login of a session the browser keeps (a reload, a new tab), or ``None``; a cookie
    that names no open session is cleared."""
    token = session_cookie()
    if not token:
        return None
    with _database() as db:
        actor = auth.resume_session(db, token)
    if actor is None:
        st.session_state[COOKIE_KEY] = ""
        return None
    now = auth.utc_now().isoformat()
    kept = {"name": actor.name, "seen": now, "token": token, "touched": now}
    st.session_state[AUTH_KEY] = kept
    return kept


@contextmanager
def _database() -> Iterator[Database]:
    db = store.open_db(ensure_database())
    try:
        yield db
    finally:
        db.close()


def _end_session(kept: Mapping[str, str], actor: Actor | None, *, expired: bool) -> None:
    """End the session ``kept`` in the database; audit it for ``actor`` (a user still there)."""
    with _database() as db:
        if kept.get("token"):
            auth.end_session(db, kept["token"])
        if actor is not None:
            auth.log_out(db, actor, expired=expired)


def session_cookie_script() -> None:
    """Write (or clear) the session cookie in the browser when a login or logout asked for it:
    a cookie of this browser session only, for this site's pages, never sent by other sites."""
    token = st.session_state.pop(COOKIE_KEY, None)
    if token is None:
        return
    life = "" if token else "; Max-Age=0"
    cookie = json.dumps(f"{auth.SESSION_COOKIE}={token}; Path=/; SameSite=Strict{life}")
    st.html(
        f"<script>document.cookie = {cookie} + "
        '(location.protocol === "https:" ? "; Secure" : "");</script>',
        unsafe_allow_javascript=True,
    )


def log_in(name: str, password: str) -> None:
    """Log this session in as ``name``; raises :class:`citra.auth.LoginRefused` (audited,
    slowed down after repeated failures)."""
    with _database() as db:
        actor = auth.log_in(db, name, password)
        token = auth.start_session(db, actor)
    st.session_state.pop(EXPIRED_KEY, None)
    now = auth.utc_now().isoformat()
    st.session_state[AUTH_KEY] = {"name": actor.name, "seen": now, "token": token, "touched": now}
    st.session_state[COOKIE_KEY] = token  # a reload keeps the login


def log_out() -> None:
    """End this session's login (audited); the next run shows the login page."""
    kept = st.session_state.pop(AUTH_KEY, None)
    st.session_state[COOKIE_KEY] = ""
    if kept:
        user = cached(get_user, kept["name"])
        _end_session(kept, None if user is None else Actor(user.name, user.role), expired=False)


def session_expired() -> bool:
    """Whether this session's last login ended by the idle timeout (for the login page)."""
    return bool(st.session_state.get(EXPIRED_KEY))


def role() -> str | None:
    """The session user's role (``None``: nobody logged in); pages ask ``citra.access`` what it
    may see with it."""
    actor = session_actor()
    return actor.role if actor else None


def require_role(needed: str) -> None:
    """Stop the page with a plain note unless the session's user has the rights of ``needed``
    (the navigation hides such pages already; this holds even if it did not)."""
    if not access.at_least(role(), needed):
        st.warning(t("This page is for the {role} role.", role=role_name(needed)))
        st.stop()


def role_name(role: str | None) -> str:
    """A role in the session's language."""
    names = {access.VIEWER: t("viewer"), access.EDITOR: t("editor"), access.ADMIN: t("admin")}
    return names.get(role or "", t("no role"))


def auth_sidebar(actor: Actor) -> None:
    """Who is logged in, their role and a logout button; without users, that there are no
    logins (on this computer only)."""
    with st.sidebar:
        if logins_required():
            st.caption(
                t("Logged in as {name} ({role})", name=actor.name, role=role_name(actor.role))
            )
            if st.button(t("Log out"), key="auth_logout", icon=":material/logout:"):
                log_out()
                st.rerun()
        else:
            st.caption(
                t(
                    "No logins: Citra listens on this computer only and everyone using it here "
                    "acts as {role}. Add users (`citra users add NAME --role admin`) to require "
                    "logins.",
                    role=role_name(actor.role),
                )
            )


MESSAGE_KEY = "ui_message"


def remember_message(message: str, kind: str = "success") -> None:
    """Keep a confirmation (``kind`` success or info) for the next run, across ``st.rerun()``."""
    st.session_state[MESSAGE_KEY] = (kind, message)


def show_message() -> None:
    """Show, once, the confirmation kept by :func:`remember_message` (if any)."""
    kept = st.session_state.pop(MESSAGE_KEY, None)
    if kept:
        kind, message = kept
        (st.info if kind == "info" else st.success)(message)


# The page log masks phone numbers, NIK and e-mail addresses in messages and tracebacks.
logging.getLogger(__name__).addFilter(MaskingFilter())

FAVICON = str(Path(__file__).parent / "data" / "favicon.png")  # served by Citra, not a CDN


def link(label: str, url: object) -> str:
    """A Markdown link to ``url`` only when it is a web address (``citra.formatting.
    markdown_link``); ``label`` must be safe already (a translated word or ``plain`` text)."""
    return markdown_link(label, url)


def show_error(error: BaseException) -> None:
    """Show ``error`` on the page in the session's language.

    A :class:`CitraError` shows its message with where it happened (``describe(lang)``); any
    other exception shows a plain "something went wrong" and goes to the server log, so a reader
    never sees a traceback or an English-only message.
    """
    if isinstance(error, CitraError):
        st.error(error.describe(lang(), escape=plain))  # its values come from outside
        return
    logging.getLogger(__name__).error("Unexpected error on a page", exc_info=error)  # masked
    st.error(
        t(
            "Something went wrong and Citra could not finish this. Try again; if it keeps "
            "happening, tell the person who runs Citra (the details are in its log)."
        )
    )


def lang() -> str:
    """The session's UI language code: ``st.session_state["lang"]``, else the stored setting."""
    current = st.session_state.get("lang")
    if current in LANGUAGES:
        return current
    stored = cached(get_setting, "language")
    return stored if stored in LANGUAGES else DEFAULT_LANGUAGE


def t(message: str, **values: object) -> str:
    """``message`` translated to the session's language."""
    return Translator(lang())(message, **values)


def translator() -> Translator:
    """A translator bound to the session's language (for helpers that take ``t``)."""
    return Translator(lang())


def chart(fig: Any, **options: Any) -> Any:
    """Draw a plotly figure in the session's language (separators, month names: see
    ``citra.charts.localise``); ``options`` go to ``st.plotly_chart``."""
    from citra.charts import localise

    return st.plotly_chart(localise(fig, lang()), **options)


def upload_help(types: Sequence[str] = ()) -> str:
    """The help of a file uploader in the session's language: which files and how large.
    Streamlit writes its own box ("Drag and drop file here", "Limit 200MB per file") in English
    and lets an app set only the label and this help, so the help says it all again."""
    size = format_number(st.get_option("server.maxUploadSize"), lang())
    if types:
        return t(
            "Drop a file on the box or choose it with the button: {types}, up to {size} MB a file.",
            types=", ".join(kind.upper() for kind in types),
            size=size,
        )
    return t(
        "Drop files on the box or choose them with the button: up to {size} MB a file.", size=size
    )


def timezone() -> str:
    """The display timezone (setting ``timezone``, default Asia/Jakarta)."""
    return str(cached(get_setting, "timezone"))


# --- shared filters (set by dashboard.py's sidebar) ---------------------------------------------

FILTER_KEYS = {
    "preset": "f_preset",
    "first": "f_first",
    "last": "f_last",
    "platforms": "f_platforms",
    "organisation": "f_org",
}
ALL_ORGANISATIONS = 0  # the organisation select's value for "every organisation"


def filters() -> Filters:
    """The sidebar's current filters as a :class:`citra.filters.Filters`.

    Outside the sidebar's reach (a page run alone in a test) the defaults apply: the last 90
    days, every platform, the coop itself.
    """
    tz = timezone()
    today = local_today(tz)
    preset = st.session_state.get(FILTER_KEYS["preset"], DEFAULT_PRESET)
    organisation = st.session_state.get(FILTER_KEYS["organisation"])
    if organisation is None:
        coop = cached(get_self)
        organisation = coop.id if coop else ALL_ORGANISATIONS
    platforms = tuple(st.session_state.get(FILTER_KEYS["platforms"]) or ())
    if preset in HOUR_PRESETS:
        return Filters.last_hours(
            HOUR_PRESETS[preset],
            datetime.now(UTC),
            platforms=platforms,
            organisation_id=organisation or None,
            tz=tz,
        )
    if preset == "custom":
        first = st.session_state.get(FILTER_KEYS["first"]) or preset_range(DEFAULT_PRESET, today)[0]
        last = st.session_state.get(FILTER_KEYS["last"]) or today
    else:
        first, last = preset_range(preset, today)
    return Filters.for_days(
        first,
        last,
        platforms=platforms,
        organisation_id=organisation or None,
        tz=tz,
    )


def coop_or_stop() -> Organisation:
    """The monitored coop (after the demo banner, if demo data is stored); without one, a
    pointer to the Start page and the page stops."""
    demo_banner()
    coop = cached(get_self)
    if coop is None:
        st.info(t("Citra does not know which coop to watch yet. Set it up on the Start page."))
        st.page_link("pages/home.py", label=t("Go to Start"), icon=":material/home:")
        st.stop()
    return coop


def demo_banner() -> None:
    """A banner on every page while demo data is stored."""
    if cached(has_demo_data):
        st.warning(
            t(
                "This is demo data about a fictional coop. Remove it under Settings "
                "(or `python -m citra demo --remove`) before using Citra for real."
            ),
            icon=":material/science:",
        )


# --- serving the app ----------------------------------------------------------------------------

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


def serve(*, port: int, address: str, extra: tuple[str, ...] = ()) -> None:
    """Run the dashboard with Streamlit in this process (``citra serve``); blocks.

    ``dashboard.py`` defines the pages with ``st.navigation``. Streamlit still treats the first
    run of a server process the old way when a ``pages/`` folder sits beside the entry script
    (it routes that folder's files by their names), so a bookmarked deep link such as
    ``/sebutan`` opened first after a start shows an English "Page not found" dialog. Telling
    the pages manager up front that the app does not use the folder routing avoids it.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    PagesManager.uses_pages_directory = False
    sys.argv = [
        "streamlit",
        "run",
        str(DASHBOARD),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        *extra,
    ]
    streamlit_cli.main()
