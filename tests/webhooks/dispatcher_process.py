"""A dispatcher in its own process, for the crash test: ``python dispatcher_process.py URL``.

Settings come from SHIPTRACK_WEBHOOK_* variables. Prints ``ready`` once running; SIGTERM
stops it gracefully.
"""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp

from shiptrack.config.webhooks import WebhookSettings
from shiptrack.db.engine import Database
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher


async def main(url: str) -> None:
    db = Database(url, pool_size=2)
    async with aiohttp.ClientSession() as session:
        dispatcher = WebhookDispatcher(db, session, WebhookSettings(), owner=sys.argv[2])
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(dispatcher.stop()))
        print("ready", flush=True)
        await dispatcher.run()
    await db.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
