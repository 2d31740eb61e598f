"""A throwaway PostgreSQL server for the tests: initdb in a temp dir, one per test session.

Found through ``pg_config --bindir`` or Debian's /usr/lib/postgresql/<v>/bin (a stray
``initdb`` elsewhere on PATH may belong to another version). ``initdb`` refuses to run as
root, so as root the server runs as the ``postgres`` user (runuser). It listens on a free
port on 127.0.0.1 with fsync off (a test server: speed over durability; the crash tests kill
the bot, not the server). Each test gets a fresh database of its own (``new_database``).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_counter = itertools.count(1)


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and createdb, or None when PostgreSQL is not installed."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if found:
            candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres", "createdb")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    as_user: list[str]
    user: str = "samenspraak"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True, cwd=self.root)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off -c max_connections=300"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def new_database(self) -> str:
        """A fresh, empty database; its address."""
        name = f"t{os.getpid()}_{next(_counter)}"
        subprocess.run(
            [str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return self.dsn(name)


def start_server() -> PgServer:
    """initdb + start; raises RuntimeError with the reason when PostgreSQL is missing or fails."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    root = Path(tempfile.mkdtemp(prefix="samenspraak-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        runuser = shutil.which("runuser")
        if runuser is None:
            raise RuntimeError("running as root without runuser: cannot start PostgreSQL as another user")
        shutil.chown(root, user="postgres")
        as_user = [runuser, "-u", "postgres", "--"]
    server = PgServer(bindir, root, _free_port(), as_user)
    server._run(str(bindir / "initdb"), "-D", str(server.data), "-A", "trust", "-U", server.user, "-E", "UTF8",
                "--no-sync", "--locale=C")  # fmt: skip
    server.start()
    return server


def remove(server: PgServer) -> None:
    try:
        server.stop("immediate")
    finally:
        shutil.rmtree(server.root, ignore_errors=True)
