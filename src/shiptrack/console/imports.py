"""CSV imports of trackers, run in the background with their progress on a page.

The file's first line names the columns, with the API's member names (``trackingNumber``
is required; ``courierCode`` may hold several codes separated by ``;``; ``recipientEmail``
and ``recipientName`` fill ``recipient``). Each row is validated exactly as
``POST /trackers/bulk`` validates an item and created through the same path
(``trackers.creator.create_isolated``), ``BATCH`` rows a transaction; the import's row in
``console_imports`` counts created, existing and failed rows as it goes, and keeps the first
``MAX_PROBLEMS`` failures with their line numbers. The page polls that row (``console.js``;
without script, a reload shows it). An import runs in the process that received the file;
if that process stops, the import stays "running" with what it had done.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from typing import Any

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from shiptrack.clock import utcnow
from shiptrack.console import render, repository
from shiptrack.console.services import ConsoleServices, services
from shiptrack.console.sessions import Session, signed_in
from shiptrack.errors import ApiError
from shiptrack.ids import new_ids
from shiptrack.trackers.creator import create_isolated
from shiptrack.trackers.validation import TrackerInput, parse_tracker_input

log = logging.getLogger("shiptrack.console")

BATCH = 100
MAX_PROBLEMS = 100
MAX_ROWS = 20_000
COLUMNS = (
    "trackingNumber",
    "clientTrackerId",
    "shipmentReference",
    "courierCode",
    "courierName",
    "originCountryCode",
    "destinationCountryCode",
    "destinationPostCode",
    "shippingDate",
    "trackingUrl",
    "orderNumber",
    "title",
    "recipientEmail",
    "recipientName",
)
#: Imports running in this process (a reference keeps each task alive until it ends).
_RUNNING: set[asyncio.Task[None]] = set()


class CsvProblem(Exception):
    """The file as a whole cannot be imported (its message says why and what to do)."""


def read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """``(line, request body)`` for each data row of a CSV file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvProblem("The file is not UTF-8 text; save the CSV as UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    if "trackingNumber" not in header:
        raise CsvProblem(
            "The first line must name the columns and include trackingNumber; the columns "
            f"may be: {', '.join(COLUMNS)}."
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise CsvProblem(
            f"Unknown column(s) {', '.join(unknown)}; the columns may be: {', '.join(COLUMNS)}."
        )
    reader.fieldnames = header
    rows = []
    for record in reader:
        if reader.line_num - 1 > MAX_ROWS:
            raise CsvProblem(f"The file has more than {MAX_ROWS} rows; split it.")
        cells = {k: v.strip() for k, v in record.items() if k and isinstance(v, str) and v.strip()}
        if not cells:
            continue
        body: dict[str, Any] = {}
        for name, value in cells.items():
            if name == "courierCode":
                body[name] = [code.strip() for code in value.split(";") if code.strip()]
            elif name in ("recipientEmail", "recipientName"):
                body.setdefault("recipient", {})[name[9:].lower()] = value
            else:
                body[name] = value
        rows.append((reader.line_num, body))
    if not rows:
        raise CsvProblem("The file has no rows below its header.")
    return rows


async def _guarded(
    svc: ConsoleServices, account_id: str, import_id: str, rows: list[tuple[int, dict[str, Any]]]
) -> None:
    try:
        await run_import(svc, account_id, import_id, rows)
    except Exception:
        log.exception("CSV import %s failed", import_id)
        async with svc.db.write() as conn:
            await repository.update_import(
                conn, import_id, {"status": "failed", "finished_at": utcnow()}
            )


async def run_import(
    svc: ConsoleServices, account_id: str, import_id: str, rows: list[tuple[int, dict[str, Any]]]
) -> None:
    """Create the trackers of ``rows``, recording the progress after every batch."""
    counts = {"processed": 0, "created": 0, "existing": 0, "failed": 0}
    problems: list[dict[str, Any]] = []
    settings = svc.settings
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        items: list[TrackerInput | ApiError] = []
        for _, body in batch:
            try:
                items.append(
                    parse_tracker_input(
                        body,
                        max_age_days=settings.shipping_date_max_age_days,
                        today=utcnow().date(),
                    )
                )
            except ApiError as exc:
                items.append(exc)
        outcomes = await create_isolated(svc.db, account_id, items)
        created = []
        for (line, _), outcome in zip(batch, outcomes, strict=True):
            error = outcome if isinstance(outcome, Exception) else outcome.error
            if error is not None:
                counts["failed"] += 1
                if len(problems) < MAX_PROBLEMS:
                    text = (
                        render.error_text(error)
                        if isinstance(error, ApiError)
                        else "Internal error."
                    )
                    problems.append({"line": line, "message": text})
            elif outcome.created:
                counts["created"] += 1
                created.append(outcome.row.id)
            else:
                counts["existing"] += 1
        counts["processed"] += len(batch)
        if created:
            await svc.on_trackers_created(created)
        done = counts["processed"] == len(rows)
        async with svc.db.write() as conn:
            await repository.update_import(
                conn,
                import_id,
                {
                    **counts,
                    "problems": orjson.dumps(problems).decode(),
                    "status": "done" if done else "running",
                    "finished_at": utcnow() if done else None,
                },
            )


@signed_in
async def imports_page(request: Request, session: Session) -> Response:
    async with services(request).db.read() as conn:
        recent = await repository.recent_imports(conn, session.account_id, 20)
    return render.page(request, "imports.html", session, recent=recent, problem=None)


@signed_in
async def start_import(request: Request, session: Session) -> Response:
    svc = services(request)
    upload = (await request.form()).get("file")
    problem = None
    rows: list[tuple[int, dict[str, Any]]] = []
    if not isinstance(upload, UploadFile) or not upload.filename:
        problem = "Choose a CSV file to import."
    else:
        try:
            rows = read_rows(await upload.read())
        except CsvProblem as exc:
            problem = str(exc)
        finally:
            await upload.close()
    if problem is not None:
        async with svc.db.read() as conn:
            recent = await repository.recent_imports(conn, session.account_id, 20)
        return render.page(
            request, "imports.html", session, status=400, recent=recent, problem=problem
        )
    assert isinstance(upload, UploadFile)
    (import_id,) = new_ids(1)
    async with svc.db.write() as conn:
        await repository.insert_import(
            conn,
            {
                "id": import_id,
                "account_id": session.account_id,
                "file_name": (upload.filename or "upload.csv")[:200],
                "total": len(rows),
                "processed": 0,
                "created": 0,
                "existing": 0,
                "failed": 0,
                "problems": "[]",
                "status": "running",
                "created_at": utcnow(),
            },
        )
    task = asyncio.create_task(_guarded(svc, session.account_id, import_id, rows))
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    return RedirectResponse(f"/console/imports/{import_id}", 303)


async def _progress(request: Request, session: Session) -> Any:
    async with services(request).db.read() as conn:
        return await repository.get_import(
            conn, session.account_id, request.path_params["importId"]
        )


@signed_in
async def import_page(request: Request, session: Session) -> Response:
    row = await _progress(request, session)
    if row is None:
        return render.page(request, "missing.html", session, status=404, what="import")
    return render.page(
        request, "import.html", session, job=row, problems=orjson.loads(row.problems)
    )


@signed_in
async def import_progress(request: Request, session: Session) -> Response:
    """The import's counts as JSON, for the page's progress bar."""
    row = await _progress(request, session)
    if row is None:
        return Response(b"{}", 404, media_type="application/json", headers=render.HEADERS)
    body = {
        name: getattr(row, name)
        for name in ("total", "processed", "created", "existing", "failed", "status")
    }
    return Response(orjson.dumps(body), media_type="application/json", headers=render.HEADERS)
