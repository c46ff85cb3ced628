"""``/docs`` works without internet: the page references only this server's assets, and those
are served with the right content types."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append((tag, value))


CONTENT_TYPES = {"css": "text/css", "js": "text/javascript", "png": "image/png"}


@pytest.fixture
def client_base(client):
    """The client at the server's root (the docs are not under /public/v1)."""
    client.base_url = "http://shiptrack.test"
    return client


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_docs_reference_only_same_origin_assets_and_they_are_served(client_base):
    page = await client_base.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "http" not in page.text  # no absolute URL at all, CDN or otherwise
    parser = _References()
    parser.feed(page.text)
    tags = sorted(tag for tag, _ in parser.urls)
    assert tags == ["a", "link", "link", "script", "script"]
    for _tag, url in parser.urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url  # protocol-relative: another origin
        response = await client_base.get(url)
        assert response.status_code == 200, url
        extension = url.rsplit(".", 1)[-1]
        expected = CONTENT_TYPES.get(extension, "application/json")
        assert response.headers["content-type"].startswith(expected), url
    bundle = await client_base.get("/docs/assets/swagger-ui-bundle.js")
    assert len(bundle.content) > 500_000
    assert b"SwaggerUIBundle" in bundle.content
    assert bundle.headers["x-content-type-options"] == "nosniff"
    style = await client_base.get("/docs/assets/swagger-ui.css")
    assert b".swagger-ui" in style.content
    initializer = (await client_base.get("/docs/assets/init.js")).text
    assert 'SwaggerUIBundle({url: "/openapi.json"' in initializer


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_unknown_assets_are_a_404_envelope(client_base):
    for path in ("/docs/assets/swagger-editor-bundle.js", "/docs/assets/..%2Fcore.py"):
        response = await client_base.get(path)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["code"] == "route_not_found"
