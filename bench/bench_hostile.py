"""Benchmark: the hostile files and faults of issue 18, each at full size, with peak memory and time.

Each case writes its file (streamed, in a process of its own), then imports it in another
subprocess, so that the peak resident memory printed is that case's alone (``os.wait4``; the
parent stays small, since a child's peak starts at its parent's size). Targets:
any input file up to 100 MB refused or imported within 2 minutes with a peak of 400 MB or less and
never an uncaught exception; a writer meeting a busy database waits the configured time, then
exit 2; ``collect`` ends within its budget plus 5 s.

    python bench/bench_hostile.py                # every case (about 3 GB of temporary files)
    python bench/bench_hostile.py tweets flat    # cases whose name contains a word
    python bench/bench_hostile.py --list
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
ROW = "2024-03-{day:02d} 10:{minute:02d},Koperasi Sejahtera melayani anggota dengan baik {i},https://warta.id/{i}\n"
CHAT_LINE = "31/12/24 10.{m:02d} - Anggota {i}: Kapan SHU dibagikan, pak? Terima kasih infonya\n"


# --- files ------------------------------------------------------------------------------------


def _csv_rows(handle, start: int, count: int) -> None:
    for i in range(start, start + count):
        handle.write(ROW.format(day=1 + i % 28, minute=i % 60, i=i))


def unterminated_quote_small(path: Path) -> None:
    """The issue's case: an unterminated quote at line 2 of 1,001 rows."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("date,text,url\n")
        handle.write('2024-03-01 10:00,"Kutip tidak ditutup,https://warta.id/0\n')
        _csv_rows(handle, 1, 1000)


def unterminated_quote_100mb(path: Path) -> None:
    """100 MB of rows with an unterminated quote at line 2."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("date,text,url\n")
        handle.write('2024-03-01 10:00,"Kutip tidak ditutup,https://warta.id/0\n')
        i = 1
        while handle.tell() < 100 * MB:
            _csv_rows(handle, i, 10_000)
            i += 10_000


def swallowed_rows(path: Path) -> None:
    """A quote opened at line 2 and closed by another row's quoted cell 500 lines later."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("date,text,url\n")
        handle.write('2024-03-01 10:00,"Kutip tidak ditutup,https://warta.id/0\n')
        _csv_rows(handle, 1, 500)
        handle.write('2024-03-02 10:00,"ditutup di sini",https://warta.id/x\n')
        _csv_rows(handle, 501, 500)


def csv_25m_fields(path: Path) -> None:
    """A 50 MB line of 25 million tiny fields between ordinary rows."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("date,text,url\n")
        _csv_rows(handle, 0, 100)
        handle.write("2024-03-01 10:00,teks")
        for _ in range(25):
            handle.write(",a" * 1_000_000)
        handle.write("\n")
        _csv_rows(handle, 100, 100)


def flat_1gib(path: Path) -> None:
    """1 GiB without a single line break."""
    block = b"a" * MB
    with path.open("wb") as handle:
        for _ in range(1024):
            handle.write(block)


def random_100mb(path: Path) -> None:
    """100 MB of random bytes under a .csv name."""
    with path.open("wb") as handle:
        for _ in range(100):
            handle.write(os.urandom(MB))


def truncated_zip(path: Path) -> None:
    """A 100 MB zip of exports cut in half (its central directory lost)."""
    whole = path.with_suffix(".whole")
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_STORED) as archive:
        for part in range(2):
            with archive.open(f"export-{part}.bin", "w") as member:
                for _ in range(50):
                    member.write(os.urandom(MB))
    with whole.open("rb") as source, path.open("wb") as target:
        target.write(source.read(whole.stat().st_size // 2))
    whole.unlink()


def tweets_300mb_text(path: Path) -> None:
    """``tweets.js`` whose first tweet has one 300 MB text."""
    with path.open("wb") as handle:
        handle.write(b'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "')
        block = b"koperasi sejahtera " * (MB // 19)
        for _ in range(300):
            handle.write(block)
        handle.write(b'", "created_at": "Wed Oct 10 20:19:24 +0000 2018"}},')
        handle.write(
            b'{"tweet": {"id_str": "2", "full_text": "biasa", '
            b'"created_at": "Wed Oct 10 20:20:24 +0000 2018"}}]'
        )


def whatsapp_zip_bomb(path: Path) -> None:
    """A WhatsApp chat zip of about 400 KB expanding 1,000:1."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("WhatsApp Chat with Anggota.txt", "w", force_zip64=True) as member,
    ):
        member.write(CHAT_LINE.format(m=0, i=0).encode())
        block = b" " * MB
        for _ in range(400):
            member.write(block)


def tweets_nested(path: Path) -> None:
    """``tweets.js`` of 10 MB nested 5,000,000 levels deep."""
    path.write_bytes(b"window.YTD.tweets.part0 = [" + b"[" * 5_000_000 + b"]" * 5_000_000 + b"]")


def xlsx_nested(path: Path) -> None:
    """An XLSX of about 10 MB whose sheet opens 3,000,000 elements without closing one."""
    import random

    rng = random.Random(1)
    names = [bytes(rng.choice(b"abcdefghijklmnop") for _ in range(5)) for _ in range(5000)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _sheet_parts(1, 1).items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData><row r="1">'
            )
            for i in range(3_000_000):
                member.write(b"<" + names[i % 5000] + b">")


def zip_million_members(path: Path) -> None:
    """A zip of 1,000,000 empty members (about 90 MB, all of it a list of contents)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for i in range(1_000_000):
            archive.writestr(f"{i}", b"")


def _sheet_parts(strings: int, length: int) -> dict[str, bytes]:
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = b"http://schemas.openxmlformats.org/package/2006/relationships"
    doc = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kind = b"application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        b'.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
        b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
        + kind
        + b'.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="'
        + kind
        + b'.sharedStrings+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="' + rels + b'"><Relationship '
        b'Id="rId1" Type="' + doc + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="'
        + main
        + b'" xmlns:r="'
        + doc
        + b'"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="'
        + rels
        + b'"><Relationship Id="rId1" Type="'
        + doc
        + b'/worksheet" Target="worksheets/sheet1.'
        b'xml"/><Relationship Id="rId2" Type="' + doc + b'/sharedStrings" Target="sharedStrings'
        b'.xml"/></Relationships>',
    }


def _workbook(path: Path, strings: int, length: int, dtd: bytes = b"", rows: int = 3) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _sheet_parts(strings, length).items():
            archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0"?>' + dtd + b'<sst xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main">'
            )
            member.write(b"<si><t>No Anggota</t></si><si><t>Nama</t></si>")
            batch = []
            for i in range(strings):
                batch.append(b"<si><t>" + (b"A%d " % i).ljust(length, b"x") + b"</t></si>")
                if len(batch) == 10_000:
                    member.write(b"".join(batch))
                    batch = []
            member.write(b"".join(batch) + (b"<si><t>&lol9;</t></si>" if dtd else b"") + b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            member.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats'
                b'.org/spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData>'
            )
            member.write(
                b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            )
            for r in range(2, rows + 2):
                member.write(
                    b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c></row>'
                    % (r, r, 2 + r % max(strings, 1), r, 2 + (r + 1) % max(strings, 1))
                )
            member.write(b"</sheetData></worksheet>")


def xlsx_180mb_shared_strings(path: Path) -> None:
    """An XLSX of about 23 MB whose shared-strings part is 180 MB."""
    _workbook(path, strings=9_000_000, length=8)


def xlsx_understated_dimension(path: Path) -> None:
    """A member registry of 100 rows whose <dimension> says 3."""
    _workbook(path, strings=100, length=12, rows=100)


def xlsx_90mb_cell(path: Path) -> None:
    """An XLSX of about 70 MB whose sheet holds one cell of 90 MB (random text)."""
    import base64

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _sheet_parts(1, 1).items():
            archive.writestr(name, data)
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main"><si><t>Date</t></si><si><t>Content</t></si></sst>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
                b'<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>'
                b'2024-03-01</t></is></c><c r="B2" t="inlineStr"><is><t>'
            )
            for _ in range(90):
                member.write(base64.b64encode(os.urandom(786_432)))
            member.write(b"</t></is></c></row></sheetData></worksheet>")


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (n, b"".join(b"&lol%s;" % (b"" if n == 2 else b"%d" % (n - 1)) for _ in range(10)))
        for n in range(2, 10)
    )
    + b"]>"
)
XXE = b'<!DOCTYPE x [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>'


def xlsx_billion_laughs(path: Path) -> None:
    """An XLSX whose shared strings declare a billion-laughs DTD."""
    _workbook(path, strings=10, length=8, dtd=LAUGHS)


def xlsx_xxe(path: Path) -> None:
    """An XLSX whose shared strings declare an external entity (XXE)."""
    _workbook(path, strings=10, length=8, dtd=XXE)


# --- what a case runs (in its own process) ----------------------------------------------------


def run_import(path: str, db_path: str, how: str) -> dict:
    from citra import store
    from citra.errors import CitraError
    from citra.store.organisations import set_profile

    db = store.open_db(db_path)
    set_profile(db, name="KSP Sejahtera", keywords=["Koperasi Sejahtera"])
    try:
        if how == "members":  # as `citra members import` runs it
            import citra.cli  # noqa: F401 - registers the commands (members imports the cli)
            from citra.commands.members import _recorded
            from collectors.member_registry import import_registry

            summary = _recorded(db, "members", path, lambda: import_registry(db, path))
            outcome = {"outcome": "imported", "added": summary["added"]}
        else:
            from collectors.importer import import_path

            summary = import_path(db, path)
            outcome = {
                "outcome": "imported",
                "added": summary["added"],
                "rejected": summary["rejected_count"],
                "notes": [f"{e['where']}: {e['reason']}"[:110] for e in summary["rejected"][:2]],
            }
            if "messages" in summary:
                outcome["messages"] = summary["messages"]
    except CitraError as exc:
        outcome = {"outcome": "refused", "message": str(exc)[:150]}
    history = db.execute("SELECT status FROM imports ORDER BY id DESC LIMIT 1").fetchone()
    outcome["history"] = history[0] if history else None
    return outcome


def _slow_header_server() -> int:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def handle(connection: socket.socket) -> None:
        try:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: " + (
                b"a" * 100_000
            ):
                connection.send(bytes([byte]))
                time.sleep(1.0)
        except OSError:
            pass

    def serve() -> None:
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def run_collect(_: str, db_path: str, budget: str) -> dict:
    from citra import store
    from citra.store.news import add_feed
    from collectors.rss import collect

    port = _slow_header_server()
    db = store.open_db(db_path)
    add_feed(db, f"http://127.0.0.1:{port}/feed.xml")
    started = time.monotonic()
    summary = collect(db, budget=float(budget))
    return {
        "outcome": f"collect ended after {time.monotonic() - started:.1f} s (budget {budget} s)",
        "message": summary.per_feed[0].errors[0],
    }


def run_busy(_: str, db_path: str, wait: str) -> dict:
    from citra import store

    store.open_db(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a long import holding the write lock
    env = {**os.environ, "CITRA_BUSY_TIMEOUT": wait}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "citra", "--db", db_path, "feeds", "add", "https://warta.id/rss"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    holder.execute("ROLLBACK")
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return {
        "outcome": f"exit {done.returncode} after {time.monotonic() - started:.1f} s "
        f"(CITRA_BUSY_TIMEOUT={wait})",
        "message": f"{len(lines) - 1} waiting notices, then: {lines[-1][:120]}",
    }


CASES: list[tuple[str, Callable[[Path], None] | None, str, str]] = [
    ("csv unterminated quote, 1,001 rows", unterminated_quote_small, "import", ".csv"),
    ("csv unterminated quote, 100 MB", unterminated_quote_100mb, "import", ".csv"),
    ("csv quote swallowing 500 rows", swallowed_rows, "import", ".csv"),
    ("csv 50 MB line of 25 million fields", csv_25m_fields, "import", ".csv"),
    (
        "xlsx dimension says 3 of 100 rows (registry)",
        xlsx_understated_dimension,
        "members",
        ".xlsx",
    ),
    ("xlsx 180 MB shared strings (mentions)", xlsx_180mb_shared_strings, "import", ".xlsx"),
    ("xlsx 180 MB shared strings (registry)", xlsx_180mb_shared_strings, "members", ".xlsx"),
    ("xlsx with one 90 MB cell", xlsx_90mb_cell, "import", ".xlsx"),
    ("xlsx nesting 3,000,000 elements", xlsx_nested, "import", ".xlsx"),
    ("xlsx billion laughs", xlsx_billion_laughs, "import", ".xlsx"),
    ("xlsx XXE", xlsx_xxe, "members", ".xlsx"),
    ("whatsapp zip 400 KB expanding 1,000:1", whatsapp_zip_bomb, "import", ".zip"),
    ("flat 1 GiB without a line break", flat_1gib, "import", ".txt"),
    ("tweets.js with one 300 MB text", tweets_300mb_text, "import", ".js"),
    ("tweets.js nested 5,000,000 deep", tweets_nested, "import", ".js"),
    ("random bytes, 100 MB", random_100mb, "import", ".csv"),
    ("zip of 100 MB cut in half", truncated_zip, "import", ".zip"),
    ("zip of 1,000,000 empty members", zip_million_members, "import", ".zip"),
    ("feed sending headers at 1 byte/s", None, "collect:30", ""),
    ("busy database, a writer waiting", None, "busy:10", ""),
]


def _child(case: str, path: str, db_path: str) -> None:
    how = next(how for name, _, how, _ in CASES if name == case)
    kind, _, arg = how.partition(":")
    runner = {"import": run_import, "members": run_import, "collect": run_collect}.get(kind)
    result = (
        runner(path, db_path, kind if kind in ("import", "members") else arg)
        if runner
        else run_busy(path, db_path, arg)
    )
    print(json.dumps(result, ensure_ascii=False))


def _measure(case: str, path: Path, db_path: Path) -> tuple[dict, float, float]:
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", case, str(path), str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    out = child.stdout.read() if child.stdout else b""
    err = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    if status != 0 or not out.strip():
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return {"outcome": "CRASHED", "message": tail[0][:150]}, seconds, usage.ru_maxrss / 1024
    return json.loads(out.decode().strip().splitlines()[-1]), seconds, usage.ru_maxrss / 1024


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        _child(*args[1:4])
        return
    if args[:1] == ["--make"]:  # files are written in a process of their own too: a child's
        make = next(make for name, make, _, _ in CASES if name == args[1])  # peak starts at
        assert make is not None  # its parent's size (fork), so the parent must stay small
        make(Path(args[2]))
        return
    if args[:1] == ["--list"]:
        for name, make, _, _ in CASES:
            print(f"{name}: {make.__doc__ if make else 'a fault, no file'}")
        return
    chosen = [c for c in CASES if not args or any(a.lower() in c[0].lower() for a in args)]
    print(f"{'case':<46} {'input':>9} {'time':>8} {'peak':>8}  outcome")
    for name, make, _, suffix in chosen:
        with tempfile.TemporaryDirectory(prefix="citra-hostile-") as folder:
            path = Path(folder) / f"input{suffix}"
            if "whatsapp" in name:
                path = Path(folder) / "WhatsApp Chat with Anggota.zip"
            if make is not None:
                subprocess.run([sys.executable, __file__, "--make", name, str(path)], check=True)
            size = f"{path.stat().st_size / MB:,.1f} MB" if path.exists() else "-"
            result, seconds, peak = _measure(name, path, Path(folder) / "citra.db")
        detail = {k: v for k, v in result.items() if k != "outcome"}
        print(f"{name:<46} {size:>9} {seconds:>6.1f} s {peak:>5,.0f} MB  {result['outcome']}")
        for key, value in detail.items():
            print(f"{'':<46} {'':>9} {'':>8} {'':>8}    {key}: {value}")


if __name__ == "__main__":
    main()
