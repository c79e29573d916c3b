"""Request-rate limits for the API (per user, and per address for anonymous callers).

The counters live in the cache; when the cache is unreachable the request is let through (a logged
warning), so an outage of Redis never turns into refused API calls.
"""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from liuzhou_social.cache import CACHE_ERRORS, log


class _CacheTolerant:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            log.warning("cache unavailable, API rate limit not applied: %s", exc)
            return True


class PortalUserThrottle(_CacheTolerant, UserRateThrottle):
    pass


class PortalAnonThrottle(_CacheTolerant, AnonRateThrottle):
    pass
