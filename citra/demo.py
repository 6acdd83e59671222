"""A deterministic, fictional demo dataset: one coop, three peers, 24 months of mentions.

Everything it writes is marked ``is_demo = 1`` (organisations, the import run, mentions, tags) so
:func:`citra.store.demo.remove_demo_data` can take it out again and leave nothing else
touched. The same seed and the same ``today`` give the same rows; dates run back 24 months from
``today`` so the dashboard's default ranges always show data.

The story: KSP Tunas Makmur is a healthy savings-and-loan coop until, about five months before
``today``, its SHU (surplus) payout is delayed; rumours of *gagal bayar* (default) and *PKPU*
(suspension of payments) follow on social media and in the news for some weeks. The board pays
out, commissions an audit and launches a mobile app; sentiment recovers. Its own Instagram goes
quiet during the crisis (a gap the Digital presence page calls out).

The build is a list of steps, :data:`STEPS`, each ``step(db, rng, story)``, then
:data:`AREA_STEPS`, each ``step(db, rng)``, where other areas add theirs (members, RATs,
WhatsApp history) so one ``citra demo`` seeds everything.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.access import ADMIN, requires
from citra.demo_members import seed_members
from citra.demo_narratives import seed_narratives
from citra.errors import CitraError
from citra.queries.organisations import get_self
from citra.store.imports import import_run
from citra.store.mentions import mention_id
from citra.store.organisations import add_peer, set_profile
from citra.store.tags import ensure_tag, set_mention_tags

SEED = 20261123
DAYS = 730
BASE_PER_DAY = 11.0  # mentions per day across all organisations at scale 1 (about 8,000 in all)
LOCAL = ZoneInfo("Asia/Jakarta")

COOP = {
    "name": "KSP Tunas Makmur",
    "keywords": ["Koperasi Tunas Makmur", "Kopmur", "#tunasmakmur"],
    "website": "https://ksptunasmakmur.example",
    "accounts": {
        "instagram": "@ksptunasmakmur",
        "facebook": "KSP Tunas Makmur",
        "youtube": "KSP Tunas Makmur TV",
        "email": "humas@ksptunasmakmur.example",
        "whatsapp": "+62 811 0000 0000",
    },
}
PEERS = (
    {"name": "KSP Bina Usaha Mandiri", "keywords": ["Bina Usaha Mandiri", "#binausaha"]},
    {"name": "Kopdit Sumber Rejeki", "keywords": ["CU Sumber Rejeki", "Sumber Rejeki"]},
    {"name": "KSPPS Amanah Ummat", "keywords": ["Amanah Ummat", "BMT Amanah Ummat"]},
)
PEER_SHARE = (0.27, 0.18, 0.15)  # share of all mentions per peer; the coop gets the rest

BRANCHES = ("Sleman", "Bantul", "Klaten", "Magelang", "Wonosari", "Kulon Progo")
OUTLETS = ("Kabar Koperasi", "Harian Nusantara", "Warta Ekonomi Rakyat", "Suara Mataram")
ENGLISH_OUTLETS = ("Jakarta Daily Post", "Indonesia Business Review")
PLATFORM_MIX = (
    ("news", 0.22),
    ("x", 0.2),
    ("facebook", 0.22),
    ("instagram", 0.2),
    ("tiktok", 0.09),
    ("youtube", 0.07),
)
HANDLES = (
    "rina_jogja",
    "pakdhe_bantul",
    "anakkos_sleman",
    "mbak_umkm",
    "warga_klaten",
    "budi.santoso",
    "sri_wahyuni88",
    "joko_ternak",
    "ibu_pkk_magelang",
    "dewi.kuliner",
    "arif_petani",
    "lestari_batik",
)

# (template, label, risk). {org} the organisation, {b} a branch, {n} a number.
POSITIVE_NEWS = (
    ("{org} membagikan SHU tahun buku kepada anggota tepat waktu", 0),
    ("{org} meresmikan kantor cabang baru di {b} untuk melayani anggota", 0),
    ("Pelatihan UMKM dari {org} diikuti {n} anggota di {b}", 0),
    ("{org} raih penghargaan koperasi berprestasi tingkat provinsi", 0),
    ("Aset {org} tumbuh, pinjaman produktif untuk petani dan pedagang meningkat", 0),
)
NEGATIVE_NEWS = (
    ("Anggota {org} keluhkan pencairan pinjaman yang lambat di cabang {b}", 0),
    ("Bunga pinjaman {org} dinilai terlalu tinggi oleh sebagian anggota", 0),
)
NEUTRAL_NEWS = (
    ("{org} menggelar Rapat Anggota Tahunan di {b}", 0),
    ("Dinas Koperasi melakukan pembinaan rutin kepada {org}", 0),
    ("{org} umumkan jadwal layanan selama libur panjang", 0),
)
POSITIVE_SOCIAL = (
    ("alhamdulillah pinjaman di {org} cair cepet bgt, makasih mbak CS cabang {b} 🙏", 0),
    ("mantap {org}, pelayanannya ramah dan prosesnya gampang", 0),
    ("seneng bgt SHU dari {org} tahun ini lumayan buat modal warung", 0),
    ("ikut pelatihan UMKM {org} kemarin, ilmunya kepake bgt #umkmnaikkelas", 0),
)
NEGATIVE_SOCIAL = (
    ("antri di {org} cabang {b} lama bgt, sistemnya sering error", 0),
    ("kecewa sama {org}, ditelpon gak diangkat-angkat", 0),
    ("bunga {org} kok makin mahal ya, mikir2 lagi deh", 0),
)
NEUTRAL_SOCIAL = (
    ("ada yg tau jam buka {org} cabang {b} hari sabtu?", 0),
    ("info dong syarat jadi anggota {org} apa aja", 0),
    ("lagi di kantor {org}, rame juga hari ini", 0),
)
ENGLISH = (
    ("{org} expands lending to smallholder farmers in Central Java", "positive", 0),
    ("Members praise {org} for quick loan approvals", "positive", 0),
    ("{org} holds its annual members meeting", "neutral", 0),
    ("Complaints about slow service at {org} branches", "negative", 0),
)
CRISIS_NEWS = (
    ("Pembagian SHU {org} tertunda, anggota pertanyakan kondisi keuangan", "negative", 1),
    ("Anggota {org} datangi kantor cabang {b} tuntut kejelasan SHU terlambat", "negative", 1),
    ("Beredar isu gagal bayar, pengurus {org} membantah", "negative", 1),
    ("Kreditur ajukan PKPU terhadap {org}? Pengurus: kabar itu tidak benar", "negative", 1),
    ("Dinas Koperasi minta {org} segera jelaskan penundaan SHU", "negative", 0),
)
CRISIS_SOCIAL = (
    ("SHU {org} udah telat 2 bulan, katanya mau gagal bayar?? serem", "negative", 1),
    ("denger2 {org} mau PKPU, buruan tarik simpanan sebelum terlambat", "negative", 1),
    ("SHU gak cair2, pengurus {org} gak ada kabar. parah", "negative", 0),
    ("wkwk {org} bilang aman tapi SHU belum juga dibayar", "negative", 0),
    ("Delayed SHU payouts at {org} worry members; rumours of default spread", "negative", 1),
)
RECOVERY = (
    ("{org} tuntaskan pembayaran SHU, anggota lega", "positive", 0),
    ("Hasil audit independen {org} nyatakan keuangan sehat", "positive", 0),
    ("{org} luncurkan aplikasi mobile, cek saldo dan angsuran dari rumah", "positive", 0),
    ("akhirnya SHU {org} cair juga, makasih pengurus udah transparan", "positive", 0),
    ("aplikasi baru {org} enak dipake, cek angsuran jadi gampang", "positive", 0),
    ("{org} completes delayed SHU payout after independent audit", "positive", 0),
)
OWN_POSTS = (
    ("Selamat Hari Koperasi! Terima kasih anggota {org} di seluruh cabang", "positive"),
    ("Jadwal layanan {org} pekan ini, cabang {b} buka sampai pukul 15.00", "neutral"),
    ("Tips mengelola keuangan usaha bersama {org} #literasikeuangan", "positive"),
    ("Dokumentasi pelatihan UMKM anggota {org} di {b}", "positive"),
)
# Templates written in English (the rest are Indonesian); their mentions get lang "en".
ENGLISH_TEMPLATES = frozenset(
    {
        *(template for template, _, _ in ENGLISH),
        "Delayed SHU payouts at {org} worry members; rumours of default spread",
        "{org} completes delayed SHU payout after independent audit",
    }
)
DEMO_TAGS = ("shu", "layanan", "aplikasi", "isu-hukum")


@dataclass
class Story:
    """The fixed facts every demo step shares: the day range and the organisations."""

    today: date
    scale: float
    organisation_ids: dict[str, int] = field(default_factory=dict)
    mentions: int = 0

    def day(self, index: int) -> date:
        """Day ``index`` of the 24 months (0 = first day, ``DAYS - 1`` = yesterday: the demo
        never holds a mention from later today, which would be in the future)."""
        return self.today - timedelta(days=DAYS - index)

    @property
    def crisis(self) -> tuple[int, int]:
        """First and last day index of the crisis (delayed SHU, rumours)."""
        return DAYS - 155, DAYS - 110

    @property
    def recovery(self) -> tuple[int, int]:
        return DAYS - 109, DAYS - 1


Step = Callable[[Database, random.Random, Story], None]


def _timestamp(rng: random.Random, day: date) -> str:
    # People post between 06:00 and 23:00 local time.
    local = datetime.combine(day, time(6), tzinfo=LOCAL) + timedelta(seconds=rng.randrange(61200))
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fill(rng: random.Random, template: str, org: str) -> str:
    return template.format(org=org, b=rng.choice(BRANCHES), n=rng.randrange(20, 300))


def _compound(rng: random.Random, label: str) -> float:
    if label == "positive":
        return round(rng.uniform(0.25, 0.95), 4)
    if label == "negative":
        return round(-rng.uniform(0.25, 0.95), 4)
    return round(rng.uniform(-0.04, 0.04), 4)


def _pick_platform(rng: random.Random) -> str:
    return rng.choices([p for p, _ in PLATFORM_MIX], weights=[w for _, w in PLATFORM_MIX])[0]


def _phase(story: Story, index: int) -> str:
    start, end = story.crisis
    if start <= index <= end:
        return "crisis"
    if end < index <= end + 60:
        return "recovery"
    return "normal"


def _record(
    rng: random.Random, story: Story, index: int, serial: int, org_key: str, phase: str
) -> dict[str, Any]:
    """One mention of ``org_key`` on day ``index``."""
    org_name = COOP["name"] if org_key == "self" else org_key
    platform = _pick_platform(rng)
    news = platform == "news"
    risk = 0
    roll = rng.random()
    if phase == "crisis" and org_key == "self" and roll < 0.7:
        text, label, risk = rng.choice(CRISIS_NEWS if news else CRISIS_SOCIAL)
    elif phase == "recovery" and org_key == "self" and roll < 0.45:
        text, label, risk = rng.choice(RECOVERY)
    elif rng.random() < 0.08:
        text, label, risk = rng.choice(ENGLISH)
    else:
        label = rng.choices(("positive", "neutral", "negative"), weights=(0.45, 0.35, 0.2))[0]
        pools = {
            ("positive", True): POSITIVE_NEWS,
            ("negative", True): NEGATIVE_NEWS,
            ("neutral", True): NEUTRAL_NEWS,
            ("positive", False): POSITIVE_SOCIAL,
            ("negative", False): NEGATIVE_SOCIAL,
            ("neutral", False): NEUTRAL_SOCIAL,
        }
        text, risk = rng.choice(pools[(label, news)])
    english = text in ENGLISH_TEMPLATES
    text = _fill(rng, text, org_name)
    if news:
        outlet = rng.choice(ENGLISH_OUTLETS if english else OUTLETS)
        reach = int(rng.lognormvariate(9.2, 0.9))
        title, body, author, handle = text, f"{text}. Berita selengkapnya di {outlet}.", None, None
        source = outlet
        likes = comments = shares = views = None
    else:
        handle = rng.choice(HANDLES)
        reach = int(rng.lognormvariate(7.0, 1.3))
        title, body, author, source = None, text, handle, platform.capitalize()
        likes = int(reach * rng.uniform(0.005, 0.06))
        comments = int(likes * rng.uniform(0.05, 0.4))
        shares = int(likes * rng.uniform(0.0, 0.2))
        views = reach if platform in ("tiktok", "youtube") else None
        if risk:
            reach *= 3  # rumours travel further
    return {
        "id": mention_id(platform, f"demo-{serial}"),
        "organisation_id": story.organisation_ids[org_key],
        "platform": platform,
        "source": source,
        "url": f"https://demo.citra.example/{platform}/{serial}",
        "title": title,
        "text": body,
        "author": author,
        "author_handle": handle,
        "published_at": _timestamp(rng, story.day(index)),
        "lang": "en" if english else "id",
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "views": views,
        "reach": reach,
        "sentiment_compound": _compound(rng, label),
        "sentiment_label": label,
        "lexicon_version": "demo",
        "risk": risk,
        "is_own": 0,
        "is_demo": 1,
    }


def generate_mentions(rng: random.Random, story: Story) -> Iterator[dict[str, Any]]:
    """Every demo mention, day by day (lazy, so a million rows never sit in memory)."""
    org_keys = ("self", *(p["name"] for p in PEERS))
    weights = (1 - sum(PEER_SHARE), *PEER_SHARE)
    serial = 0
    for index in range(DAYS):
        phase = _phase(story, index)
        growth = 0.75 + 0.5 * index / DAYS  # coverage grows over the two years
        weekly = 1.0 + 0.15 * math.sin(index * 2 * math.pi / 7)
        crisis_boost = 2.5 if phase == "crisis" else 1.0
        expected = BASE_PER_DAY * story.scale * growth * weekly
        count = int(expected + rng.random())
        for _ in range(count):
            org_key = rng.choices(org_keys, weights=weights)[0]
            serial += 1
            yield _record(rng, story, index, serial, org_key, phase)
        if phase == "crisis":
            # The crisis adds its own wave of mentions about the coop.
            for _ in range(int(expected * (crisis_boost - 1) * 0.4 + rng.random())):
                serial += 1
                yield _record(rng, story, index, serial, "self", phase)
        yield from _own_posts(rng, story, index, phase, serial)
        serial += 10


def _own_posts(
    rng: random.Random, story: Story, index: int, phase: str, serial: int
) -> Iterator[dict[str, Any]]:
    # Instagram about 3 a week (silent during the crisis), Facebook 2 a week, YouTube monthly.
    chances = {
        "instagram": 0.0 if phase == "crisis" else 3 / 7,
        "facebook": 2 / 7,
        "youtube": 1 / 30,
    }
    for offset, (platform, chance) in enumerate(chances.items(), start=1):
        if rng.random() >= chance:
            continue
        template, label = rng.choice(OWN_POSTS)
        text = _fill(rng, template, COOP["name"])
        likes = int(rng.lognormvariate(4.2, 0.6) * (1.5 if phase == "recovery" else 1))
        reach = likes * rng.randrange(8, 20)
        yield {
            "id": mention_id(platform, f"demo-own-{serial + offset}"),
            "organisation_id": story.organisation_ids["self"],
            "platform": platform,
            "source": platform.capitalize(),
            "url": f"https://demo.citra.example/{platform}/own-{serial + offset}",
            "text": text,
            "author": COOP["accounts"][platform],
            "author_handle": COOP["accounts"][platform],
            "published_at": _timestamp(rng, story.day(index)),
            "lang": "id",
            "likes": likes,
            "comments": int(likes * rng.uniform(0.02, 0.15)),
            "shares": int(likes * rng.uniform(0.0, 0.1)),
            "views": reach if platform == "youtube" else None,
            "reach": reach,
            "sentiment_compound": _compound(rng, label),
            "sentiment_label": label,
            "lexicon_version": "demo",
            "risk": 0,
            "is_own": 1,
            "is_demo": 1,
        }


def seed_organisations(db: Database, rng: random.Random, story: Story) -> None:
    """The demo coop and its three peers."""
    coop = set_profile(
        db,
        name=COOP["name"],
        keywords=COOP["keywords"],
        website=COOP["website"],
        accounts=COOP["accounts"],
        is_demo=True,
    )
    story.organisation_ids["self"] = coop.id
    for peer in PEERS:
        saved = add_peer(db, peer["name"], keywords=peer["keywords"], is_demo=True)
        story.organisation_ids[peer["name"]] = saved.id


def seed_mentions(db: Database, rng: random.Random, story: Story) -> None:
    """24 months of mentions under one demo import run."""
    with import_run(db, kind="demo", file_name="citra demo", format="demo", is_demo=True) as run:
        run.add(generate_mentions(rng, story))
        story.mentions = run.added


def seed_tags(db: Database, rng: random.Random, story: Story) -> None:
    """A few tags on crisis and recovery mentions, as the comms team would add them."""
    for name in DEMO_TAGS:
        ensure_tag(db, name, is_demo=True)
    rows = db.execute(
        "SELECT seq, text, title FROM mentions WHERE is_demo = 1 AND risk = 1 "
        "ORDER BY seq LIMIT 200"
    ).fetchall()
    for seq, text, title in rows[:: max(1, len(rows) // 40)]:
        words = f"{title or ''} {text or ''}".lower()
        names = ["shu"] if "shu" in words else []
        if "pkpu" in words or "gagal bayar" in words:
            names.append("isu-hukum")
        set_mention_tags(db, seq, names or ["layanan"])


STEPS: list[Step] = [seed_organisations, seed_mentions, seed_tags]

# Steps of other areas that need only the database and a random generator, run after STEPS in
# the same transaction, each with its own generator seeded from SEED and its name (so adding a
# step, or changing --scale, never changes what another step writes). The members area appends
# its `seed_members(db, rng)` here (members, RATs, WhatsApp history); rows it writes must carry
# is_demo = 1 and be removed by `citra.store.demo.remove_demo_data`.
AREA_STEPS: list[Callable[[Database, random.Random], None]] = [seed_members, seed_narratives]


@requires(ADMIN)
def build_demo(
    db: Database,
    *,
    scale: float = 1.0,
    today: date | None = None,
    seed: int = SEED,
) -> Story:
    """Write the demo dataset; returns its :class:`Story` (ids, mention count).

    ``scale`` multiplies the number of mentions (1 gives about 8,500; 120 about a million).
    ``today`` (local date, default today in Asia/Jakarta) is the day after the 24 months.
    The mentions carry the generator's intended labels and no analyzer version:
    :func:`citra.pipeline.seed_demo` (what ``citra demo`` and the app use) then scores them with
    the real analyzer, as it scores collected ones; benchmarks keep the intended labels.
    Raises :class:`CitraError` when a real (non-demo) coop profile exists or demo data is
    already present. One transaction: a failure leaves nothing behind.
    """
    if scale <= 0:
        raise CitraError("--scale must be a positive number.")
    coop = get_self(db)
    if coop is not None and not coop.is_demo:
        raise CitraError(
            "This database already has a coop ({name}); demo data only goes into an empty "
            "installation. Use another --db file to try the demo.",
            name=coop.name,
        )
    if coop is not None:
        raise CitraError(
            "Demo data is already present; remove it first with `citra demo --remove`."
        )
    story = Story(today=today or datetime.now(LOCAL).date(), scale=scale)
    rng = random.Random(seed)
    with db.atomic():
        for step in STEPS:
            step(db, rng, story)
        for area_step in AREA_STEPS:
            area_step(db, random.Random(f"{seed}:{area_step.__name__}"))
    return story
