"""Real triple stores for the tests, started on 127.0.0.1 and stopped afterwards."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """Find a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """Find the ``oxigraph`` server binary that the PyPI package ``oxigraph`` installs."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    return found


@dataclass(frozen=True)
class OxigraphServer:
    """A running Oxigraph server."""

    base: str
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    def load(self, nquads: bytes) -> None:
        """Replace the store's content with the named graphs of an N-Quads document."""
        body = nquads
        request = urllib.request.Request(
            self.store_url,
            data=body,
            method="PUT",
            headers={"Content-Type": "application/n-quads"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in (200, 201, 204), response.status


@contextmanager
def oxigraph_server(
    location: Path, *, union_default_graph: bool = True
) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` on a free port of 127.0.0.1, yield it, then stop it."""
    port = free_port()
    args = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        args.append("--union-default-graph")
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:  # it exits when the port is taken
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"oxigraph exited with {process.returncode}: {stderr}")
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("oxigraph did not answer within 30 s") from None
                time.sleep(0.1)
        yield OxigraphServer(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------
# Virtuoso
# ---------------------------------------------------------------------------

VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # the default of a new database; the server listens on 127.0.0.1 only

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {dir}
TempDir = {dir}
ServerThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
MaxKeepAlives = 10

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


def virtuoso_binaries() -> tuple[str, str]:
    """``virtuoso-t`` and its SQL client (Debian package ``virtuoso-opensource-7-bin``)."""
    server = shutil.which("virtuoso-t")
    client = shutil.which("isql-vt") or shutil.which("isql")
    if server is None or client is None:
        raise RuntimeError(
            "Virtuoso is not installed: apt-get install virtuoso-opensource-7-bin "
            "(make test installs it, see tools/system-packages.txt)"
        )
    return server, client


@dataclass
class VirtuosoServer:
    """A Virtuoso server of our own, on 127.0.0.1, its database in ``directory``.

    Attributes
    ----------
    base
        ``http://127.0.0.1:PORT``.
    sql_port
        The port of the SQL server (for ``isql-vt``).
    """

    directory: Path
    base: str
    sql_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        """Anonymous SPARQL endpoint (updates too, once ``grant_update`` ran)."""
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        """SPARQL endpoint that needs HTTP Digest (and allows updates to ``dba``)."""
        return f"{self.base}/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        """Graph Store protocol endpoint that needs HTTP Digest."""
        return f"{self.base}/sparql-graph-crud-auth"

    def start(self, timeout: float = 60) -> None:
        """Start ``virtuoso-t`` in the foreground and wait until SPARQL answers."""
        server, _ = virtuoso_binaries()
        ini = self.directory / "virtuoso.ini"
        self.process = subprocess.Popen(
            [server, "+foreground", "+configfile", str(ini)],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                log = (self.directory / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}: {log}")
            try:
                url = f"{self.query_url}?query=ASK%7B%7D"
                with urllib.request.urlopen(url, timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"virtuoso did not answer within {timeout} s") from None
                time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (it checkpoints on SIGTERM)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would; ``start`` recovers."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        (self.directory / "virtuoso.lck").unlink(missing_ok=True)

    def isql(self, sql: str) -> str:
        """Run SQL as ``dba`` with ``isql-vt``; raise if it reports an error."""
        _, client = virtuoso_binaries()
        done = subprocess.run(
            [client, f"127.0.0.1:{self.sql_port}", VIRTUOSO_USER, VIRTUOSO_PASSWORD, f"exec={sql}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done.stdout

    def grant_update(self) -> None:
        """Let the anonymous ``/sparql`` endpoint run SPARQL Update."""
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')


@contextmanager
def virtuoso_server(directory: Path) -> Iterator[VirtuosoServer]:
    """Start Virtuoso with an ini of our own (127.0.0.1, files in ``directory``), then stop it.

    No system service and no system files are used: the database, its logs and its
    lock file live in ``directory``; both ports are free ports of 127.0.0.1.
    """
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = _VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port)
    (directory / "virtuoso.ini").write_text(ini)
    server = VirtuosoServer(directory, f"http://127.0.0.1:{http_port}", sql_port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
