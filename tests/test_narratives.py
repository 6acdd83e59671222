"""The comms strategy on constructed data: narrative assignment (with its why), the pipeline step
that keeps it, shares and reach, plan gaps, the viral watch, voices, ambassadors, the roles."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlite_utils import Database

from citra import access, ambassadors, pipeline
from citra.access import AccessDenied, Actor
from citra.errors import CitraError
from citra.filters import Filters
from citra.narratives import Narrative, NarrativeMatcher
from citra.queries.narratives import narrative_state
from citra.store import narratives as narrative_store
from citra.store.imports import import_run
from citra.store.member_registry import upsert_member
from citra.store.organisations import set_profile
from citra.strategy import narrative_overview, plan_check, planned_posts
from citra.viral import Headline, fold_copies, rising_topics
from citra.voices import rank_voices

DIGITAL = Narrative(
    1,
    "Koperasi modern dan digital",
    keywords=("aplikasi mobile", "#kopdigital"),
    examples=(
        "Cek saldo dan angsuran dari rumah lewat aplikasi",
        "Layanan online yang cepat untuk anggota",
    ),
)
UMKM = Narrative(
    2,
    "UMKM desa",
    keywords=("pelatihan",),
    examples=("Pinjaman produktif untuk petani dan pedagang desa",),
)


# --- assignment ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a keyword phrase, found by root in an affixed form is not needed here: as written
        ("KSP Sejahtera luncurkan aplikasi mobile baru", [(1, "keyword", ("aplikasi mobile",))]),
        # a keyword by its root: "dilatih" and "pelatihan" are both "latih"
        ("Ratusan pedagang dilatih mengelola kas", [(2, "keyword", ("pelatihan",))]),
        ("ikut #KopDigital hari ini", [(1, "keyword", ("#kopdigital",))]),
        # no keyword, but close to the examples: the shared words are the why
        (
            "Pinjaman produktif bagi petani di desa kami",
            [(2, "similar", ("produktif", "petani", "desa", "pinjaman"))],
        ),
        ("antrian di kantor lama sekali, kecewa", []),
        # the coop's own name is in every mention: it never makes a mention similar
        ("KSP Sejahtera KSP Sejahtera", []),
    ],
)
def test_assignment_by_keyword_or_similarity_says_why(text: str, expected: list) -> None:
    matcher = NarrativeMatcher([DIGITAL, UMKM], extra_stop_words=["ksp", "sejahtera"])
    found = matcher.assign(None, text)
    assert [(a.narrative_id, a.method) for a in found] == [(e[0], e[1]) for e in expected]
    for assignment, (_, method, words) in zip(found, expected, strict=True):
        if method == "keyword":
            assert assignment.matched == words and assignment.score == 1.0
        else:
            assert set(assignment.matched) == set(words) and 0.2 <= assignment.score < 1


def _mention(n: int, day: str, text: str, **extra) -> dict:
    row = {
        "id": f"m{n}",
        "platform": "x",
        "published_at": f"{day}T03:00:00Z",
        "text": text,
        "sentiment_label": "neutral",
        "sentiment_compound": 0.0,
        "lexicon_version": "test",
    }
    row.update(extra)
    return row


@pytest.fixture
def coop(db: Database):
    return set_profile(db, name="KSP Sejahtera", accounts={"tiktok": "@kspsejahtera"})


def _add(db: Database, rows: list[dict], coop_id: int) -> None:
    with import_run(db, kind="test") as run:
        run.add([{"organisation_id": coop_id, **row} for row in rows])
    pipeline.finish(db, pipeline.Change("import"))


def _assigned(db: Database) -> set[tuple[str, int]]:
    rows = db.execute(
        "SELECT m.id, mn.narrative_id FROM mention_narratives mn "
        "JOIN mentions m ON m.seq = mn.mention_seq"
    ).fetchall()
    return set(rows)


def test_the_pipeline_keeps_assignments_current(db: Database, coop) -> None:
    _add(db, [_mention(1, "2026-11-02", "Aplikasi mobile KSP Sejahtera memudahkan")], coop.id)
    narrative = pipeline.save_narrative(db, "Digital", keywords=["aplikasi mobile"])
    assert _assigned(db) == {("m1", narrative.id)}
    # a new import is assigned by the pipeline's step
    _add(db, [_mention(2, "2026-11-03", "Unduh aplikasi mobile kami")], coop.id)
    assert _assigned(db) == {("m1", narrative.id), ("m2", narrative.id)}
    # a changed narrative assigns every mention again
    pipeline.save_narrative(db, "Digital", keywords=["unduh"])
    assert _assigned(db) == {("m2", narrative.id)}
    stored = json.loads(db.execute("SELECT matched FROM mention_narratives").fetchone()[0])
    assert stored == ["unduh"]
    # an undone import frees its seqs; the next mentions there are still assigned
    last_import = db.execute("SELECT max(id) FROM imports").fetchone()[0]
    pipeline.undo(db, last_import)
    assert _assigned(db) == set()
    _add(db, [_mention(3, "2026-11-04", "unduh sekarang")], coop.id)
    assert _assigned(db) == {("m3", narrative.id)}
    assert (
        int(narrative_state(db)["last_seq"])
        == db.execute("SELECT max(seq) FROM mentions").fetchone()[0]
    )
    pipeline.delete_narrative(db, "digital")
    assert _assigned(db) == set()


def test_a_narrative_needs_words_to_match(db: Database) -> None:
    with pytest.raises(CitraError, match="keywords or example sentences"):
        pipeline.save_narrative(db, "Kosong")
    with pytest.raises(CitraError, match="No narrative"):
        pipeline.delete_narrative(db, "tidak ada")


def test_share_sentiment_and_reach_treat_a_missing_figure_as_unknown(db: Database, coop) -> None:
    _add(
        db,
        [
            _mention(
                1, "2026-11-02", "aplikasi mobile bagus", reach=100, sentiment_label="positive"
            ),
            _mention(
                2, "2026-11-02", "aplikasi mobile error", reach=None, sentiment_label="negative"
            ),
            _mention(
                3, "2026-11-03", "aplikasi mobile mantap", reach=50, sentiment_label="positive"
            ),
            _mention(4, "2026-11-03", "antri lama", reach=1000),
            _mention(
                5,
                "2026-11-04",
                "Tutorial aplikasi mobile",
                likes=10,
                comments=2,
                shares=0,
                is_own=1,
            ),
        ],  # fmt: skip
        coop.id,
    )
    pipeline.save_narrative(db, "Digital", keywords=["aplikasi mobile"])
    pipeline.save_narrative(db, "Sepi", keywords=["tidak pernah disebut"])
    f = Filters.for_days(date(2026, 11, 1), date(2026, 11, 30), organisation_id=coop.id)
    overview = narrative_overview(db, f)
    rows = {row.name: row for row in overview.rows}
    digital = rows["Digital"]
    assert (digital.mentions, digital.positive, digital.negative) == (3, 2, 1)
    assert digital.share == pytest.approx(3 / 4)
    assert digital.net == pytest.approx(100 * (2 - 1) / 3)
    assert (digital.reach, digital.with_reach, digital.without_reach) == (150, 2, 1)
    assert (digital.own_posts, digital.engagement_per_post) == (1, 12.0)
    assert digital.verdict == "resonates"
    assert rows["Sepi"].mentions == 0 and rows["Sepi"].verdict == "ignored"
    assert overview.public == {"mentions": 4, "with_reach": 3, "reach": 1150, "assigned": 3}


# --- the plan ------------------------------------------------------------------------------------


def test_plan_gaps_name_the_silent_channel_and_the_missing_narrative(db: Database, coop) -> None:
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    rows = [
        # TikTok: weekly until 21 days before now, then nothing
        *(
            _mention(10 + i, (now - timedelta(days=21 + 7 * i)).date().isoformat(),
                     "Tips menabung", platform="tiktok", is_own=1)
            for i in range(4)
        ),
        # Instagram: posts, none of them about the narrative
        *(
            _mention(20 + i, (now - timedelta(days=2 + 3 * i)).date().isoformat(),
                     "Jadwal layanan cabang", platform="instagram", is_own=1)
            for i in range(8)
        ),
    ]  # fmt: skip
    _add(db, rows, coop.id)
    pipeline.save_narrative(db, "UMKM desa", keywords=["umkm"])
    narrative_store.add_plan(db, "tiktok", 1, per="week")
    narrative_store.add_plan(db, "instagram", 1, per="week", narrative="UMKM desa")
    narrative_store.add_plan(db, "instagram", 2, per="week", tone="positive", max_length=10)
    f = Filters.for_days(date(2026, 11, 2), date(2026, 11, 29), organisation_id=coop.id)
    check = plan_check(db, f, now=now)
    assert [(g.kind, g.channel, g.days) for g in check.gaps if g.kind == "silent"] == [
        ("silent", "tiktok", 21)
    ]
    behind = [(g.channel, g.narrative, g.planned, g.published) for g in check.gaps[1:]]
    assert ("instagram", "UMKM desa", 4, 0) in behind
    assert ("tiktok", None, 4, 1) in behind
    assert ("instagram", None, 8, 8) not in behind  # on plan
    persona = {p.channel: p for p in check.persona}
    assert persona["instagram"].too_long == 8 and persona["instagram"].off_tone == 8


@pytest.mark.parametrize(
    ("posts", "per", "days", "expected"),
    [(1, "week", 28, 4), (3, "week", 30, 13), (2, "month", 30, 2), (1, "month", 7, 0)],
)
def test_planned_posts(posts: int, per: str, days: int, expected: int) -> None:
    assert planned_posts(posts, per, days) == expected


def test_plan_lines_are_checked(db: Database) -> None:
    with pytest.raises(CitraError, match="Unknown channel"):
        narrative_store.add_plan(db, "myspace", 1)
    with pytest.raises(CitraError, match="per week or per month"):
        narrative_store.add_plan(db, "x", 1, per="day")
    with pytest.raises(CitraError, match="No plan line"):
        narrative_store.remove_plan(db, 99)
    assert plan_check(db, Filters.for_days(date(2026, 11, 1), date(2026, 11, 30))).lines == []


# --- the viral watch -----------------------------------------------------------------------------

WORDS = (
    "gubernur", "resmikan", "jembatan", "banjir", "sekolah", "vaksin", "festival", "pasar",
    "stasiun", "bandara", "pelabuhan", "museum", "taman", "hutan", "sungai", "pantai",
    "kampus", "rumah", "sakit", "jalan", "tol", "listrik", "air", "bersih", "sampah",
)  # fmt: skip


def _headline(n: int, day: datetime, title: str) -> Headline:
    return Headline(f"https://media.example/{n}", title, "Media", day.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    regional=False)  # fmt: skip


def _filler(n: int) -> str:
    # distinct headlines: three words no other filler headline shares in the same order
    return " ".join(WORDS[(n * k) % len(WORDS)] for k in (1, 3, 7)) + f" kabar{n}"


def test_a_planted_rising_topic_is_found_and_a_flat_one_is_not() -> None:
    now = datetime(2026, 11, 29, tzinfo=UTC)
    before, this_week = [], []
    n = 0
    for week in range(1, 9):
        day = now - timedelta(days=7 * week + 1)
        for _ in range(10):
            n += 1
            before.append(_headline(n, day, _filler(n)))
        for i in range(3):  # "harga beras": three headlines every week, before and now
            n += 1
            before.append(_headline(n, day, f"Harga beras di pasar {WORDS[i + week]} kota{n}"))
    day = now - timedelta(days=2)
    for _ in range(10):
        n += 1
        this_week.append(_headline(n, day, _filler(n)))
    for i in range(3):
        n += 1
        this_week.append(_headline(n, day, f"Harga beras di pasar {WORDS[i]} kota{n}"))
    for i in range(6):  # planted: "pinjol ilegal" six times this week, never before
        n += 1
        this_week.append(_headline(n, day, f"Satgas tutup pinjol ilegal {WORDS[i + 5]} nomor{n}"))
    found = {entry[0]: entry for entry in rising_topics(this_week, before)}
    # the words and phrases of the same six headlines are one topic, named by their run
    assert "satgas tutup pinjol ilegal" in found
    assert found["satgas tutup pinjol ilegal"][1:3] == (6, 0)
    assert not any("beras" in term for term in found)
    assert not {"pinjol", "ilegal", "pinjol ilegal"} & set(found)


def test_syndicated_copies_count_once() -> None:
    day = datetime(2026, 11, 27, tzinfo=UTC)
    copies = [
        _headline(1, day, "Satgas tutup pinjol ilegal di Jawa Tengah"),
        _headline(2, day, "Satgas tutup pinjol ilegal di Jawa Tengah - Media Lain"),
        _headline(1, day, "Satgas tutup pinjol ilegal di Jawa Tengah"),  # the same link again
        _headline(3, day, "Harga cabai naik menjelang akhir tahun"),
    ]
    folded = fold_copies(copies)
    assert [h.copies for h in folded] == [3, 1]
    # six copies of one story this week are one headline: not a rising topic
    many = [_headline(10 + i, day, "Satgas tutup pinjol ilegal di Jawa Tengah") for i in range(6)]
    assert rising_topics(fold_copies(many), []) == []


def test_outlet_entries_naming_nobody_are_kept_as_headlines(db: Database, coop) -> None:
    from citra.store.news import add_feed
    from citra.viral import watch
    from collectors.rss import CollectSummary, _store_results, parse_feed

    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    items = "".join(
        f"<item><title>{title}</title><link>https://warta.example.id/{i}</link>"
        f"<pubDate>{(now - timedelta(days=days)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        "</pubDate></item>"
        for i, (title, days) in enumerate(
            [
                ("KSP Sejahtera bagikan SHU", 1),
                ("Koperasi desa merah putih diresmikan di Sleman", 1),
                ("Bupati Klaten luncurkan koperasi desa merah putih", 2),
                ("Ribuan warga Bantul sambut koperasi desa merah putih baru", 2),
                ("Koperasi desa merah putih mulai layani petani Magelang", 3),
                ("Berita lama sekali", 90),
                *((_filler(n), 8 + n) for n in range(40)),  # the baseline weeks
            ]
        )
    )
    body = f"<rss version='2.0'><channel><title>Warta</title>{items}</channel></rss>".encode()
    feed = add_feed(db, "https://warta.example.id/rss")
    result = parse_feed(body, url=feed.url, fetched_at=now, detect_language=False)
    _store_results(db, [feed], {feed.id: result}, now, CollectSummary())
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 1
    kept = [row[0] for row in db.execute("SELECT title FROM feed_headlines ORDER BY url")]
    assert len(kept) == 44 and "Berita lama sekali" not in kept  # older than the retention
    found = watch(db, now=now)
    topic = next(t for t in found.national if "merah putih" in t.term)
    assert topic.suggested and "sector" in topic.why
    assert all(url.startswith("https://") for _, url, _ in topic.examples)


# --- voices --------------------------------------------------------------------------------------


def test_voices_rank_by_reach_and_effect_and_keep_unknown_reach_unknown(db: Database, coop) -> None:
    _add(
        db,
        [
            _mention(
                1,
                "2026-11-02",
                "mantap",
                author="rina",
                reach=5000,
                sentiment_label="positive",
                sentiment_compound=0.8,
            ),
            _mention(
                2,
                "2026-11-02",
                "parah",
                author="budi",
                reach=200,
                sentiment_label="negative",
                sentiment_compound=-0.9,
            ),
            _mention(3, "2026-11-03", "biasa", author="sari", reach=None),
            _mention(
                4,
                "2026-11-03",
                "bagus",
                platform="news",
                source="Harian",
                reach=9000,
                title="Bagus",
                url="javascript:alert(1)",
                sentiment_compound=0.5,
                sentiment_label="positive",
            ),
        ],  # fmt: skip
        coop.id,
    )
    f = Filters.for_days(date(2026, 11, 1), date(2026, 11, 30), organisation_id=coop.id)
    found = rank_voices(db, f)
    assert [v.voice for v in found.by_reach] == ["Harian", "rina", "budi", "sari"]
    assert found.by_reach[-1].reach is None and found.unknown_reach == 1
    assert [v.voice for v in found.positive] == ["Harian", "rina"]
    assert [v.voice for v in found.negative] == ["budi"]
    assert found.by_reach[0].url is None  # not an http(s) link


# --- ambassadors ---------------------------------------------------------------------------------


@pytest.fixture
def members_db(db: Database, coop) -> Database:
    upsert_member(db, member_no="A-1", name="Ani", branch="Sleman", handles={"x": "ani"})
    upsert_member(db, member_no="B-2", name="Budi", branch="Bantul", handles={"x": "budi"})
    shares = [
        *(_mention(10 + i, f"2026-11-0{i + 1}", "=HYPERLINK(1) kopi", author_handle="ani",
                   url=f"https://x.example/ani/{i}") for i in range(3)),
        *(_mention(20 + i, f"2026-11-0{i + 1}", "mampir ya", author_handle="budi")
          for i in range(2)),
        _mention(30, "2026-10-15", "bulan lalu", author_handle="budi"),
    ]  # fmt: skip
    _add(db, shares, coop.id)
    return db


def test_the_ambassador_rule_counts_shares_in_the_month(members_db: Database) -> None:
    found = ambassadors.ambassadors(members_db, "2026-11", show_names=True)
    assert [(a.member_no, a.shares, a.public) for a in found] == [("A-1", 3, 3)]
    assert found[0].links == tuple(f"https://x.example/ani/{i}" for i in range(3))
    assert [a.member_no for a in ambassadors.ambassadors(members_db, "2026-11", rule=2,
                                                         show_names=True)] == ["A-1", "B-2"]  # fmt: skip
    narrative_store.set_ambassador_rule(members_db, 2)
    assert len(ambassadors.ambassadors(members_db, "2026-11")) == 2
    assert ambassadors.ambassadors(members_db, "2026-10", rule=1)[0].branch == "Bantul"
    hidden = ambassadors.ambassadors(members_db, "2026-11")
    assert all(a.member_no is None and a.name is None and not a.links for a in hidden)
    with pytest.raises(CitraError, match="not a month"):
        ambassadors.ambassadors(members_db, "November")


def test_the_ambassador_export_hides_names_for_a_viewer(
    members_db: Database, tmp_path: Path
) -> None:
    shown = ambassadors.ambassadors(members_db, "2026-11", rule=1, show_names=True)
    with_names = ambassadors.export(shown, tmp_path / "a.csv", lang="en", show_names=True)
    with with_names.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Member number", "Name", "Branch"]
    assert rows[1][:4] == ["A-1", "Ani", "Sleman", "3"]
    book = ambassadors.export(shown, tmp_path / "a.xlsx", lang="id", show_names=True)
    sheet = openpyxl.load_workbook(book).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Nomor anggota" and values[1][:4] == ("A-1", "Ani", "Sleman", 3)
    hidden = ambassadors.ambassadors(members_db, "2026-11", rule=1)
    for suffix in (".csv", ".xlsx"):
        data = ambassadors.export_bytes(members_db, "2026-11", suffix, lang="en")
        path = tmp_path / f"viewer{suffix}"
        path.write_bytes(data)
        text = (
            path.read_text(encoding="utf-8-sig")
            if suffix == ".csv"
            else str(list(openpyxl.load_workbook(path).active.iter_rows(values_only=True)))
        )
        assert "A-1" not in text and "Ani" not in text and "Member number" not in text
        assert "Sleman" in text
    assert len(hidden) == 2
    with pytest.raises(CitraError, match=".csv or .xlsx"):
        ambassadors.export(shown, tmp_path / "a.pdf")


def test_exported_text_cells_are_never_formulas(members_db: Database, tmp_path: Path) -> None:
    upsert_member(members_db, member_no="=1+1", name="@cmd", branch="-x", handles={"x": "eve"})
    _add(members_db, [_mention(40, "2026-11-05", "hai", author_handle="eve")],
         members_db.execute("SELECT id FROM organisations").fetchone()[0])  # fmt: skip
    found = ambassadors.ambassadors(members_db, "2026-11", rule=1, show_names=True)
    path = ambassadors.export(found, tmp_path / "a.csv", show_names=True)
    assert "'=1+1,'@cmd,'-x" in path.read_text(encoding="utf-8-sig")
    book = ambassadors.export(found, tmp_path / "a.xlsx", show_names=True)
    sheet = openpyxl.load_workbook(book).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and cells[0].data_type == "s" and cells[0].quotePrefix


# --- roles ---------------------------------------------------------------------------------------

WRITERS = (
    narrative_store.save_narrative,
    narrative_store.remove_narrative,
    narrative_store.refresh_assignments,
    narrative_store.add_plan,
    narrative_store.remove_plan,
    narrative_store.set_ambassador_rule,
    narrative_store.store_headlines,
    pipeline.save_narrative,
    pipeline.delete_narrative,
)


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: f"{w.__module__}.{w.__name__}")
def test_every_new_writer_needs_the_editor_role(writer) -> None:
    assert writer.required_role == access.EDITOR


@pytest.mark.parametrize(
    "call",
    [
        lambda db: pipeline.save_narrative(db, "X", keywords=["x"]),
        lambda db: pipeline.delete_narrative(db, "X"),
        lambda db: narrative_store.add_plan(db, "x", 1),
        lambda db: narrative_store.remove_plan(db, 1),
        lambda db: narrative_store.set_ambassador_rule(db, 2),
    ],
)
def test_a_viewer_cannot_write_narratives_or_plans(db: Database, call) -> None:
    with access.acting(Actor("dewan", access.VIEWER)), pytest.raises(AccessDenied):
        call(db)
    assert db.execute("SELECT count(*) FROM narratives").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM comm_plan").fetchone()[0] == 0


def test_an_editor_writes_and_is_audited(db: Database) -> None:
    with access.acting(Actor("dimas", access.EDITOR)):
        pipeline.save_narrative(db, "Digital", keywords=["aplikasi"])
        narrative_store.add_plan(db, "tiktok", 1, narrative="Digital")
    actions = [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["narrative saved", "plan line added"]


# --- the monthly report and the overview share the numbers ---------------------------------------


def test_the_monthly_report_has_the_narratives_section(db: Database, coop) -> None:
    from citra.reports.content import build_report
    from citra.reports.document import Bullets, Heading, Table, build_document

    _add(db, [_mention(1, "2026-11-02", "aplikasi mobile mantap", reach=10)], coop.id)
    pipeline.save_narrative(db, "Digital", keywords=["aplikasi mobile"])
    narrative_store.add_plan(db, "tiktok", 1)
    report = build_report(db, "2026-11", lang="en", today=date(2026, 12, 1))
    (row,) = report.narratives["rows"]
    assert (row.name, row.mentions, row.reach) == ("Digital", 1, 10)
    blocks = build_document(report).blocks
    start = next(i for i, b in enumerate(blocks) if b == Heading("Narratives and the posting plan"))
    assert isinstance(blocks[start + 1], Table) and blocks[start + 1].rows[0][0] == "Digital"
    gaps = next(b for b in blocks[start:] if isinstance(b, Bullets))
    assert gaps.items[0] == "No TikTok post yet."
    assert "planned 4, published 0" in gaps.items[1]
