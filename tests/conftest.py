"""Shared fixtures: a real database (SQLite file or PostgreSQL), the app, an API client.

Tests that take ``database_url`` (directly or through ``db``/``client``) run once per engine.
PostgreSQL tests skip when no server answers at SHIPTRACK_TEST_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/test) — except under CI=true, where they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from shiptrack.accounts import service as accounts
from shiptrack.app import create_app, services_of
from shiptrack.config import Settings
from shiptrack.db.engine import Database
from shiptrack.db.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "SHIPTRACK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ENGINES = os.environ.get("SHIPTRACK_TEST_ENGINES", "sqlite,postgres").split(",")


def _postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database for this test session, dropped at the end."""
    if not _postgres_available():
        if IN_CI:
            pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 in CI")
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"shiptrack_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    asyncio.run(upgrade(url))
    yield url
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(upgrade(f"sqlite:///{path}"))
    return path


_TABLES = (
    "source_budget_usage, tracker_source_outcomes, source_callbacks, upstream_registrations, "
    "webhook_attempts, webhook_messages, webhook_payloads, webhook_endpoints, "
    "events, shipments, tracker_schedule, trackers, api_keys, accounts"
)


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database on each engine."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "shiptrack.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_template")
    tables = ", ".join(t for t in _TABLES.split(", ") if t)

    async def truncate() -> None:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            existing = {
                r["tablename"]
                for r in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public'"
                )
            }
            names = [t for t in tables.split(", ") if t in existing]
            await conn.execute(f"TRUNCATE {', '.join(names)} CASCADE")
        finally:
            await conn.close()

    asyncio.run(truncate())
    return url


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": database_url, "rate_limits_enabled": False}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url, pool_size=5)
    yield database
    await database.dispose()


class ApiClient(httpx.AsyncClient):
    """An httpx client bound to the app, with helpers for the default account's key."""

    api_key: str
    account_id: str
    app: object


async def _client_for(app: object, key: str, account_id: str) -> ApiClient:
    client = ApiClient(
        transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
        base_url="http://shiptrack.test/public/v1",
        headers={"Authorization": f"Bearer {key}"},
    )
    client.api_key, client.account_id, client.app = key, account_id, app
    return client


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module to change the app's settings."""
    return {}


@pytest.fixture
async def app(database_url: str, settings_overrides: dict[str, object]) -> AsyncIterator[object]:
    application = create_app(make_settings(database_url, **settings_overrides))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: object) -> AsyncIterator[ApiClient]:
    new = await accounts.create_account(services_of(app).db, "acme")  # type: ignore[arg-type]
    async with await _client_for(app, new.key, new.account.id) as c:
        yield c


@pytest.fixture
async def other_client(app: object) -> AsyncIterator[ApiClient]:
    """A second account on the same server."""
    new = await accounts.create_account(services_of(app).db, "globex")  # type: ignore[arg-type]
    async with await _client_for(app, new.key, new.account.id) as c:
        yield c


def wait_for(predicate, what: str, seconds: float = 30.0):
    """``predicate()``'s first true value, polled every 0.1 s for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A real ``shiptrack serve`` process on 127.0.0.1."""

    def __init__(
        self, database_url: str, cwd: Path, env: dict[str, str] | None = None, workers: int = 1
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "SHIPTRACK_DATABASE_URL": database_url,
            "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
            **(env or {}),
        }
        self.log = cwd / f"server-{self.port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "shiptrack",
                    "serve",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(workers),
                ],
                cwd=cwd,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[object]:
    servers: list[Server] = []

    def start(database_url: str, **kwargs: object) -> Server:
        server = Server(database_url, tmp_path, **kwargs)  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
