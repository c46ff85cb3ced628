"""``shiptrack trackers``: add, show and watch trackers from a terminal (operators)."""

from __future__ import annotations

import asyncio
import time

import orjson
import typer
from rich.live import Live
from rich.table import Table

from shiptrack.accounts import repository as accounts
from shiptrack.cli import pages as pages_cli
from shiptrack.cli.common import console, errors, run
from shiptrack.clock import utcnow
from shiptrack.config import Settings
from shiptrack.db.engine import Database
from shiptrack.trackers import presenter, service
from shiptrack.trackers.validation import parse_tracker_input

trackers_app = typer.Typer(help="Trackers of an account, from the terminal.")


async def _account_id(db: Database, ref: str | None) -> str:
    async with db.read() as conn:
        if ref:
            account = await accounts.find_account(conn, ref)
        else:
            found = await accounts.list_accounts(conn)
            account = found[0] if found else None
    if account is None:
        raise typer.BadParameter(
            f"no account {ref!r}"
            if ref
            else "no account yet; run 'shiptrack accounts create NAME' or 'shiptrack serve' first"
        )
    return account.id


def _table(tracking: dict) -> Table:  # type: ignore[type-arg]
    shipment = tracking["shipment"]
    tracker = tracking["tracker"]
    title = (
        f"{tracker['trackingNumber']}  {shipment['statusMilestone']}"
        f"{'' if tracker['isTracked'] else '  (no longer tracked)'}"
    )
    table = Table(
        "#",
        "when",
        "milestone",
        "status code",
        "status",
        "location",
        "courier",
        "number",
        title=title,
    )
    for event in tracking["events"]:
        table.add_row(
            str(event["sequence"]),
            event["occurrenceDatetime"],
            event["statusMilestone"],
            event["statusCode"] or "",
            event["status"] or "",
            event["location"] or "",
            event["courierCode"] or "",
            event["eventTrackingNumber"],
        )
    return table


@trackers_app.command("add")
def add(
    number: str,
    courier: list[str] = typer.Option([], "--courier", "-c", help="Courier code"),
    account: str | None = typer.Option(None, help="Account id or name (default: the first)"),
) -> None:
    """Create a tracker (the engine of a running `serve` or `worker` picks it up)."""

    async def main(db: Database, settings: Settings) -> None:
        account_id = await _account_id(db, account)
        body = {"trackingNumber": number, **({"courierCode": courier} if courier else {})}
        item = parse_tracker_input(
            body, max_age_days=settings.shipping_date_max_age_days, today=utcnow().date()
        )
        (outcome,) = await service.create_many(db, account_id, [item])
        if outcome.error:
            raise outcome.error
        verb = "Created" if outcome.created else "Found"
        console.print(f"{verb} tracker {outcome.row.id} for {outcome.row.tracking_number}.")

    try:
        run(main)
    except Exception as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


@trackers_app.command("show")
def show(number: str, account: str | None = typer.Option(None, help="Account id or name")) -> None:
    """Print the timeline of every tracker with this number, newest event first."""

    async def main(db: Database, settings: Settings) -> None:
        account_id = await _account_id(db, account)
        rows = await service.results_by_number(db, account_id, number)
        for tracking in orjson.loads(presenter.trackings_body(rows))["data"]["trackings"]:
            console.print(_table(tracking))

    run(main)


@trackers_app.command("watch")
def watch(
    number: str,
    account: str | None = typer.Option(None, help="Account id or name"),
    seconds: float = typer.Option(0, help="Stop after this long (0: until Ctrl-C)"),
) -> None:
    """A live view of a tracker's events as the engine finds them."""

    async def main(db: Database, settings: Settings) -> None:
        account_id = await _account_id(db, account)
        deadline = time.monotonic() + seconds if seconds else None

        async def render() -> Table:
            rows = await service.results_by_number(db, account_id, number)
            return _table(orjson.loads(presenter.trackings_body(rows[-1:]))["data"]["trackings"][0])

        with Live(await render(), console=console, refresh_per_second=4) as live:
            while deadline is None or time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                live.update(await render())

    try:
        run(main)
    except KeyboardInterrupt:
        pass


@trackers_app.command("why")
def why(
    number: str,
    account: str | None = typer.Option(None, help="Account id or name"),
    as_json: bool = typer.Option(False, "--json", help="Print the diagnostics API's JSON"),
) -> None:
    """Why a tracker is pending: the sources asked for its number (or which to enable), its
    checks, and problems with the number — what GET /v1/trackers/{id}/diagnostics says."""
    import aiohttp

    from shiptrack.couriers.connectors.registry import ConnectorSet
    from shiptrack.couriers.coverage import Coverage
    from shiptrack.couriers.sources import installed_sources, load_connectors
    from shiptrack.trackers.routing import routing_view, source_outcomes

    async def main(db: Database, settings: Settings) -> None:
        account_id = await _account_id(db, account)
        rows = await service.results_by_number(db, account_id, number)
        async with aiohttp.ClientSession() as session:
            connectors = ConnectorSet(load_connectors(settings, session))
            coverage = Coverage(installed_sources(), (c.info for c in connectors.connectors))
            try:
                for row in rows:
                    tracker, stored = await service.diagnostics(
                        db, account_id, row.id, by_client_id=False
                    )
                    sources = await source_outcomes(db, tracker.id)
                    routing = routing_view(tracker, connectors, coverage, sources)
                    problems = connectors.number_problems(tracker.tracking_number)
                    body = presenter.diagnostics_body(tracker, stored, routing, problems)
                    if as_json:
                        print(body.decode())
                        continue
                    _print_why(orjson.loads(body)["data"])
            finally:
                await connectors.aclose()

    run(main)


def _print_why(data: dict) -> None:  # type: ignore[type-arg]
    tracker, checks, routing = data["tracker"], data["checks"], data["routing"]
    console.print(f"[bold]{tracker['trackingNumber']}[/bold] (tracker {tracker['trackerId']})")
    console.print(routing["explanation"])
    for courier in routing["couriers"]:
        given = "given" if courier["from"] == "courierCode" else f"detected {courier['confidence']}"
        console.print(f"  {courier['courierCode']} ({given})")
        for source in courier["sources"]:
            state = "enabled" if source["enabled"] else f"disabled: {source['enable']}"
            console.print(f"    {source['source']:14} {source['kind']:10} {state}")
    for said in routing["sources"]:
        source = said["sourceCode"] or "(none)"
        when = "" if said["current"] else " (an earlier check)"
        detail = f": {said['detail']}" if said["detail"] else ""
        console.print(
            f"  {source:14} {said['outcome']:17} at {said['checkedAt']}{when}{detail}",
            markup=False,
        )
    for problem in data["numberProblems"]:
        console.print(f"[red]{problem['sourceCode']}[/red]: {problem['message']}")
    console.print(
        f"checks {checks['checkCount']}, errors in a row {checks['errorCount']}, "
        f"last {checks['lastCheckedAt'] or '—'}, next {checks['nextCheckAt'] or '—'}"
        + (f", stopped: {checks['stopReason']}" if checks["stopReason"] else "")
        + f"; {len(data['events'])} event(s)"
    )


trackers_app.command("link")(pages_cli.link)
