"""The ``clustergraph`` command: one parser, one module per group of commands.

=================  ================================================================
module             commands
=================  ================================================================
:mod:`.data`       ``load``, ``validate``, ``stats``, ``export``, ``push``
:mod:`.query`      ``queries``, ``query``, ``check``
:mod:`.network`    ``analyze``, ``path``, ``view``
:mod:`.build`      ``build``
:mod:`.curate`     ``reconcile``, ``mint``, ``new-source``
:mod:`.diff`       ``diff``
=================  ================================================================

Without ``--root`` the project is found by walking up from the working directory to the
first directory holding ``ontology/clustergraph.ttl``. Every command takes ``--store``
(see :mod:`clustergraph.cli.common`). Errors are one line on standard error,
``clustergraph: error: <message>``; the exit codes are :class:`clustergraph.errors.ExitCode`.

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
clustergraph ...
0
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from clustergraph import __version__
from clustergraph.errors import ClusterGraphError, DataError, ExitCode


def groups() -> tuple[ModuleType, ...]:
    """Return the modules that add commands: each has ``register(commands)`` and ``COMMANDS``.

    They are imported when the command line runs, not when this module is imported, so
    that a Ctrl-C while they load is answered by :func:`main` in one line.
    """
    from clustergraph.cli import build, curate, data, diff, network, query, serve

    return (data, query, network, build, curate, serve, diff)


EXIT_CODES = """\
exit codes (every command):
  0    success; validate, check: the data conforms
  1    the data does not conform (validate: to the shapes; check: a check returned
       rows; build: either), or path: the two entities are not connected
  2    input or usage error: a malformed file (FILE:LINE:COLUMN: message) or query,
       an unknown query, entity or parameter, a store that cannot be reached or
       answers an error, a failed push or build stage (nothing half-written is left),
       standard output that cannot be written (a full disk, a closed descriptor)
  130  interrupted (Ctrl-C)
  141  the reader of standard output went away (| head): quietly, as SIGPIPE would
  143  terminated (SIGTERM)
"""


def parser() -> argparse.ArgumentParser:
    """Return the command line's parser."""
    top = argparse.ArgumentParser(
        prog="clustergraph",
        description="Build, check, query, analyse, show and export the clustergraph "
        "knowledge graph of industry clusters.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    top.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="project root (default: the nearest directory up holding ontology/clustergraph.ttl)",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in groups():
        group.register(commands)
    return top


def _run(args: argparse.Namespace) -> int:
    from clustergraph.cli.common import Context

    context = Context(args, root=args.root)
    try:
        for group in groups():
            if args.command in group.COMMANDS:
                return int(group.run(context))
        raise AssertionError(f"no handler for {args.command}")  # pragma: no cover
    finally:
        from clustergraph.store import interruptible

        if not interruptible.abandoned():  # else the store is still being read
            context.close()


DEBUG_ENV = "CLUSTERGRAPH_DEBUG"
"""Set (to anything) to see the traceback of an internal error, besides its one line."""


def _say(message: str) -> None:
    """Print one line on standard error (a message's line breaks become spaces)."""
    print(f"clustergraph: {' '.join(message.split())}", file=sys.stderr, flush=True)


def _interrupted() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot cut the line
    _say("interrupted")
    return ExitCode.INTERRUPTED


TERMINATED = 128 + signal.SIGTERM
"""The exit code after ``SIGTERM`` (143), once what was half-written is removed."""


class _Terminated(BaseException):
    """``SIGTERM`` as an exception, so that a command cleans up as after Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Every error is one line on standard error and an exit code
    (:class:`~clustergraph.errors.ExitCode`), never a traceback: the toolkit's own errors
    say what is wrong; Ctrl-C says ``interrupted`` (130) and ``SIGTERM`` ``terminated``
    (143), each after removing what was half-written; a file the system cannot read or
    write, or memory running out, is an input error (2); anything else is a bug,
    reported in one line as an internal error (2), with its traceback only when
    ``CLUSTERGRAPH_DEBUG`` is set.

    Parameters
    ----------
    argv
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        An :class:`~clustergraph.errors.ExitCode`.
    """
    from clustergraph.store import interruptible

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with _whole_writes(), interruptible.enabled():
            code = _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if interruptible.abandoned():
        # Native work is still running in a thread nothing can stop: what it was doing
        # is cleaned up, so leave without waiting for it.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    return code


class _WholeWriter(io.RawIOBase):
    """Standard output that writes all it is given or raises: never a short write.

    Python's buffered writer hands a large write to the system once and reports how much
    was taken: on a full disk, part of it, with no error (a redirected export cut short
    with exit 0). Here a short write is followed by the rest, so that a full disk raises.
    A closed standard output (``>&-``) raises on the first write.
    """

    def __init__(self, fd: int | None) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._fd is None:
            raise OSError(errno.EBADF, "standard output is closed")
        return self._fd

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        written = 0
        while written < len(view):
            try:
                if self._fd is None:
                    raise OSError(errno.EBADF, os.strerror(errno.EBADF))
                step = os.write(self._fd, view[written:])
            except OSError as exc:
                # Named, for the one line; a reader that went away stays BrokenPipeError.
                raise type(exc)(exc.errno, exc.strerror, "standard output") from None
            if step == 0:
                raise OSError(errno.EIO, "nothing could be written", "standard output")
            written += step
        return written


@contextlib.contextmanager
def _whole_writes() -> Iterator[None]:
    """Write standard output through :class:`_WholeWriter` (when it is the process's own)."""
    out = sys.stdout
    if out is not None and out is not sys.__stdout__:
        yield  # captured or replaced by the caller: theirs to check
        return
    fd: int | None = None
    if out is not None:
        try:
            fd = out.fileno()
            out.flush()
        except (OSError, ValueError):
            fd = None
    wrapped = io.TextIOWrapper(
        io.BufferedWriter(_WholeWriter(fd)),
        encoding=getattr(out, "encoding", None) or "utf-8",
        errors=getattr(out, "errors", None) or "strict",
        line_buffering=bool(getattr(out, "line_buffering", False)),
    )
    sys.stdout = wrapped
    try:
        yield
    finally:
        sys.stdout = out
        with contextlib.suppress(Exception):
            wrapped.flush()  # what is left after an error: the error was said already
        with contextlib.suppress(Exception):
            wrapped.detach().detach()  # the file descriptor stays open


def _main(argv: Sequence[str] | None) -> int:
    try:
        try:
            args = parser().parse_args(argv)
        except SystemExit as exc:  # --help, --version and usage errors
            if exc.code is None:
                return ExitCode.OK
            return exc.code if isinstance(exc.code, int) else ExitCode.ERROR
        code = _run(args)
        sys.stdout.flush()  # a write that fails is an error, not a silent success
        return code
    except DataError as exc:
        print(exc.report)
        _say(str(exc))
        return ExitCode.NONCONFORMING
    except ClusterGraphError as exc:
        _say(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _say("terminated")
        return TERMINATED
    except BrokenPipeError:
        # The reader went away (| head): say nothing, and keep Python from complaining
        # when it flushes standard output at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.BROKEN_PIPE
    except MemoryError:
        _say("error: out of memory (is an input too large?)")
        return ExitCode.ERROR
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"error: {where}{exc.strerror or exc}")
        return ExitCode.ERROR
    except Exception as exc:  # a bug: one line, the traceback on request
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        _say(
            f"error: internal error: {type(exc).__name__}: {exc} (a bug; set {DEBUG_ENV}=1 "
            "to see where)"
        )
        return ExitCode.ERROR


if __name__ == "__main__":
    sys.exit(main())
