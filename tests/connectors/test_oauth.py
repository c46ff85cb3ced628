"""The shared OAuth 2 client-credentials token cache and helpers."""

from __future__ import annotations

import asyncio
import base64

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.oauth import (
    OAuthTokenCache,
    TokenGrant,
    TokenRejected,
    check_token,
    parse_token_answer,
    request_token,
    with_token,
)
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Issuer:
    """A token endpoint stand-in: counts calls, can be slow or fail."""

    def __init__(self, lifetime: float = 3600, delay: float = 0.0) -> None:
        self.calls = 0
        self.lifetime = lifetime
        self.delay = delay
        self.error: Exception | None = None

    async def __call__(self) -> TokenGrant:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return TokenGrant(f"token-{self.calls}", self.lifetime)


async def test_single_flight_under_concurrency() -> None:
    issuer = Issuer(delay=0.05)
    cache = OAuthTokenCache(issuer)
    tokens = await asyncio.gather(*(cache.token() for _ in range(50)))
    assert set(tokens) == {"token-1"}
    assert issuer.calls == 1
    assert cache.requests == 1


async def test_refresh_a_little_before_expiry() -> None:
    clock = Clock()
    issuer = Issuer(lifetime=3600)
    cache = OAuthTokenCache(issuer, refresh_margin=60, clock=clock)
    assert await cache.token() == "token-1"
    clock.now += 3600 - 61
    assert await cache.token() == "token-1"
    clock.now += 2  # inside the 60 s margin
    assert await cache.token() == "token-2"
    assert issuer.calls == 2


async def test_short_lived_tokens_are_still_used() -> None:
    clock = Clock()
    issuer = Issuer(lifetime=10)  # margin shrinks to a tenth of the lifetime
    cache = OAuthTokenCache(issuer, refresh_margin=60, clock=clock)
    await cache.token()
    clock.now += 8
    assert await cache.token() == "token-1"
    clock.now += 1.5
    assert await cache.token() == "token-2"


async def test_invalidate_only_the_token_that_failed() -> None:
    issuer = Issuer()
    cache = OAuthTokenCache(issuer)
    old = await cache.token()
    cache.invalidate(old)
    new = await cache.token()
    assert new == "token-2"
    cache.invalidate(old)  # a late 401 with the old token does not drop the new one
    assert await cache.token() == new
    cache.invalidate()
    assert await cache.token() == "token-3"


async def test_failure_is_shared_by_waiting_callers() -> None:
    issuer = Issuer(delay=0.05)
    issuer.error = CourierAuthError("token request refused: HTTP 401")
    cache = OAuthTokenCache(issuer)
    outcomes = await asyncio.gather(*(cache.token() for _ in range(10)), return_exceptions=True)
    assert all(isinstance(o, CourierAuthError) for o in outcomes)
    assert issuer.calls == 1
    # A later caller tries again.
    issuer.error = None
    assert await cache.token() == "token-2"


async def test_with_token_refreshes_once_after_401() -> None:
    issuer = Issuer()
    cache = OAuthTokenCache(issuer)
    seen: list[str] = []

    async def call(token: str) -> str:
        seen.append(token)
        if token == "token-1":
            raise TokenRejected("expired")
        return "ok"

    assert await with_token(cache, call) == "ok"
    assert seen == ["token-1", "token-2"]


async def test_with_token_gives_up_after_second_401() -> None:
    issuer = Issuer()
    cache = OAuthTokenCache(issuer)

    async def call(token: str) -> str:
        raise TokenRejected("nope")

    with pytest.raises(CourierAuthError, match="after a token refresh"):
        await with_token(cache, call)
    assert issuer.calls == 2


async def test_concurrent_401s_cause_one_refresh() -> None:
    issuer = Issuer(delay=0.01)
    cache = OAuthTokenCache(issuer)
    await cache.token()

    async def call(token: str) -> str:
        await asyncio.sleep(0.01)
        if token == "token-1":
            raise TokenRejected()
        return token

    results = await asyncio.gather(*(with_token(cache, call) for _ in range(20)))
    assert set(results) == {"token-2"}
    assert issuer.calls == 2


@pytest.mark.parametrize(
    ("body", "lifetime"),
    [
        ({"access_token": "a", "expires_in": 3599}, 3599.0),
        ({"access_token": "a", "expires_in": "14399"}, 14399.0),  # UPS sends strings
        ({"access_token": "a"}, 900.0),
        ({"access_token": "a", "expires_in": "soon"}, 900.0),
    ],
)
def test_parse_token_answer(body: dict[str, object], lifetime: float) -> None:
    assert parse_token_answer(body).expires_in == lifetime


@pytest.mark.parametrize("body", [[], {"token": "a"}, {"access_token": ""}])
def test_parse_token_answer_rejects(body: object) -> None:
    with pytest.raises(CourierResponseInvalid):
        parse_token_answer(body)


def test_token_grant_repr_hides_token() -> None:
    assert "sekrit" not in repr(TokenGrant("sekrit", 10))


MODE = web.AppKey("mode", str)


def _app(mode: str) -> web.Application:
    app = web.Application()
    app[MODE] = mode
    app.router.add_post("/token", _token_endpoint)
    return app


async def _token_endpoint(request: web.Request) -> web.Response:
    form = await request.post()
    mode = request.app[MODE]
    if mode == "429":
        return web.json_response({}, status=429, headers={"Retry-After": "30"})
    if mode == "503":
        return web.json_response({}, status=503)
    if mode == "garbage":
        return web.Response(body=b"<html>", content_type="text/html")
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Basic "):
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
    else:
        client_id, secret = str(form.get("client_id")), str(form.get("client_secret"))
    if (client_id, secret) != ("id", "s3cret") or form.get("grant_type") != "client_credentials":
        return web.json_response(
            {"error": "invalid_client", "echo": f"{client_id}:{secret}"}, status=401
        )
    return web.json_response({"access_token": "tok", "expires_in": 60})


@pytest.mark.parametrize("style", ["body", "basic"])
async def test_request_token_styles(style: str) -> None:
    async with serve(_app("ok")) as url, aiohttp.ClientSession() as session:
        grant = await request_token(
            session, f"{url}/token", client_id="id", client_secret="s3cret",
            credentials_in=style,  # type: ignore[arg-type]
        )
        assert grant == TokenGrant("tok", 60)
        with pytest.raises(CourierAuthError) as refused:
            await request_token(
                session, f"{url}/token", client_id="id", client_secret="wrong-secret",
                credentials_in=style,  # type: ignore[arg-type]
            )
        assert "wrong-secret" not in str(refused.value)


@pytest.mark.parametrize(
    ("mode", "error"),
    [("429", CourierRateLimited), ("503", CourierUnavailable), ("garbage", CourierResponseInvalid)],
)
async def test_request_token_errors(mode: str, error: type[Exception]) -> None:
    async with serve(_app(mode)) as url, aiohttp.ClientSession() as session:
        with pytest.raises(error):
            await request_token(session, f"{url}/token", client_id="id", client_secret="s3cret",
                                credentials_in="body")


async def test_request_token_unreachable() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(CourierUnavailable):
            await request_token(session, "http://127.0.0.1:9/token", client_id="id",
                                client_secret="s", credentials_in="body", timeout=2)


async def test_check_token_never_shows_the_secret() -> None:
    async def refuse() -> TokenGrant:
        raise CourierAuthError("HTTP 401: client_secret=hunter2 rejected")

    check = await check_token("usps", refuse, secret="hunter2")
    assert not check.ok
    assert check.configured
    assert check.connector == "usps"
    assert "hunter2" not in check.detail
    ok = await check_token("usps", Issuer(), secret="hunter2")
    assert ok.ok
