r"""Writing files atomically: a reader sees the old file or the new one, never half of one.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = write_atomic(Path(tmp, "out", "x.txt"), "hello\n")
...     print(path.read_text(), end="")
hello
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from clustergraph.errors import InputError


def write_atomic(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    The temporary file is flushed and synced to disk, then renamed over ``path``
    (:func:`os.replace`, atomic on POSIX and Windows), and the directory is synced so that
    the rename survives a crash. If anything fails, ``path`` keeps its old content and
    the temporary file is removed.

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
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
