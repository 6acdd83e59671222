"""Bad input: a clear message saying what and where, and nothing half-written."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from citra.errors import ImportRejected
from collectors import safezip
from collectors.importer import import_path
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
TWEET = (
    '{"tweet": {"id_str": "%d", "full_text": "tweet %d", '
    '"created_at": "Wed Oct 10 20:19:24 +0000 2018"}}'
)


def _counts(db) -> tuple[int, int]:
    mentions = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    done = db.execute("SELECT count(*) FROM imports WHERE status = 'done'").fetchone()[0]
    return mentions, done


def _tweets_js(count: int) -> str:
    return "window.YTD.tweets.part0 = [" + ",".join(TWEET % (i, i) for i in range(count)) + "]"


BAD_FILES = [
    ("empty.csv", b"", "is empty"),
    ("empty.json", b"", "is empty"),
    ("your_posts_1.json", b"", "is empty"),
    ("random.bin", os.urandom(1) + bytes(range(256)) * 40, "random bytes"),
    ("random.csv", bytes(range(256)) * 40, "random bytes"),
    ("page.csv", b"<!DOCTYPE html><html><body>Login</body></html>", "web page (HTML)"),
    ("tweets.js", _tweets_js(3)[:-40].encode(), "truncated"),
    (
        "your_posts_1.json",
        b'[{"timestamp": 1700000000, "data": [{"post": "a"}]}, {"time',
        "truncated",
    ),
    ("user_data_tiktok.json", b"not json at all", "not JSON"),
    ("only_header.csv", b"date,text,url\r\n", "holds no posts or comments"),
    ("dates.csv", b"date,text\r\nkemarin,a\r\nbesok,b\r\n", "line 2: date not readable"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_refused_clearly(db, tmp_path: Path, name: str, data: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_path(db, path)
    assert _counts(db) == (0, 0)
    failed = db.execute("SELECT status, errors FROM imports").fetchall()
    assert [row[0] for row in failed] == ["failed"]
    assert message.split(":")[0] in json.loads(failed[0][1])[0]["reason"]


def test_table_waiting_for_its_columns_is_not_a_failed_import(db, tmp_path: Path) -> None:
    path = tmp_path / "columns.csv"
    path.write_bytes(b"kolom1,kolom2\r\n2025-11-03,KSP Sejahtera\r\nabc,def\r\n")
    with pytest.raises(ImportRejected, match="could not tell which column"):
        import_path(db, path)
    assert _counts(db) == (0, 0)
    assert db.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    summary = import_path(db, path, mapping={"date": "kolom1", "text": "kolom2"})
    statuses = [row[0] for row in db.execute("SELECT status FROM imports")]
    assert statuses == ["done"] and summary["rejected_count"] == 1


def test_missing_path_and_unknown_format(db, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="does not exist"):
        import_path(db, tmp_path / "nope.csv")
    with pytest.raises(ImportRejected, match="Unknown format 'myspace'"):
        import_path(db, EXPORTS / "mention" / "mention_export.csv", format="myspace")


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("member", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv", "C:/x.csv"])
def test_zip_slip_is_refused(db, tmp_path: Path, member: str) -> None:
    good = (EXPORTS / "mention" / "mention_export.csv").read_bytes()
    archive = _zip(tmp_path / "export.zip", {"ok.csv": good, member: good})
    with pytest.raises(ImportRejected, match="zip slip"):
        import_path(db, archive)
    assert _counts(db) == (0, 0)
    assert not (tmp_path.parent / "evil.csv").exists()


def test_zip_bomb_ratio_is_refused(db, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"data/tweets.js": b" " * (8 * 1024 * 1024)})
    with pytest.raises(ImportRejected, match="zip bomb"):
        import_path(db, archive)
    assert _counts(db) == (0, 0)


def test_zip_bomb_total_is_refused(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 1000)
    members = {f"part{i}.csv": os.urandom(600) for i in range(3)}
    with pytest.raises(ImportRejected, match="would expand to"):
        import_path(db, _zip(tmp_path / "big.zip", members, zipfile.ZIP_STORED))


def test_zip_member_lying_about_its_size_is_stopped(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "liar.zip", {"a.txt": b"x" * 5000}, zipfile.ZIP_STORED)
    with zipfile.ZipFile(archive) as opened:
        info = opened.infolist()[0]
        info.file_size = 100  # a forged header
        stream = safezip.CappedReader(io.BytesIO(b"x" * 5000), info.file_size, "a.txt")
        with pytest.raises(safezip.UnsafeArchive, match="larger than its archive header"):
            stream.read()


def test_zip_of_exports_imports_each_known_file(db, tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "takeout.zip",
        {
            "data/tweets.js": _tweets_js(2).encode(),
            "your_activity/comments.json": (
                EXPORTS / "facebook-2024" / "comments.json"
            ).read_bytes(),
            "media/photo.jpg": os.urandom(2000),
            "__MACOSX/._tweets.js": b"junk",
        },
    )
    summary = import_path(db, archive)
    assert (summary["added"], summary["format"]) == (4, "x+facebook")
    assert summary["skipped"] == ["media/photo.jpg"]


def test_truncated_member_of_a_zip_is_rolled_back_alone(db, tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "mixed.zip",
        {
            "data/tweets.js": _tweets_js(2).encode(),
            "data/tweets-part1.js": _tweets_js(50)[:-300].encode(),
        },
    )
    summary = import_path(db, archive)
    assert summary["added"] == 2
    assert summary["rejected"][0]["where"] == "data/tweets-part1.js"
    assert "truncated" in summary["rejected"][0]["reason"]
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 2


def test_whatsapp_chat_goes_to_the_chat_importer_not_csv(db, tmp_path: Path) -> None:
    chat = tmp_path / "WhatsApp Chat with Anggota.txt"
    chat.write_text(
        "12/31/24, 10:00 - Sari: Kapan RAT, pak?\n"
        "12/31/24, 10:01 - Budi: Sabtu depan, di aula\n"
        "12/31/24, 10:02 - Sari: Siap, terima kasih\n",
        encoding="utf-8",
    )
    summary = import_path(db, chat)
    assert (summary["format"], summary["messages"], summary["added"]) == ("whatsapp", 3, 3)
    assert summary["rejected"] == [] and db["mentions"].count == 0
    again = import_path(db, chat)
    assert (again["added"], again["duplicates"]) == (0, 3)


def test_a_zipped_chat_is_imported_as_whatsapp(db, tmp_path: Path) -> None:
    chat = b"31/12/24 10.00 - Sari: Kapan RAT, pak?\n31/12/24 10.01 - Budi: Sabtu depan, di aula\n"
    archive = _zip(
        tmp_path / "WhatsApp Chat with Anggota.zip", {"WhatsApp Chat with Anggota.txt": chat}
    )
    summary = import_path(db, archive)
    assert (summary["format"], summary["messages"]) == ("whatsapp", 2)


def test_xlsx_inside_a_zip_is_spooled_and_read(db, tmp_path: Path) -> None:
    xlsx = (EXPORTS / "brand24-id" / "ekspor_brand24.xlsx").read_bytes()
    summary = import_path(db, _zip(tmp_path / "brand24.zip", {"ekspor/ekspor.xlsx": xlsx}))
    assert (summary["format"], summary["added"]) == ("brand24", 2)


def test_folder_import_is_one_run(db, tmp_path: Path) -> None:
    folder = tmp_path / "unduhan"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "tweets.js").write_text(_tweets_js(3), encoding="utf-8")
    (folder / "notes.md").write_text("# not an export\n", encoding="utf-8")
    summary = import_path(db, folder)
    assert (summary["added"], summary["skipped"]) == (3, ["notes.md"])
    assert import_path(db, folder)["already_imported"]["id"] == summary["import_id"]


def test_side_files_of_an_archive_are_skipped_not_rejected(db, tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "takeout.zip",
        {
            "Takeout/YouTube/comments/comments.csv": (
                EXPORTS / "youtube-2022" / "comments.csv"
            ).read_bytes(),
            "Takeout/YouTube/subscriptions/subscriptions.csv": (
                b"Channel Id,Channel Url,Channel Title\r\nUC1,https://youtube.com/c/1,Desa\r\n"
            ),
            "your_instagram_activity/likes/liked_posts.json": json.dumps(
                [{"title": "budi", "string_map_data": {"Time": {"timestamp": 1700000000}}}]
            ).encode(),
        },
    )
    summary = import_path(db, archive)
    assert (summary["added"], summary["rejected"]) == (2, [])
    assert sorted(summary["skipped"]) == [
        "Takeout/YouTube/subscriptions/subscriptions.csv",
        "your_instagram_activity/likes/liked_posts.json",
    ]
