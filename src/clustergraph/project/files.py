r"""Writing files and directories atomically: a reader sees the old one or the new one.

:func:`write_atomic` writes one file through a temporary file renamed over it;
:func:`write_staged` writes one directly, for a staging directory that takes another's
place whole once complete.

A directory of files that belong together (``build/``, the exports of ``export --format
all --out DIR``) is written whole into a staging directory beside it
(:func:`staging_directory`, ``.<name>-<pid>-<random>.tmp``), which then takes its place
(:func:`replace_directory`):

* on Linux the two directories are exchanged by one ``renameat2(RENAME_EXCHANGE)`` call,
  so there is no moment without the directory; the old one, now under the staging
  name, is then removed;
* elsewhere (or on a file system that cannot exchange), the old directory is renamed
  aside to ``.<name>-<pid>-<random>.old`` and the staging directory renamed into its
  place. A process killed between the two renames leaves no directory for a moment:
  the next :func:`staging_directory` (every build and export starts with it) or
  :func:`recover_directory` renames the ``.old`` directory back.

Staging and ``.old`` directories carry the id of the process that made them, so those a
killed process left (``SIGKILL``, a power cut) are told from those of a process still
running, and removed by the next start.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = write_atomic(Path(tmp, "out", "x.txt"), "hello\n")
...     print(path.read_text(), end="")
hello
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = Path(tmp, "build")
...     for text in ("old", "new"):
...         staging = staging_directory(out)
...         _ = write_atomic(staging / "x.txt", text)
...         _ = replace_directory(staging, out)
...     print((out / "x.txt").read_text(), sorted(p.name for p in Path(tmp).iterdir()))
new ['build']
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from clustergraph.errors import InputError


def write_atomic(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    The temporary file (``.<name>.<pid>-<random>.tmp``) is flushed and synced to disk,
    then renamed over ``path`` (:func:`os.replace`, atomic on POSIX and Windows), and the
    directory is synced so that the rename survives a crash. If anything fails, ``path``
    keeps its old content and the temporary file is removed; the temporary files of
    ``path`` that killed processes left are removed by the next write.

    Parameters
    ----------
    path
        The file to write; missing parent directories are created.
    data
        The content; text is encoded with ``encoding``.
    encoding
        Encoding of text ``data``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        If the file cannot be written (one line naming the file and the cause).
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(target)
        fd, temp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():  # keep the permissions of the file being replaced
            with contextlib.suppress(OSError):
                os.chmod(temp, target.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    _sync_directory(target.parent)
    return target


def write_staged(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` directly, readable by a web server, if its bytes changed.

    For a file of a staging directory (:func:`staging_directory`), which replaces its
    directory whole once complete: syncing each file would only cost. A file already
    there with other bytes is first removed, never written through: it may be a hard link
    to a file of the directory being replaced.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        If the file cannot be written (one line naming the file and the cause).
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        if target.is_file():
            if target.read_bytes() == payload:
                return target
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
        target.chmod(0o644)
    except OSError as exc:
        raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return target


def _remove_stale_temporaries(target: Path) -> None:
    """Remove the temporary files that killed processes left beside ``target``.

    Once per directory and process: a site writes thousands of files into one directory,
    and listing it for each of them would take time growing with the square of their
    number.
    """
    _remove_stale_in(target.parent)


@functools.lru_cache(maxsize=4096)
def _remove_stale_in(directory: Path) -> None:
    pattern = re.compile(r"\..+\.(\d+)-[A-Za-z0-9_]+\.tmp")
    try:
        names = [p for p in directory.iterdir() if p.name.startswith(".")]
    except OSError:
        return
    for temp in names:
        match = pattern.fullmatch(temp.name)
        if match is None:
            continue
        pid = int(match.group(1))
        if pid != os.getpid() and not _alive(pid) and temp.is_file():  # another thread's: kept
            with contextlib.suppress(OSError):
                temp.unlink()


def _sync_directory(directory: Path) -> None:
    """Sync a directory entry to disk where the platform allows it (not on Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# Directories
# ---------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

_use_exchange = True
"""Whether to try the one-call exchange (tests turn it off to try the two renames)."""

_between_renames: Callable[[], None] | None = None
"""Called between the two renames of the fallback swap (tests kill the process there)."""

_after_exchange: Callable[[], None] | None = None
"""Called right after the exchange, before the old directory is removed (tests)."""


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (Linux ``renameat2``); False where it cannot be done."""
    if not _use_exchange or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this file system
        return False
    raise OSError(error, os.strerror(error), str(a))


def _leftovers(out: Path) -> list[tuple[Path, int | None, str]]:
    """Return the staging and ``.old`` directories beside ``out``: (path, pid, kind)."""
    pattern = re.compile(rf"\.{re.escape(out.name)}-(?:(\d+)-)?[A-Za-z0-9_]+\.(tmp|old)")
    found = []
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return []
    for path in entries:
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            pid = int(match.group(1)) if match.group(1) else None
            found.append((path, pid, match.group(2)))
    return found


def _alive(pid: int | None) -> bool:
    """Whether process ``pid`` is running (a directory of another live process is left)."""
    if pid is None:
        return False  # made by an earlier version, with no process id: stale
    if pid == os.getpid():
        return False  # ours, from an earlier call that failed to remove it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def recover_directory(out: Path | str) -> list[Path]:
    """Undo what a killed process left beside ``out``; return the directories removed.

    If ``out`` is missing and a killed swap left the old directory aside (``.old``), it
    is renamed back. Then the staging and ``.old`` directories of processes no longer
    running are removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     Path(tmp, ".build-999999999-abc.old").mkdir()  # a swap killed halfway
    ...     Path(tmp, ".build-999999999-def.tmp").mkdir()  # its staging directory
    ...     _ = recover_directory(Path(tmp, "build"))
    ...     sorted(p.name for p in Path(tmp).iterdir())
    ['build']
    """
    out = Path(out)
    stale = [(p, kind) for p, pid, kind in _leftovers(out) if not _alive(pid)]
    if not out.exists() and not out.is_symlink():
        olds = sorted((p for p, kind in stale if kind == "old"), key=_mtime, reverse=True)
        if olds:
            with contextlib.suppress(OSError):
                os.replace(olds[0], out)
    removed = []
    for path, _ in stale:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def staging_directory(out: Path | str) -> Path:
    """Make an empty staging directory beside ``out`` for its next content.

    What killed processes left beside ``out`` is cleaned up first
    (:func:`recover_directory`). The directory is readable by all (a web server may
    serve a site from it once it is in place).

    Raises
    ------
    InputError
        If ``out`` exists and is not a directory, or the staging directory cannot be
        made (one line naming it and the cause).
    """
    out = Path(out).absolute()
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a directory (it would be replaced by one)")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover_directory(out)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{out.name}-{os.getpid()}-", suffix=".tmp", dir=out.parent)
        )
        os.chmod(staging, 0o755)
    except OSError as exc:
        raise InputError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    return staging


def replace_directory(staging: Path | str, out: Path | str) -> Path:
    """Put the directory ``staging`` in the place of ``out``, atomically where possible.

    See the module docstring: one exchange on Linux, else two renames that the next
    start completes if the process dies between them. The old content is removed.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    InputError
        If the swap fails (``out`` is left as it was and ``staging`` removed).
    """
    staging, out = Path(staging), Path(out)
    if out.exists() and not out.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"{out}: not a directory (it would be replaced by one)")
    try:
        if not out.exists() and not out.is_symlink():
            os.replace(staging, out)
        elif _exchange(staging, out):
            if _after_exchange is not None:
                _after_exchange()
            _remove(staging)  # the old content, under the staging name
        else:
            old = Path(
                tempfile.mkdtemp(
                    prefix=f".{out.name}-{os.getpid()}-", suffix=".old", dir=out.parent
                )
            )
            old.rmdir()  # only its unique name is wanted
            os.replace(out, old)
            if _between_renames is not None:
                _between_renames()
            try:
                os.replace(staging, out)
            except OSError:
                os.replace(old, out)
                raise
            _remove(old)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"{out}: cannot replace: {exc.strerror or exc}") from exc
    _sync_directory(out.parent)
    return out


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def link_file(source: Path, target: Path) -> None:
    """Put ``source`` at ``target``: a hard link where possible, else a copy.

    An earlier file at ``target`` is replaced; its folder is made if missing.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
