"""A bounded load on an HTTP server of this machine: clients in threads, for a time.

Every request goes to the base URL given (127.0.0.1 in the tests); each client keeps one
HTTP/1.1 connection open, and every loop stops at its deadline.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

Pick = Callable[[int], tuple[str, str]]
"""Given a request's number, the kind of request (a label) and its target path."""


@dataclass
class Tally:
    """What the clients saw: latencies by kind, failures, and when answers came."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    left: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float, at: float, ok: bool) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if ok:
                self.latencies.setdefault(kind, []).append(seconds)
                self.answered_at.append(at)
            else:
                self.failures.append(f"{kind}: {status}")

    def requests(self) -> int:
        """Count the requests the clients sent and saw answered or failed."""
        return sum(self.statuses.values())

    def percentile(self, kind: str, p: float) -> float:
        values = sorted(self.latencies.get(kind, []))
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(p * len(values)))]

    def median(self, kind: str) -> float:
        return statistics.median(self.latencies.get(kind, [float("nan")]))


def client(
    base: str, pick: Pick, deadline: float, tally: Tally, accept: Callable[[str, int, bytes], bool]
) -> None:
    """Send requests until ``deadline`` on one kept-alive connection."""
    url = urllib.parse.urlsplit(base)
    connection: http.client.HTTPConnection | None = None
    n = 0
    while time.monotonic() < deadline:
        kind, target = pick(n)
        n += 1
        if connection is None:
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        start = time.monotonic()
        try:
            connection.request("GET", target)
            answer = connection.getresponse()
            body = answer.read()
            status = answer.status
            if answer.getheader("connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as exc:
            tally.add(kind, 0, 0.0, time.monotonic(), False)
            tally.failures[-1] += f" {exc!r}"
            if connection is not None:
                connection.close()
            connection = None
            continue
        end = time.monotonic()
        tally.add(kind, status, end - start, end, accept(kind, status, body))
    if connection is not None:
        connection.close()


def leaver(base: str, target: str, deadline: float, after: float, count: list[int]) -> None:
    """Send ``target`` and close the connection ``after`` seconds later, until ``deadline``."""
    url = urllib.parse.urlsplit(base)
    while time.monotonic() < deadline:
        with socket.create_connection((url.hostname, url.port)) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {url.hostname}\r\n\r\n".encode())
            time.sleep(after)
        count[0] += 1


def run(
    base: str,
    clients: int,
    seconds: float,
    pick: Pick,
    accept: Callable[[str, int, bytes], bool],
    *,
    leave: str | None = None,
) -> Tally:
    """Run ``clients`` clients (and one leaving client sending ``leave``) for ``seconds``."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(base, _offset(pick, i), deadline, tally, accept))
        for i in range(clients)
    ]
    left = [0]
    if leave is not None:
        threads.append(threading.Thread(target=leaver, args=(base, leave, deadline, 1.0, left)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 90)
    tally.left = left[0]
    return tally


def _offset(pick: Pick, i: int) -> Pick:
    return lambda n: pick(n * 50 + i)
