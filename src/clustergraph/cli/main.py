"""The ``clustergraph`` command: one parser, one module per group of commands.

=================  ================================================================
module             commands
=================  ================================================================
:mod:`.data`       ``load``, ``validate``, ``stats``, ``export``, ``push``
:mod:`.query`      ``queries``, ``query``, ``check``
:mod:`.network`    ``analyze``, ``path``, ``view``
:mod:`.build`      ``build``
:mod:`.curate`     ``reconcile``, ``mint``, ``new-source``
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
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from clustergraph import __version__
from clustergraph.errors import ClusterGraphError, DataError, ExitCode


def groups() -> tuple[ModuleType, ...]:
    """Return the modules that add commands: each has ``register(commands)`` and ``COMMANDS``.

    They are imported when the command line runs, not when this module is imported, so
    that a Ctrl-C while they load is answered by :func:`main` in one line.
    """
    from clustergraph.cli import build, curate, data, network, query, serve

    return (data, query, network, build, curate, serve)


EXIT_CODES = """\
exit codes (every command):
  0    success; validate, check: the data conforms
  1    the data does not conform (validate: to the shapes; check: a check returned
       rows; build: either), or path: the two entities are not connected
  2    input or usage error: a malformed file (FILE:LINE:COLUMN: message) or query,
       an unknown query, entity or parameter, a store that cannot be reached or
       answers an error, a failed push or build stage (nothing half-written is left)
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
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    try:
        try:
            args = parser().parse_args(argv)
        except SystemExit as exc:  # --help, --version and usage errors
            if exc.code is None:
                return ExitCode.OK
            return exc.code if isinstance(exc.code, int) else ExitCode.ERROR
        return _run(args)
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
