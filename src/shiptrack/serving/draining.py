"""uvicorn's server, stopping the way a rolling restart needs (imported by the worker once its
health thread runs, so importing uvicorn does not delay the first health answer)."""

from __future__ import annotations

import asyncio
import socket
from typing import Final

import uvicorn

#: How long a stopping worker keeps serving the connections it has accepted but not yet read
#: a request from, after it stopped accepting.
DRAIN_SECONDS: Final = 0.25


class DrainingServer(uvicorn.Server):
    """On shutdown, stops accepting first and waits ``DRAIN_SECONDS`` before uvicorn closes
    the idle connections.

    uvicorn closes at once every connection with no request in progress, including one it
    accepted a moment ago whose request it has not read yet: during ``SIGHUP``'s rolling
    restart a client then sees "Server disconnected without sending a response" (about one
    restart in six on this machine). Waiting lets such a request arrive and be answered; the
    connections the kernel queues on the shared socket meanwhile go to the replacement worker.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        if self.servers:
            await asyncio.sleep(DRAIN_SECONDS)
        await super().shutdown(sockets)
