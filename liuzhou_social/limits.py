"""A memory limit around one piece of work in a worker process (Linux: the address-space limit, RLIMIT_AS).

An import parses a file a user sent; a file built to explode in memory must fail that one job with a clear
message (MemoryError), not make the kernel kill the worker. The limit is the memory the process already holds
plus an allowance, and is lifted again when the work ends, so the worker goes on with the next task.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

MB = 1024 * 1024


def address_space() -> int:
    """The bytes of address space this process holds now (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@contextmanager
def memory_limit(allowance_mb: int):
    """Within the block the process may grow by at most ``allowance_mb``; beyond, allocations raise MemoryError."""
    try:
        import resource
    except ImportError:  # not Linux/Unix: no limit
        yield
        return
    held = address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if not held or allowance_mb <= 0:
        yield
        return
    limit = held + allowance_mb * MB
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
