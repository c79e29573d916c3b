"""The cache as an accelerator only: when it is unreachable, values are computed from the database.

With Redis down the portal answers from PostgreSQL (slower, never wrong) instead of failing the page;
each miss is logged once per call as a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
# What an unreachable or failing cache raises (Redis client errors, a refused or reset socket).
CACHE_ERRORS = (RedisError, ConnectionError, TimeoutError, OSError)


def cache_get_or_compute[T](key: str, compute: Callable[[], T], timeout: int) -> T:
    """The cached value of ``key``; else ``compute()``, stored for ``timeout`` seconds when the cache
    answers."""
    try:
        value = cache.get(key)
    except CACHE_ERRORS as exc:
        log.warning("cache unavailable, reading %s from the database: %s", key, exc)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except CACHE_ERRORS as exc:
            log.warning("cache unavailable, %s not stored: %s", key, exc)
    return value


def cache_forget(key: str) -> None:
    """Drop ``key``; an unreachable cache holds nothing the portal could read back (it is asked again
    next time), so a failure is logged, not raised."""
    try:
        cache.delete(key)
    except CACHE_ERRORS as exc:
        log.warning("cache unavailable, %s not deleted: %s", key, exc)
