"""The members part of the demo dataset: a registry, two RATs and a year of WhatsApp history.

:func:`seed_members` is one of :data:`citra.demo.AREA_STEPS`; it runs after the demo coop and its
mentions exist, in the same transaction. It writes:

- about 600 members of KSP Tunas Makmur in five branches, who joined over ten years (mostly
  active; some inactive or gone), through :func:`citra.store.member_registry.upsert_member` under one demo
  import run. Most have a phone number, stored only as the installation's salted hash; some have
  an Instagram handle, and a few carry the handles of people who wrote demo mentions about the
  coop, so their posts count as members' public shares.
- two RATs (the last two book years) with about 45 % and 55 % of the active members attending,
  some asking questions or making proposals, and a branch training every two months.
- the member WhatsApp group's last twelve months (about 3,000 lines: questions, proposals, shares
  of the coop's links, complaints while the SHU payout is delayed, chatter, media, system lines),
  written as an Android export and imported through :func:`collectors.whatsapp.import_chat`, so
  the demo goes through the same parsing, matching and classification as a real export.

Everything is marked as demo data (``is_demo`` on members, events, the import runs, the chat
group and its senders), so :func:`citra.store.demo.remove_demo_data` removes it all and
nothing else. The step has no ``today`` of its own: it dates everything from the day after the
latest demo mention (so the chat's crisis weeks line up with the mentions' crisis).
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from citra.privacy import phone_hash
from citra.profile import Organisation
from citra.queries import demo as demo_queries
from citra.queries.organisations import get_self
from citra.store import member_registry as member_store
from citra.store.imports import import_run

LOCAL = ZoneInfo("Asia/Jakarta")
MEMBERS = 600
YEARS = 10  # how far back members joined
CHAT_DAYS = 365
RAT_ATTENDANCE = (0.45, 0.55)  # share of active members at the older and the latest RAT

# (branch, member-number prefix, share of members, how readily its members turn up)
BRANCHES = (
    ("Sleman", "SLM", 0.30, 1.0),
    ("Bantul", "BTL", 0.24, 0.9),
    ("Klaten", "KLT", 0.20, 0.8),
    ("Magelang", "MGL", 0.15, 0.65),
    ("Wonosari", "WNS", 0.11, 1.3),
)
MEN = (
    "Budi", "Agus", "Joko", "Slamet", "Bambang", "Heru", "Eko", "Rudi", "Wahyu", "Hendra",
    "Yusuf", "Ahmad", "Rizki", "Fajar", "Arif", "Teguh", "Sugeng", "Suparman", "Priyo", "Bayu",
    "Dimas", "Andi", "Imam", "Taufik", "Anton", "Gilang", "Purnomo", "Hadi", "Yanto", "Sutrisno",
)  # fmt: skip
WOMEN = (
    "Sri", "Siti", "Dewi", "Rina", "Endang", "Sumarni", "Wulan", "Ayu", "Nur", "Lestari",
    "Yuni", "Tri", "Ratna", "Eka", "Fitri", "Indah", "Kartika", "Suharti", "Wati", "Ani",
    "Dian", "Puspita", "Retno", "Anisa", "Putri", "Sari", "Rahayu", "Mega", "Intan", "Novi",
)  # fmt: skip
MIDDLE = ("Dwi", "Tri", "Nur", "Putra", "Ayu", "Indra", "Kusuma", "Sari", "Adi", "Puji")
FAMILY = (
    "Santoso", "Wahyuni", "Susanto", "Prasetyo", "Setiawan", "Rahmawati", "Hidayat", "Kurniawan",
    "Purwanto", "Lestari", "Nugroho", "Wibowo", "Utami", "Saputra", "Hartono", "Suryani",
    "Handayani", "Sulistyo", "Widodo", "Pratiwi", "Maryono", "Astuti", "Supriyadi", "Fauzi",
    "Hakim", "Nurhayati", "Permana", "Sutrisno", "Yulianti", "Wijaya",
)  # fmt: skip

# Chat lines by what they are meant to be (tests check the importer's classifier agrees).
# {b} a branch, {site} the coop's website, {ig} its Instagram handle, {n} a number.
QUESTIONS = (
    "Kapan jadwal RAT tahun ini?",
    "Mohon info, syarat pinjaman modal usaha apa saja",
    "Cabang {b} buka hari Sabtu nggak ya?",
    "Berapa bunga pinjaman sekarang?",
    "Numpang tanya, setoran simpanan wajib bisa lewat transfer",
    "Apakah ada pelatihan UMKM bulan depan?",
    "Gimana cara daftar anggota untuk saudara saya?",
    "Kalau mau ambil simpanan sukarela harus ke cabang {b} atau bisa di cabang lain?",
)
CRISIS_QUESTIONS = (
    "Kapan SHU cair? Sudah lewat jadwalnya",
    "Benarkah koperasi mau gagal bayar?",
    "Ada info resmi dari pengurus soal SHU",
    "Pengurus kapan kasih penjelasan soal SHU?",
    "Apa benar ada gugatan PKPU ke koperasi kita?",
)
PROPOSALS = (
    "Usul, pengurus bikin pelatihan jualan online buat anggota",
    "Sebaiknya angsuran bisa dibayar lewat aplikasi",
    "Bagaimana kalau RAT tahun depan disiarkan juga lewat YouTube",
    "Saran saya, laporan keuangan dibagikan di grup ini tiap triwulan",
    "Perlu ada loket khusus lansia di cabang {b}",
)
CRISIS_PROPOSALS = (
    "Sebaiknya pengurus segera adakan pertemuan terbuka soal SHU",
    "Usul ada audit independen biar anggota tenang",
)
SHARES = (
    "Info terbaru dari koperasi kita {site}/berita/jadwal-layanan-cabang-{b_slug}",
    "Cek postingan ini https://www.instagram.com/{ig}/p/C{n}xY/",
    "Diteruskan\nJadwal layanan cabang {b} pekan ini buka sampai pukul 15.00",
    "Pendaftaran pelatihan UMKM sudah dibuka {site}/pelatihan",
)
RECOVERY_SHARES = (
    "Alhamdulillah hasil audit sudah keluar {site}/berita/hasil-audit-independen",
    "Aplikasi baru sudah bisa diunduh {site}/aplikasi",
    "Diteruskan\nPengumuman: SHU tahun buku sudah dibayarkan ke rekening anggota",
)
COMPLAINTS = (
    "Aplikasi tabungan error lagi dari pagi",
    "Pencairan pinjaman lambat sekali, sudah dua minggu",
    "Antrian di cabang {b} parah, sistemnya gangguan terus",
)
CRISIS_COMPLAINTS = (
    "SHU belum cair juga, kecewa",
    "Sudah telat dua bulan, pengurus belum ada kabar",
    "Kecewa, telepon ke kantor cabang {b} tidak ada yang angkat",
    "Transfer SHU saya belum masuk padahal katanya minggu lalu",
    "Pengurus tidak jelas, SHU terlambat terus",
)
CHATTER = (
    "Terima kasih infonya 🙏",
    "Aamiin",
    "Siap, matur nuwun",
    "Selamat pagi bapak ibu anggota",
    "Mantap",
    "Alhamdulillah",
    "Sudah saya transfer ya",
    "Oke siap",
    "Semoga koperasi kita makin maju",
    "Hubungi saya di 0812 3456 7890 untuk pesanan kue lebaran",
)
RECOVERY_CHATTER = (
    "Alhamdulillah SHU sudah masuk, terima kasih pengurus",
    "Aplikasinya enak dipakai, cek angsuran jadi gampang",
)
REPLIES = (
    "Baik Bu, kami cek dulu ya",
    "Sudah diumumkan kemarin Pak, silakan dilihat di atas",
    "Jadwalnya Sabtu pukul 08.00 sampai 12.00",
    "Bisa Pak, lewat transfer ke rekening koperasi",
    "Silakan datang ke cabang terdekat dengan membawa KTP",
)
CRISIS_REPLIES = (
    "Mohon maaf atas keterlambatan SHU, pengurus sedang menyiapkan penjelasan resmi",
    "Pengurus akan mengumumkan jadwal pembayaran SHU dalam pekan ini",
)
MEDIA = "<Media tidak disertakan>"
DELETED = "Pesan ini telah dihapus"
ADMIN = "Admin Tunas Makmur"


@dataclass
class DemoMember:
    """One generated member, before and after it is written."""

    member_no: str
    name: str
    join_date: date
    status: str
    branch: str
    turnout: float  # how readily this member attends, relative to the others
    phones: list[str] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)
    id: int = 0


def _rat_date(year: int) -> date:
    """The RAT of ``year``: the first Saturday on or after 15 March."""
    day = date(year, 3, 15)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _name(rng: random.Random) -> str:
    given = rng.choice(MEN if rng.random() < 0.5 else WOMEN)
    parts = [given]
    if rng.random() < 0.4:
        parts.append(rng.choice(MIDDLE))
    parts.append(rng.choice(FAMILY))
    return " ".join(dict.fromkeys(parts))  # "Nur Nur Hidayat" reads as "Nur Hidayat"


def generate_members(rng: random.Random, today: date) -> list[DemoMember]:
    """About :data:`MEMBERS` members, oldest member first (numbers follow the join order)."""
    first_day = today - timedelta(days=round(YEARS * 365.25))
    span = (today - timedelta(days=20) - first_day).days
    drafts = []
    for _ in range(MEMBERS):
        branch = rng.choices(BRANCHES, weights=[b[2] for b in BRANCHES])[0]
        # More members joined in recent years than ten years ago.
        joined = first_day + timedelta(days=int(span * rng.random() ** 0.75))
        drafts.append((joined, branch))
    drafts.sort(key=lambda d: d[0])
    serials: dict[str, int] = {}
    members = []
    handles_taken: set[str] = set()
    for index, (joined, (branch, code, _share, turnout)) in enumerate(drafts):
        serials[code] = serials.get(code, 0) + 1
        age = (today - joined).days / 365.25
        roll = rng.random()
        status = "left" if roll < 0.02 + 0.006 * age else "active"
        if status == "active" and rng.random() < 0.03 + 0.01 * age:
            status = "inactive"
        member = DemoMember(
            member_no=f"{code}-{joined.year}-{serials[code]:04d}",
            name=_name(rng),
            join_date=joined,
            status=status,
            branch=branch,
            turnout=turnout * (1.3 if age > 5 else 1.0) * rng.uniform(0.5, 1.5),
        )
        if rng.random() < 0.72:
            member.phones.append(
                f"+62 81{index % 10}-{1000 + index:04d}-{rng.randrange(10000):04d}"
            )
            if rng.random() < 0.05:
                member.phones.append(f"08{rng.randrange(52, 59)}{rng.randrange(10**8):08d}")
        if rng.random() < 0.22:
            given, family = member.name.split()[0], member.name.split()[-1]
            handle = f"{given}.{family}{rng.randrange(10, 99)}".lower()
            if handle not in handles_taken:
                handles_taken.add(handle)
                member.handles["instagram"] = handle
        members.append(member)
    return members


def give_author_handles(
    rng: random.Random, members: list[DemoMember], authors: list[tuple[str, str]]
) -> list[DemoMember]:
    """Give about two thirds of the demo mentions' authors to long-standing active members (all
    the platforms each author posted on), so their posts count as public shares. Returns them."""
    by_handle: dict[str, list[str]] = {}
    for platform, handle in authors:
        by_handle.setdefault(handle, []).append(platform)
    chosen = [h for i, h in enumerate(sorted(by_handle)) if i % 3 != 2]
    newest = members[-1].join_date if members else date.max
    veterans = [
        m for m in members if m.status == "active" and (newest - m.join_date).days > 2 * 365
    ]
    picked = rng.sample(veterans, min(len(chosen), len(veterans)))
    for member, handle in zip(picked, chosen, strict=False):
        for platform in by_handle[handle]:
            member.handles[platform] = handle
        member.turnout *= 3  # the coop's public fans also come to the RAT
    return picked


def write_registry(db: Database, members: list[DemoMember]) -> int:
    """Write the members under one demo import run; returns the run's id."""
    with import_run(
        db, kind="members", file_name="Daftar anggota (demo)", format="demo", is_demo=True
    ) as run:
        for member in members:
            member_store.upsert_member(
                db,
                member_no=member.member_no,
                name=member.name,
                join_date=member.join_date.isoformat(),
                status=member.status,
                branch=member.branch,
                phone_hashes=[d for d in (phone_hash(db, p) for p in member.phones) if d],
                handles=member.handles,
                import_id=run.id,
                is_demo=True,
            )
            member.id = member_store.find_member_id(db, member.member_no)
            run.added += 1
    return run.id


def _weighted_sample(rng: random.Random, members: list[DemoMember], count: int) -> list[DemoMember]:
    # Efraimidis-Spirakis: exactly `count` members, the readier ones likelier to be drawn.
    keyed = sorted(members, key=lambda m: rng.random() ** (1 / m.turnout), reverse=True)
    return keyed[:count]


def write_events(db: Database, rng: random.Random, members: list[DemoMember], today: date) -> None:
    """Two RATs (the two latest before ``today``) and a training every two months at a branch,
    with their attendance under one demo import run."""
    year = today.year if _rat_date(today.year) <= today - timedelta(days=14) else today.year - 1
    with import_run(
        db, kind="attendance", file_name="Daftar hadir (demo)", format="demo", is_demo=True
    ) as run:
        for held, share, ask, propose in (
            (_rat_date(year - 1), RAT_ATTENDANCE[0], 0.10, 0.04),
            (_rat_date(year), RAT_ATTENDANCE[1], 0.14, 0.06),
        ):
            event = member_store.add_event(
                db,
                f"RAT Tahun Buku {held.year - 1}",
                kind="rat",
                date=held.isoformat(),
                is_demo=True,
            )
            eligible = [m for m in members if m.status == "active" and m.join_date <= held]
            attendees = _weighted_sample(rng, eligible, round(share * len(eligible)))
            # A few who have since become inactive or left were there too (they count no more).
            former = [m for m in members if m.status != "active" and m.join_date <= held]
            attendees += rng.sample(former, len(former) // 4)
            for member in attendees:
                member_store.record_attendance(
                    db,
                    event,
                    member.id,
                    asked=rng.random() < ask,
                    proposed=rng.random() < propose,
                    import_id=run.id,
                )
                run.added += 1
        for months_back in range(2, 26, 2):
            held = today - timedelta(days=round(months_back * 30.4))
            branch = BRANCHES[months_back // 2 % len(BRANCHES)][0]
            event = member_store.add_event(
                db,
                f"Pelatihan UMKM cabang {branch}",
                kind="training",
                date=held.isoformat(),
                is_demo=True,
            )
            local = [
                m
                for m in members
                if m.branch == branch and m.status == "active" and m.join_date <= held
            ]
            for member in _weighted_sample(rng, local, rng.randrange(18, 36)):
                member_store.record_attendance(
                    db, event, member.id, asked=rng.random() < 0.2, import_id=run.id
                )
                run.added += 1


# --- the WhatsApp group -------------------------------------------------------------------------


@dataclass
class Sender:
    label: str  # as the export writes it: a saved contact's name or a phone number
    weight: float


def chat_senders(rng: random.Random, members: list[DemoMember]) -> list[Sender]:
    """Who writes in the group: about 190 members (shown by name, by phone number, or by a
    nickname nobody can match), the coop's admin and a few numbers not in the registry."""
    active = [m for m in members if m.status == "active"]
    in_group = rng.sample(active, min(190, len(active)))
    senders = [Sender(ADMIN, 18.0)]
    for member in sorted(in_group, key=lambda m: m.member_no):
        roll = rng.random()
        if roll < 0.3 and member.phones:
            label = member.phones[0]
        elif roll < 0.87:
            label = member.name
        else:
            title = "Pak" if member.name.split()[0] in MEN else "Bu"
            label = f"{title} {member.name.split()[0]} {member.branch}"
        senders.append(Sender(label, rng.paretovariate(1.3)))
    for index in range(4):
        senders.append(Sender(f"+62 857-{2000 + index:04d}-{rng.randrange(10000):04d}", 1.0))
    return senders


def _phase(day: date, today: date) -> str:
    # The same weeks as the mentions' crisis (citra.demo.Story.crisis): 155 to 110 days ago.
    back = (today - day).days
    if 110 <= back <= 155:
        return "crisis"
    if 50 <= back < 110:
        return "recovery"
    return "normal"


# Per phase: (pool name, weight). Pools are looked up in `_pools`.
MIX = {
    "normal": (("question", 22), ("proposal", 6), ("share", 8), ("complaint", 4), ("other", 44),
               ("media", 12), ("deleted", 2)),
    "crisis": (("question", 24), ("proposal", 6), ("share", 4), ("complaint", 34), ("other", 18),
               ("media", 10), ("deleted", 4)),
    "recovery": (("question", 18), ("proposal", 8), ("share", 16), ("complaint", 4),
                 ("other", 42), ("media", 10), ("deleted", 2)),
}  # fmt: skip


def _pools(phase: str) -> dict[str, tuple[str, ...]]:
    crisis = phase == "crisis"
    recovery = phase == "recovery"
    return {
        "question": QUESTIONS + (CRISIS_QUESTIONS * 3 if crisis else ()),
        "proposal": PROPOSALS + (CRISIS_PROPOSALS * 2 if crisis else ()),
        "share": SHARES + (RECOVERY_SHARES * 2 if recovery else ()),
        "complaint": CRISIS_COMPLAINTS if crisis else COMPLAINTS,
        "other": CHATTER + (RECOVERY_CHATTER * 3 if recovery else ()),
        "media": (MEDIA,),
        "deleted": (DELETED,),
    }


def render(template: str, rng: random.Random, coop: Organisation | None) -> str:
    """A chat line from ``template``: a branch, the coop's website and Instagram filled in."""
    branch = rng.choice(BRANCHES)[0]
    website = (coop.website if coop else None) or "https://koperasi.example"
    instagram = (coop.accounts.get("instagram", "") if coop else "").lstrip("@") or "koperasi"
    return template.format(
        b=branch,
        b_slug=branch.lower().replace(" ", "-"),
        site=website.rstrip("/"),
        ig=instagram,
        n=rng.randrange(100, 999),
    )


def _stamp(moment: datetime) -> str:
    # Android, Indonesian locale: "23/11/26 08.15 - ".
    return moment.strftime("%d/%m/%y %H.%M")


def chat_export(
    rng: random.Random, members: list[DemoMember], today: date, coop: Organisation | None
) -> str:
    """The group's last :data:`CHAT_DAYS` days as the text of an Android chat export."""
    senders = chat_senders(rng, members)
    people = senders[1:]
    weights = [s.weight for s in people]
    lines: list[tuple[datetime, str]] = []
    start = today - timedelta(days=CHAT_DAYS)
    opened = datetime.combine(start, time(7, 0))
    lines.append(
        (
            opened,
            f"{_stamp(opened)} - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang "
            "pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.",
        )
    )
    for offset in range(CHAT_DAYS):
        day = start + timedelta(days=offset)
        phase = _phase(day, today)
        weekend = day.weekday() >= 5
        expected = 6.5 * (0.6 if weekend else 1.0) * {"crisis": 3.2, "recovery": 1.4}.get(phase, 1)
        pools = _pools(phase)
        kinds, kind_weights = zip(*MIX[phase], strict=True)
        for _ in range(int(expected + rng.random())):
            moment = datetime.combine(day, time(5, 30)) + timedelta(minutes=rng.randrange(1020))
            sender = rng.choices(people, weights=weights)[0]
            kind = rng.choices(kinds, weights=kind_weights)[0]
            text = render(rng.choice(pools[kind]), rng, coop)
            if kind in ("question", "proposal", "complaint") and rng.random() < 0.03:
                text += " <Pesan ini diedit>"
            lines.append((moment, f"{_stamp(moment)} - {sender.label}: {text}"))
            if kind == "question" and rng.random() < 0.75:
                replies = CRISIS_REPLIES + REPLIES if phase == "crisis" else REPLIES
                answer = moment + timedelta(minutes=rng.randrange(3, 600))
                who = ADMIN if rng.random() < 0.7 else rng.choices(people, weights=weights)[0].label
                lines.append((answer, f"{_stamp(answer)} - {who}: {rng.choice(replies)}"))
        if rng.random() < 0.12:  # somebody joins, is added or leaves
            moment = datetime.combine(day, time(9)) + timedelta(minutes=rng.randrange(600))
            label = rng.choice(people).label
            event = rng.choice(
                (
                    f"{label} bergabung menggunakan tautan undangan grup ini",
                    f"{ADMIN} menambahkan {label}",
                    f"{label} keluar",
                )
            )
            lines.append((moment, f"{_stamp(moment)} - {event}"))
    lines.sort(key=lambda line: line[0])
    return "".join(text + "\n" for _, text in lines)


def import_group_history(
    db: Database, rng: random.Random, members: list[DemoMember], today: date
) -> dict[str, object]:
    """Write the group's export to a temporary file and import it through the WhatsApp
    importer, marked as demo data; returns the importer's summary."""
    # Imported here, not at the top: citra's core does not depend on collectors, and only the
    # demo needs to run a real export through the importer.
    from collectors.whatsapp import import_chat

    coop = get_self(db)
    group = f"Anggota {coop.name}" if coop else "Anggota Koperasi"
    text = chat_export(rng, members, today, coop)
    with tempfile.TemporaryDirectory(prefix="citra-demo-") as folder:
        path = Path(folder) / f"WhatsApp Chat with {group}.txt"
        path.write_text(text, encoding="utf-8")
        return import_chat(db, path, group=group, is_demo=True)


def seed_members(db: Database, rng: random.Random) -> None:
    """The members area's demo step (see the module docstring); runs inside
    :func:`citra.demo.build_demo`'s transaction, after the demo coop and mentions exist."""
    last = demo_queries.demo_last_day(db)
    today = last + timedelta(days=1) if last else datetime.now(LOCAL).date()
    members = generate_members(rng, today)
    give_author_handles(rng, members, demo_queries.demo_mention_authors(db))
    write_registry(db, members)
    write_events(db, rng, members, today)
    import_group_history(db, rng, members, today)
