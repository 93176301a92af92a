"""Native work the main thread can still interrupt: Ctrl-C and ``SIGTERM`` during a query.

A pyoxigraph query runs in native code; Python runs a signal handler only between two
bytecodes of the main thread, so a query that aggregates before its first row cannot be
interrupted from the thread that runs it. :func:`call` runs such work in a worker thread
(which pyoxigraph lets run without the interpreter lock) while the main thread waits,
ready to run the handler: ``KeyboardInterrupt`` (or the command line's exception for
``SIGTERM``) is raised in the main thread within a fraction of a second, and unwinds
through the usual clean-ups (a build's staging directory, a temporary file).

The worker cannot be stopped: it is *abandoned* (:func:`abandoned`), and the command line
ends the process with :func:`os._exit` once it has cleaned up, instead of waiting for it.

The worker is used only when the command line has switched it on (:func:`enabled`) and
only from the main thread; elsewhere (a server's threads, the Python front door),
:func:`call` is a plain call.

Examples
--------
>>> call(sum, [1, 2, 3])
6
>>> with enabled():
...     call(sum, [1, 2, 3])
6
>>> abandoned()
False
"""

from __future__ import annotations

import contextlib
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

__all__ = ["abandoned", "call", "enabled"]

T = TypeVar("T")

_POLL = 0.05
"""Seconds between two looks for a signal while the worker runs (a signal the system
hands to the worker thread is seen by the main thread within this)."""

_state = {"enabled": False, "abandoned": False}


@contextlib.contextmanager
def enabled() -> Iterator[None]:
    """Run native work of the main thread in a worker thread within this block."""
    before = _state["enabled"]
    _state["enabled"] = True
    try:
        yield
    finally:
        _state["enabled"] = before


def abandoned() -> bool:
    """Whether a worker was left running when its caller was interrupted."""
    return _state["abandoned"]


def call(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Return ``function(*args, **kwargs)``, run so that the main thread can be interrupted.

    Raises
    ------
    BaseException
        What ``function`` raised, or what a signal handler raised in the main thread
        while it waited (the worker is then abandoned).
    """
    if not _state["enabled"] or threading.current_thread() is not threading.main_thread():
        return function(*args, **kwargs)
    job = _Job(function, args, kwargs)
    _worker().put(job)
    try:
        while not job.done.wait(_POLL):
            pass
    except BaseException:
        if not job.done.is_set():
            _state["abandoned"] = True
            _workers.clear()  # the next call, if any, gets a worker of its own
        raise
    if job.error is not None:
        error, job.error = job.error, None
        raise error
    value: T = job.value
    return value


class _Job:
    """A call for the worker, and its outcome."""

    def __init__(self, function: Callable[..., Any], args: Any, kwargs: Any) -> None:
        self.function: Callable[..., Any] | None = function
        self.args, self.kwargs = args, kwargs
        self.value: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()

    def run(self) -> None:
        assert self.function is not None, "a job runs once"
        try:
            self.value = self.function(*self.args, **self.kwargs)
        except BaseException as exc:  # handed to the caller as it is
            self.error = exc
        finally:
            self.function = self.args = self.kwargs = None
            self.done.set()


_workers: list[queue.SimpleQueue[_Job]] = []


def _worker() -> queue.SimpleQueue[_Job]:
    """Return the queue of the worker thread, started on first use (one thread, reused)."""
    if not _workers:
        jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()

        def serve() -> None:
            # Signals go to the main thread, which is waiting for them.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            while True:
                jobs.get().run()

        threading.Thread(target=serve, name="clustergraph-native", daemon=True).start()
        _workers.append(jobs)
    return _workers[0]
