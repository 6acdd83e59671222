"""The one handle rule (``citra.handles``), and SQL that compares what it wrote and nothing else."""

from __future__ import annotations

import itertools

import pytest
from sqlite_utils import Database

from citra.chat_classification import ShareTargets, classify_message
from citra.handles import normalise_handle
from citra.profile import Organisation
from citra.store.member_registry import upsert_member
from citra.store.mentions import insert_mentions, mention_id
from citra.store.organisations import set_profile


@pytest.mark.parametrize(
    ("handle", "key"),
    [
        (" @KopSejahtera ", "kopsejahtera"),
        ("@@x", "x"),
        ("@ @x", "x"),
        ("x@y", "x@y"),  # only leading @ signs go
        ("\uff20\uff2b\uff4f\uff50", "kop"),  # full-width "＠Ｋｏｐ"
        ("\u0130stanbul", "i\u0307stanbul"),  # "İ" folds the Unicode way, as SQL's lower() cannot
        ("KÖPERASI", "köperasi"),
        ("Straße", "strasse"),
        ("kop.sejahtera\t \n", "kop.sejahtera"),
        ("\ufeff@kop\u200b", "kop"),  # a BOM and a zero-width space from a spreadsheet
        ("\u00a0@kop\u00a0", "kop"),  # no-break spaces
        ("Budi Santoso", "budi santoso"),  # a chat sender's name keeps its inner space
        ("@", ""),
        ("   ", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_handle(handle: str | None, key: str) -> None:
    assert normalise_handle(handle) == key
    assert normalise_handle(key) == key  # idempotent


TRICKY = [
    " @KopSejahtera ",
    "kopsejahtera",
    "@@kopsejahtera",
    "\uff20kopsejahtera",
    "KOPSEJAHTERA\t",
    "\u0130ndah",
    "i\u0307ndah",
    "INDAH",
    "Straße",
    "strasse",
    "",
]


def test_sql_and_python_agree_on_tricky_handles(db: Database) -> None:
    """Every tricky handle as a member's handle against every tricky handle as a mention's
    author: the shares the triggers keep are exactly the pairs Python calls the same account."""
    coop = set_profile(db, name="KSP Sejahtera").id
    members = {}
    for number, handle in enumerate(TRICKY):
        # One member per distinct key (a handle belongs to one member).
        if normalise_handle(handle) and normalise_handle(handle) not in members.values():
            upsert_member(db, member_no=f"M{number}", handles={"instagram": handle})
            members[f"M{number}"] = normalise_handle(handle)
    insert_mentions(
        db,
        [
            {
                "id": mention_id("instagram", native_id=str(n)),
                "platform": "instagram",
                "text": f"post {n}",
                "author_handle": author,
                "organisation_id": coop,
                "published_at": "2026-11-20T03:00:00Z",
            }
            for n, author in enumerate(TRICKY)
        ],
    )
    shares = set(
        db.execute(
            "SELECT m.author_handle, s.member_no FROM member_public_shares p "
            "JOIN mentions m ON m.id = p.mention_id JOIN members s ON s.id = p.member_id"
        )
    )
    expected = {
        (author, member_no)
        for author, (member_no, key) in itertools.product(TRICKY, members.items())
        if normalise_handle(author) == key
    }
    assert shares == expected
    assert len(expected) == 5 + 2 + 1 + 2  # kopsejahtera, i̇ndah, indah, strasse
    stored = {row[0] for row in db.execute("SELECT handle FROM member_handles")}
    assert stored == set(members.values())


def test_sql_never_normalises_a_handle(db: Database) -> None:
    """Triggers, indexes and views that touch handles only compare the keys Python wrote."""
    statements = [
        sql.lower()
        for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('trigger', 'index', 'view') "
            "AND (sql LIKE '%handle%' OR sql LIKE '%author_key%')"
        )
    ]
    assert len(statements) >= 7  # the six public-share triggers and the author-key index
    for sql in statements:
        assert not any(call in sql for call in ("lower(", "upper(", "trim(", "replace(")), sql


def test_share_links_and_own_accounts_use_the_same_rule() -> None:
    coop = Organisation(
        id=1, name="KSP Sejahtera", kind="self", accounts={"instagram": " \uff20KopSejahtera "}
    )
    targets = ShareTargets.from_profile(coop)
    assert targets.handles == ("kopsejahtera",)
    assert classify_message("lihat https://www.instagram.com/@KOPSEJAHTERA/", targets) == "share"
