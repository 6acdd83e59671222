"""collectors.rss.fetch against golden feeds and misbehaving servers on 127.0.0.1."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fixtures.feeds.server import FeedServer

from collectors.rss import fetch, parse_feed

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
GOLDEN = sorted(p.name.removesuffix(".expected.json") for p in FEEDS.glob("*.expected.json"))


def _feed_file(stem: str) -> str:
    return next(p.name for p in FEEDS.iterdir() if p.stem == stem and ".expected" not in p.name)


@pytest.mark.parametrize("stem", GOLDEN)
def test_golden_feed(server: FeedServer, stem: str) -> None:
    expected = json.loads((FEEDS / f"{stem}.expected.json").read_text("utf-8"))
    before = datetime.now(UTC).replace(microsecond=0)
    result = fetch(f"{server.base}/files/{_feed_file(stem)}", budget=5, timeout=2)
    assert len(result.errors) == len(expected["errors"]), result.errors
    for wanted, got in zip(expected["errors"], result.errors, strict=True):
        assert wanted in str(got)
    for wanted in expected["warnings"]:
        assert any(wanted in str(got) for got in result.warnings), result.warnings
    if not expected["warnings"]:
        assert result.warnings == []
    assert len(result.entries) == len(expected["entries"])
    for want, entry in zip(expected["entries"], result.entries, strict=True):
        got = entry.as_dict()
        for key, value in want.items():
            if key == "title_contains":
                assert value in got["title"]
            elif key == "published_at" and value is None:
                stamped = datetime.fromisoformat(got["published_at"].replace("Z", "+00:00"))
                assert before - timedelta(seconds=1) <= stamped <= datetime.now(UTC)
            else:
                assert got[key] == value, (key, got)


def test_external_entity_is_not_expanded(server: FeedServer) -> None:
    result = fetch(f"{server.base}/files/xxe.xml", budget=5, timeout=2)
    assert "root:" not in json.dumps(result.as_dict())
    assert result.entries and result.entries[0].title.startswith("KSP Sejahtera")
    assert any("the feed has errors" in str(w) for w in result.warnings)


@pytest.mark.parametrize(
    ("stem", "forbidden"), [("entity_bomb", "lollol"), ("quadratic_blowup", "aaaa")]
)
def test_entity_expansion_is_refused_before_parsing(stem: str, forbidden: str) -> None:
    body = (FEEDS / f"{stem}.xml").read_bytes()
    tracemalloc.start()
    try:
        result = parse_feed(body, url="https://bom.example.id/feed")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 150 * 1024 * 1024
    assert peak < 20 * len(body) + 1024 * 1024  # nothing was expanded
    assert result.entries == [] and "refused unread" in str(result.errors[0])
    assert forbidden not in json.dumps(result.as_dict())


BAD = [
    ("/bad/status/404", "HTTP 404"),
    ("/bad/status/500", "HTTP 500"),
    ("/bad/stall", "did not answer in time"),
    ("/bad/trickle", "too slowly"),
    ("/bad/loop", "too many redirects"),
    ("/bad/oversize", "larger than"),
    ("/bad/oversize-chunked", "larger than"),
    ("/bad/gzip-bomb", "larger than"),
    ("/bad/empty", "empty page"),
    ("/nothing-here", "HTTP 404"),
]


@pytest.mark.parametrize(("path", "message"), BAD)
def test_bad_server_gives_plain_error(server: FeedServer, path: str, message: str) -> None:
    started = datetime.now(UTC)
    result = fetch(f"{server.base}{path}", budget=1.0, timeout=0.5, max_bytes=512 * 1024)
    assert not result.ok and result.entries == []
    assert message in str(result.errors[0]), result.errors
    assert datetime.now(UTC) - started < timedelta(seconds=3)


def test_unreachable_and_invalid_addresses() -> None:
    refused = fetch("http://127.0.0.1:9/feed.xml", budget=1, timeout=0.5)
    assert "could not connect" in str(refused.errors[0])
    assert "http://" in str(fetch("ftp://example.id/feed.xml", budget=1).errors[0])


@pytest.mark.parametrize("path", ["/bad/gzip", "/bad/redirect"])
def test_gzip_and_redirect_are_followed(server: FeedServer, path: str) -> None:
    result = fetch(f"{server.base}{path}", budget=5, timeout=2)
    assert result.ok and len(result.entries) == 3


def test_conditional_get_gives_not_modified(server: FeedServer) -> None:
    url = f"{server.base}/files/rss_basic.xml"
    first = fetch(url, budget=5, timeout=2)
    assert first.etag and first.last_modified
    again = fetch(url, {"etag": first.etag, "last_modified": first.last_modified}, budget=5)
    assert again.not_modified and again.ok and again.entries == []
    assert again.etag == first.etag
