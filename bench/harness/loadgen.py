"""A small asyncio HTTP load generator: closed loops, and open loops that hold a rate.

Closed loop: each actor sends its next request as soon as the last answer came;
latency runs from the send. It finds the capacity, and hides queueing (as wrk does):
a slow answer delays the requests that would have come after it.

Open loop: requests are scheduled at fixed intervals (``rate`` per second),
whatever the answers; each latency runs from the request's *scheduled* time,
so time spent waiting for a slow server, or for this client, counts (corrected
for coordinated omission). How late the client itself sent is recorded too
(``lag``), so a client that cannot keep up shows instead of hiding.

Scenario objects decide what each request is and learn from each answer
(``next_request(actor)``, ``record(actor, request, response)``). Stdlib only;
one connection per request, as gunicorn's sync workers close it anyway.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from harness.report import percentile
from harness.web import USER_AGENT


@dataclass
class Request:
    kind: str  # what the report groups it under: "tap", "board", ...
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    context: object = None  # anything the scenario wants back in ``record``


@dataclass
class Response:
    status: int
    headers: dict  # lower-cased names
    body: bytes


@dataclass
class Sample:
    kind: str
    status: int  # 0: no answer (see ``error``)
    latency: float  # seconds, from the send (closed loop) or the scheduled time (open loop)
    lag: float = 0.0  # seconds the client sent after the scheduled time (open loop)
    error: str = ""  # "connect", "read", "timeout" for a socket error
    at: float = 0.0  # when it was scheduled (open loop) or sent (closed loop), time.perf_counter()


@dataclass
class LoopResult:
    mode: str  # "closed" | "open"
    seconds: float
    samples: list[Sample]
    client_cpu: float  # seconds of this process's CPU during the run
    offered_rate: float = 0.0
    started: float = 0.0  # time.perf_counter() at the start

    def slow_seconds(self, over_ms: float, top: int = 3) -> list[tuple[int, int, float]]:
        """The seconds of the run with the most requests slower than ``over_ms``: (second, how many, worst ms)."""
        by_second: dict[int, list[float]] = {}
        for s in self.samples:
            if s.latency * 1000 > over_ms:
                by_second.setdefault(int(s.at - self.started), []).append(s.latency * 1000)
        ranked = sorted(by_second.items(), key=lambda item: -len(item[1]))[:top]
        return [(second, len(values), max(values)) for second, values in ranked]

    @property
    def rps(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    def latencies(self, kind: str | None = None) -> list[float]:
        return [s.latency for s in self.samples if s.status and (kind is None or s.kind == kind)]

    def p(self, q: float, kind: str | None = None) -> float:
        """The ``q``-th percentile latency in milliseconds (answered requests only)."""
        return percentile(self.latencies(kind), q) * 1000

    def statuses(self, kind: str | None = None) -> Counter:
        return Counter(s.status for s in self.samples if s.status and (kind is None or s.kind == kind))

    def socket_errors(self) -> Counter:
        return Counter(s.error for s in self.samples if not s.status)

    def bad_answers(self) -> int:
        """Answers that are errors: anything but 2xx and 304 (a 303 to the login page is an error here)."""
        return sum(n for status, n in self.statuses().items() if not (200 <= status < 300 or status == 304))

    def kinds(self) -> list[str]:
        return sorted(Counter(s.kind for s in self.samples), key=lambda k: -sum(1 for s in self.samples if s.kind == k))


async def fetch(port: int, request: Request, timeout: float) -> Response:
    """One request on a fresh connection to 127.0.0.1:``port``."""

    async def exchange() -> Response:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            lines = [f"{request.method} {request.path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
            headers = {"User-Agent": USER_AGENT, "Connection": "close", **request.headers}
            if request.body or request.method == "POST":
                headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
                headers["Content-Length"] = str(len(request.body))
            lines += [f"{name}: {value}" for name, value in headers.items()]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionResetError("no answer")
            answer_headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                answer_headers[name.strip().lower()] = value.strip()
            length = answer_headers.get("content-length")
            body = await (reader.readexactly(int(length)) if length is not None else reader.read())
            return Response(int(status_line.split()[1]), answer_headers, body)
        finally:
            writer.close()

    return await asyncio.wait_for(exchange(), timeout)


async def _one(port: int, request: Request, timeout: float, started: float, sent: float, scenario, actor: int):
    try:
        response = await fetch(port, request, timeout)
    except TimeoutError:
        return Sample(request.kind, 0, time.perf_counter() - started, sent - started, "timeout", started)
    except ConnectionRefusedError:
        return Sample(request.kind, 0, time.perf_counter() - started, sent - started, "connect", started)
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
        return Sample(request.kind, 0, time.perf_counter() - started, sent - started, "read", started)
    sample = Sample(request.kind, response.status, time.perf_counter() - started, sent - started, at=started)
    scenario.record(actor, request, response)
    return sample


async def _closed(port: int, scenario, actors: int, seconds: float, timeout: float) -> list[Sample]:
    end = time.perf_counter() + seconds
    samples: list[Sample] = []

    async def actor(number: int) -> None:
        while time.perf_counter() < end:
            now = time.perf_counter()
            samples.append(await _one(port, scenario.next_request(number), timeout, now, now, scenario, number))

    await asyncio.gather(*(actor(n) for n in range(actors)))
    return samples


async def _open(port: int, scenario, actors: int, rate: float, seconds: float, timeout: float) -> list[Sample]:
    start = time.perf_counter() + 0.05
    tasks = []
    for k in range(int(rate * seconds)):
        scheduled = start + k / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        number = k % actors
        request = scenario.next_request(number)
        tasks.append(
            asyncio.create_task(_one(port, request, timeout, scheduled, time.perf_counter(), scenario, number))
        )
    return list(await asyncio.gather(*tasks))


def closed_loop(port: int, scenario, actors: int, seconds: float, timeout: float = 30.0) -> LoopResult:
    """``actors`` clients, each sending as soon as its last answer came, for ``seconds``."""
    cpu, wall = time.process_time(), time.perf_counter()
    samples = asyncio.run(_closed(port, scenario, actors, seconds, timeout))
    return LoopResult("closed", time.perf_counter() - wall, samples, time.process_time() - cpu, started=wall)


def open_loop(port: int, scenario, actors: int, rate: float, seconds: float, timeout: float = 30.0) -> LoopResult:
    """``rate`` requests per second at fixed intervals for ``seconds``, spread over ``actors`` in turn."""
    cpu, wall = time.process_time(), time.perf_counter()
    samples = asyncio.run(_open(port, scenario, actors, rate, seconds, timeout))
    elapsed, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return LoopResult("open", elapsed, samples, cpu, offered_rate=rate, started=wall)
