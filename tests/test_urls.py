"""The one canonical form of a link (``citra.urls``), used by feeds, export readers and ids."""

from __future__ import annotations

import pytest

from citra.urls import canonical_url, host_of

CASES = [
    # host: lower case, no www., no trailing dot, no default port; twitter.com is x.com
    ("https://Kompas.COM/read/1/?utm_source=x&id=5#top", "https://kompas.com/read/1?id=5"),
    ("https://www.Example.id/a/?utm_source=x&id=3#top", "https://example.id/a?id=3"),
    ("HTTPS://WWW.KOMPAS.COM./Read/1", "https://kompas.com/Read/1"),
    ("http://twitter.com/budi/status/1?s=20", "https://x.com/budi/status/1"),
    ("https://m.facebook.com/story.php?fbclid=abc", "https://m.facebook.com/story.php"),
    ("https://youtu.be/abc", "https://youtu.be/abc"),
    # scheme: http folds onto https, unless a non-default port names another server
    ("http://portal.id:80/a", "https://portal.id/a"),
    ("https://portal.id:443/a", "https://portal.id/a"),
    ("http://127.0.0.1:8123/berita/1", "http://127.0.0.1:8123/berita/1"),
    ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ("https://user:secret@portal.id/a", "https://portal.id/a"),
    # AMP variants are the article
    ("https://amp.kompas.com/read/1", "https://kompas.com/read/1"),
    ("https://www.amp.kompas.com/read/1", "https://kompas.com/read/1"),
    ("https://amp.dev/about", "https://amp.dev/about"),
    ("https://www.com/a", "https://www.com/a"),
    ("https://www.detik.com/berita/1/amp", "https://detik.com/berita/1"),
    ("https://portal.id/berita/1.amp.html", "https://portal.id/berita/1.html"),
    ("https://portal-id.cdn.ampproject.org/c/s/portal.id/berita/1", "https://portal.id/berita/1"),
    # tracking parameters go, the page's own stay in the publisher's order
    ("https://portal.id/berita/1?amp=1&fbclid=x&gclid=y", "https://portal.id/berita/1"),
    ("https://portal.id/a?utm_medium=rss&UTM_CAMPAIGN=z&mc_cid=1&_ga=2", "https://portal.id/a"),
    ("https://portal.id/a?b=2&a=1&ref=home", "https://portal.id/a?b=2&a=1"),
    ("https://portal.id/index.php?p=123", "https://portal.id/index.php?p=123"),
    # short share parameters are tracking on social sites only, not a forum's topic number
    ("https://www.youtube.com/watch?v=abc&t=30&si=xyz", "https://youtube.com/watch?v=abc"),
    ("https://www.instagram.com/p/abc/?igsh=xyz", "https://instagram.com/p/abc"),
    ("https://forum.example.id/viewtopic.php?t=55", "https://forum.example.id/viewtopic.php?t=55"),
    # path: uniform percent-encoding, no trailing slash, the site root is "/"
    ("https://portal.id/berita/café", "https://portal.id/berita/caf%C3%A9"),
    ("https://portal.id/berita/caf%c3%a9", "https://portal.id/berita/caf%C3%A9"),
    ("https://kompas.com", "https://kompas.com/"),
    ("  https://kompas.com/  ", "https://kompas.com/"),
    # Google Alerts redirects are the publisher's link
    (
        "https://www.google.com/url?rct=j&url=https://radar.id/x%3Futm_medium%3Dy&ct=ga",
        "https://radar.id/x",
    ),
    # not an http(s) link
    ("ftp://portal.id/a", None),
    ("javascript:alert(1)", None),
    ("/berita/1", None),
    ("kurang-1", None),
    ("http://[::1", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url", [expected for _, expected in CASES if expected])
def test_canonical_url_is_idempotent(url: str) -> None:
    assert canonical_url(url) == url


def test_one_article_one_url_whoever_wrote_the_link() -> None:
    # A feed's link and a monitoring tool's cell for the same article.
    feed = "http://www.portal.id/berita/2026/11/20/koperasi-sejahtera/?utm_source=rss#comments"
    tool = "https://portal.id/berita/2026/11/20/koperasi-sejahtera?utm_source=brand24"
    assert canonical_url(feed) == canonical_url(tool)


@pytest.mark.parametrize(
    ("url", "host"),
    [("https://www.Kompas.com/a", "kompas.com"), ("http://[::1", ""), ("", ""), (None, "")],
)
def test_host_of(url: str | None, host: str) -> None:
    assert host_of(url) == host


def test_links_already_canonical_take_the_short_way_with_the_same_result():
    from itertools import product

    from citra import urls

    hosts = ["news.example.id", "www.kompas.com", "amp.detik.com", "twitter.com", "google.com",
             "a-b.cdn.ampproject.org", "amp.dev", "EXAMPLE.com", "ex.com.", "1.2.3.4"]  # fmt: skip
    paths = ["", "/", "/a", "/a/", "/amp", "/amp/x", "/x/amp", "/x.amp", "/x.amp.html", "/a//b",
             "/%41", "/a:b@c", "/url", "/c/s/site.id/p", "/é", "/a b", "/a?x=1", "/a#b"]  # fmt: skip
    short = 0
    for scheme, host, path in product(("https://", "http://", "HTTPS://"), hosts, paths):
        link = scheme + host + path
        if urls._is_canonical(link):
            short += 1
            assert urls._canonical(link) == link
        assert canonical_url(link) == urls._canonical(link)
    assert short > 10


def test_a_link_given_out_is_given_back_at_once_and_the_memory_stays_bounded():
    from citra import urls

    links = ["HTTP://www.Kompas.com/a/?utm_source=x", "https://news.example.id/b", "ftp://x/y"]
    first = [canonical_url(link) for link in links]
    assert first == ["https://kompas.com/a", "https://news.example.id/b", None]
    assert [canonical_url(link) for link in first[:2]] == first[:2]  # from the set
    assert [canonical_url(link) for link in links] == first
    for n in range(urls._GIVEN_MAX + 10):
        canonical_url(f"https://news.example.id/{n}")
    assert len(urls._GIVEN) <= urls._GIVEN_MAX
    assert canonical_url("http://news.example.id/5/") == "https://news.example.id/5"
