"""The demo's comms strategy: three narratives, a posting plan, and own posts that carry them.

An area step of ``citra.demo`` (``AREA_STEPS``): it runs inside the demo's transaction after
the coop, its mentions and members exist, and marks everything it writes ``is_demo = 1``. The
story it adds: the coop's TikTok account posted weekly about its mobile app until about five
weeks ago and then fell silent (the plan still asks for a post a week, so the page flags it);
the "UMKM desa" narrative is planned twice a month on Facebook. The outlets' other headlines
(nine weeks of them, for the viral-topic watch) carry two topics that rise this week, *pinjol
ilegal* and *koperasi desa merah putih*, and one that stays flat, *harga beras*.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.queries import demo as demo_queries
from citra.queries.organisations import get_self
from citra.store.imports import import_run
from citra.store.mentions import mention_id
from citra.store.narratives import add_plan, save_narrative

LOCAL = ZoneInfo("Asia/Jakarta")
NARRATIVES = (
    {
        "name": "Koperasi modern dan digital",
        "description": "Layanan koperasi yang mudah, cepat dan bisa dari rumah.",
        "keywords": ["aplikasi", "digital", "online", "mobile"],
        "examples": [
            "Cek saldo dan angsuran dari rumah lewat aplikasi koperasi",
            "Layanan koperasi kini serba online dan cepat",
        ],
    },
    {
        "name": "Kesejahteraan anggota",
        "description": "SHU, simpanan dan manfaat nyata bagi anggota dan keluarganya.",
        "keywords": ["SHU", "kesejahteraan"],
        "examples": [
            "Pembagian SHU tepat waktu untuk seluruh anggota",
            "Simpanan anggota aman dan memberi manfaat bagi keluarga",
        ],
    },
    {
        "name": "UMKM desa",
        "description": "Modal dan pelatihan bagi usaha kecil, petani dan pedagang di desa.",
        "keywords": ["UMKM", "pelatihan usaha"],
        "examples": [
            "Pinjaman produktif untuk petani dan pedagang desa",
            "Pelatihan usaha kecil bagi anggota di cabang",
        ],
    },
)
# (channel, posts, per, narrative or None, tone, max_length)
PLAN = (
    ("instagram", 3, "week", None, "positive", 600),
    ("instagram", 1, "week", "Koperasi modern dan digital", None, None),
    ("facebook", 2, "week", None, "positive", 1200),
    ("facebook", 2, "month", "UMKM desa", None, None),
    ("tiktok", 1, "week", "Koperasi modern dan digital", "positive", 300),
    ("youtube", 1, "month", None, None, None),
)
OWN_POSTS = (
    ("instagram", "Cek saldo dan angsuran dari rumah? Pakai aplikasi mobile {org} #kopmurdigital"),
    ("facebook", "Pelatihan usaha kecil untuk UMKM desa bersama {org}, daftar di cabang terdekat"),
    ("instagram", "SHU tahun ini sudah dibagikan, terima kasih anggota {org} atas kepercayaannya"),
)
TIKTOK = "Tutorial aplikasi {org}: cek angsuran cuma 1 menit #kopmurdigital"
TIKTOK_WEEKS = (40, 5)  # weekly TikTok posts from 40 weeks ago until 5 weeks ago


HEADLINE_OUTLETS = ("Kabar Nusantara", "Harian Jogja Raya", "Warta Ekonomi Rakyat", "Suara Desa")
HEADLINE_SUBJECTS = (
    "Gubernur",
    "Bupati",
    "Warga",
    "Mahasiswa",
    "Pedagang",
    "Petani",
    "Polisi",
    "DPRD",
    "Dinas Kesehatan",
    "Pemkot",
    "Nelayan",
    "Guru",
    "Relawan",
    "Atlet",
)
HEADLINE_ACTIONS = (
    "resmikan",
    "tinjau",
    "keluhkan",
    "dukung",
    "tolak",
    "rayakan",
    "bahas",
    "perbaiki",
    "gelar",
    "bersihkan",
    "kunjungi",
    "siapkan",
)
HEADLINE_OBJECTS = (
    "jembatan baru",
    "festival budaya",
    "jalan rusak",
    "pasar tradisional",
    "sekolah rakyat",
    "taman kota",
    "saluran irigasi",
    "stadion",
    "terminal bus",
    "museum batik",
    "posyandu",
    "lomba lari",
    "pantai wisata",
    "hutan kota",
)
HEADLINE_PLACES = ("Sleman", "Bantul", "Klaten", "Magelang", "Wonosari", "Kulon Progo", "Solo",
                   "Semarang", "Purworejo", "Boyolali", "Temanggung", "Wonogiri")  # fmt: skip
RISING = (
    "Satgas OJK blokir {n} pinjol ilegal yang resahkan warga {p}",
    "Warga {p} terjerat pinjol ilegal, bunga capai ratusan persen",
    "Polisi bongkar kantor pinjol ilegal di {p}",
    "Ibu rumah tangga jadi korban teror penagih pinjol ilegal",
    "Mahasiswa diminta waspada tawaran pinjol ilegal lewat pesan singkat",
    "DPRD desak pemerintah tutup aplikasi pinjol ilegal",
    "Koperasi desa merah putih mulai beroperasi di {p}",
    "Bupati {p} targetkan {n} koperasi desa merah putih tahun ini",
    "Pengurus koperasi desa merah putih ikut pelatihan manajemen",
    "Warga antusias daftar jadi anggota koperasi desa merah putih",
    "Kementerian siapkan modal untuk koperasi desa merah putih",
    "Koperasi desa merah putih diharapkan tekan harga sembako",
)
FLAT = "Harga beras di pasar {p} {verb} pekan ini"


def seed_headlines(db: Database, rng: random.Random, today) -> None:
    """Nine weeks of outlet headlines naming no organisation (see the module docstring)."""
    rows = []
    for days_ago in range(1, 63):
        day = today - timedelta(days=days_ago)
        titles = [
            f"{rng.choice(HEADLINE_SUBJECTS)} {rng.choice(HEADLINE_PLACES)} "
            f"{rng.choice(HEADLINE_ACTIONS)} {rng.choice(HEADLINE_OBJECTS)}"
            for _ in range(12)
        ]
        if rng.random() < 0.45:
            verb = rng.choice(("naik tipis", "stabil", "turun", "bertahan"))
            titles.append(FLAT.format(p=rng.choice(HEADLINE_PLACES), verb=verb))
        if days_ago <= 6:
            titles += [
                template.format(p=rng.choice(HEADLINE_PLACES), n=rng.randrange(10, 90))
                for template in rng.sample(RISING, 3)
            ]
        for index, title in enumerate(dict.fromkeys(titles)):
            rows.append(
                (
                    f"https://demo.citra.example/berita/{day.isoformat()}-{index}",
                    title,
                    rng.choice(HEADLINE_OUTLETS),
                    _stamp(rng, day),
                    _stamp(rng, day),
                )
            )
    db.conn.executemany(
        "INSERT OR IGNORE INTO feed_headlines (url, feed_id, title, source, published_at, "
        "seen_at, is_demo) VALUES (?, NULL, ?, ?, ?, ?, 1)",
        rows,
    )


def _stamp(rng: random.Random, day) -> str:
    moment = datetime.combine(day, time(9), tzinfo=LOCAL) + timedelta(minutes=rng.randrange(600))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seed_narratives(db: Database, rng: random.Random) -> None:
    """The demo's narratives, plan and the own posts that carry them (see the module)."""
    coop = get_self(db)
    if coop is None:
        return
    last = demo_queries.demo_last_day(db)
    today = last + timedelta(days=1) if last else datetime.now(LOCAL).date()
    for narrative in NARRATIVES:
        save_narrative(db, **narrative, is_demo=True)
    for channel, posts, per, narrative, tone, max_length in PLAN:
        add_plan(
            db,
            channel,
            posts,
            per=per,
            narrative=narrative,
            tone=tone,
            max_length=max_length,
            is_demo=True,
        )
    rows = []
    first, stop = TIKTOK_WEEKS
    for week in range(first, stop - 1, -1):
        day = today - timedelta(weeks=week, days=rng.randrange(3))
        rows.append(_post(rng, coop, "tiktok", TIKTOK, day, f"tt-{week}"))
    for index in range(90):
        day = today - timedelta(days=index + 1)
        if rng.random() < 0.12:
            channel, template = rng.choice(OWN_POSTS)
            rows.append(_post(rng, coop, channel, template, day, f"n-{index}"))
    with import_run(db, kind="demo", file_name="citra demo: narratives", format="demo",
                    is_demo=True) as run:  # fmt: skip
        run.add(rows)
    seed_headlines(db, rng, today)


def _post(rng: random.Random, coop, platform: str, template: str, day, key: str) -> dict:
    likes = int(rng.lognormvariate(4.4, 0.5))
    reach = likes * rng.randrange(8, 20)
    return {
        "id": mention_id(platform, f"demo-narrative-{key}"),
        "organisation_id": coop.id,
        "platform": platform,
        "source": platform.capitalize(),
        "url": f"https://demo.citra.example/{platform}/narrative-{key}",
        "text": template.format(org=coop.name),
        "author": coop.accounts.get(platform, coop.name),
        "author_handle": coop.accounts.get(platform, "@ksptunasmakmur"),
        "published_at": _stamp(rng, day),
        "lang": "id",
        "likes": likes,
        "comments": int(likes * rng.uniform(0.02, 0.15)),
        "shares": int(likes * rng.uniform(0.0, 0.1)),
        "views": reach if platform in ("tiktok", "youtube") else None,
        "reach": reach,
        "sentiment_compound": round(rng.uniform(0.3, 0.8), 4),
        "sentiment_label": "positive",
        "lexicon_version": "demo",
        "risk": 0,
        "is_own": 1,
        "is_demo": 1,
    }
