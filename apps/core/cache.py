"""The one door to Redis as a cache: an outage is a miss, counted, behind a short circuit breaker.

``CACHES["default"]`` uses :class:`ResilientRedisCache`, so every ``django.core.cache.cache``
call of every app (page cache, API cache, membership cache, catalog versions, import progress)
goes through here without knowing it. django-redis is kept for the client and the serialisers;
this class adds what its ``DJANGO_REDIS_IGNORE_EXCEPTIONS`` lacks:

- **degrade** (the default): a Redis error becomes the method's "nothing there" answer (``get``
  returns the default, ``set``/``add`` return ``False``, ``get_many`` returns ``{}``, ``incr``
  returns ``0``), logged and counted in ``bazaar_cache_errors_total``;
- **a circuit breaker**: after an error the cache is *open* for ``BREAKER_SECONDS`` (option,
  default 5 s): calls answer the fallback at once, without a connection attempt, and count
  ``bazaar_cache_short_circuits_total``. The first call after the interval is the trial: success
  closes the breaker, failure opens it for another interval. A dead Redis costs one socket timeout
  per interval per process, not one per request;
- **fail closed** (option ``FAIL_CLOSED: True``, used by the ``tokens`` alias for rate limits of
  the login endpoints): the same breaker, but every error (and every call while open) raises
  :class:`CacheUnavailable` so the caller can answer 503.

``bazaar_cache_breaker_open{alias}`` is 1 while a breaker is open; ``breaker_state(alias)`` gives
``/readyz`` the same answer.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from prometheus_client import Counter, Gauge
from redis.exceptions import RedisError

from apps.core.errors import ApplicationError, ErrorCode

logger = logging.getLogger("bazaar.cache")

CACHE_ERRORS = Counter("bazaar_cache_errors_total", "Cache calls that failed (answered as a miss)", ["alias", "op"])
CACHE_SHORT_CIRCUITS = Counter(
    "bazaar_cache_short_circuits_total", "Cache calls answered without Redis while the breaker was open", ["alias"]
)
CACHE_BREAKER_OPEN = Gauge("bazaar_cache_breaker_open", "1 while the cache circuit breaker is open", ["alias"])

REDIS_ERRORS: tuple[type[BaseException], ...] = (ConnectionInterrupted, RedisError, OSError)

# What each method answers when Redis cannot: the value a miss (or a refused write) would give.
FALLBACKS: dict[str, Any] = {
    "get": None,  # replaced by the caller's ``default`` argument, see _fallback
    "get_many": {},
    "set": False,
    "add": False,
    "touch": False,
    "delete": False,
    "delete_many": None,
    "set_many": [],
    "has_key": False,
    "incr": 0,
    "decr": 0,
    "ttl": None,
    "expire": False,
    "persist": False,
    "clear": None,
    "delete_pattern": 0,
    "iter_keys": iter(()),
    "keys": [],
}


class CacheUnavailable(ApplicationError):
    """A fail-closed cache alias (the token store's Redis) is down: 503 ``token_store_unavailable``."""

    def __init__(self, alias: str):
        super().__init__(
            "Sign-in is temporarily unavailable. Try again shortly.",
            code=ErrorCode.TOKEN_STORE_UNAVAILABLE,
            status=503,
            details={"store": alias},
        )


class CircuitBreaker:
    """Open for ``interval`` seconds after a failure; one trial call after that (thread-safe)."""

    def __init__(self, alias: str, interval: float):
        self.alias = alias
        self.interval = interval
        self._opened_until = 0.0
        self._trial_running = False
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """Whether a call may try Redis now (closed, or the one trial after the interval)."""
        with self._lock:
            if self._opened_until == 0.0:
                return True
            if time.monotonic() >= self._opened_until and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        """Close the breaker."""
        with self._lock:
            was_open = self._opened_until != 0.0
            self._opened_until, self._trial_running = 0.0, False
        if was_open:
            CACHE_BREAKER_OPEN.labels(self.alias).set(0)
            logger.warning("cache is back; breaker closed", extra={"alias": self.alias})

    def record_failure(self) -> None:
        """Open (or re-open) the breaker for one interval."""
        with self._lock:
            self._opened_until, self._trial_running = time.monotonic() + self.interval, False
        CACHE_BREAKER_OPEN.labels(self.alias).set(1)

    @property
    def is_open(self) -> bool:
        """True while calls are short-circuited."""
        return self._opened_until != 0.0

    def reset(self) -> None:
        """Close the breaker without a trial (tests, and ``/readyz`` after a good probe)."""
        self.record_success()


_BREAKERS: dict[str, CircuitBreaker] = {}


def breaker_state(alias: str = "default") -> str:
    """``"closed"`` or ``"open"`` for the alias (``"closed"`` if it never failed)."""
    breaker = _BREAKERS.get(alias)
    return "open" if breaker is not None and breaker.is_open else "closed"


def reset_breakers() -> None:
    """Close every breaker of this process."""
    for breaker in _BREAKERS.values():
        breaker.reset()


def _guard(name: str):
    """Wrap ``RedisCache.<name>`` with the breaker and the degrade / fail-closed rule."""
    method = getattr(RedisCache, name)

    def guarded(self, *args, **kwargs):
        if not self._breaker.allow():
            CACHE_SHORT_CIRCUITS.labels(self._alias).inc()
            return self._fallback(name, args, kwargs, None)
        try:
            result = method(self, *args, **kwargs)
        except REDIS_ERRORS as exc:
            self._breaker.record_failure()
            CACHE_ERRORS.labels(self._alias, name).inc()
            logger.warning(
                "cache call failed; answered as a miss",
                extra={"alias": self._alias, "op": name, "error": f"{type(exc).__name__}: {exc}"[:300]},
            )
            return self._fallback(name, args, kwargs, exc)
        if self._breaker.is_open:
            self._breaker.record_success()
        return result

    guarded.__name__ = name
    guarded.__doc__ = f"``RedisCache.{name}``; a Redis error answers as a miss (or raises when fail-closed)."
    return guarded


class ResilientRedisCache(RedisCache):
    """django-redis's cache with errors as misses, a circuit breaker and metrics (see module doc)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self._alias = options.pop("ALIAS", "default")
        self._fail_closed = bool(options.pop("FAIL_CLOSED", False))
        interval = float(options.pop("BREAKER_SECONDS", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _BREAKERS.setdefault(self._alias, CircuitBreaker(self._alias, interval))

    def _fallback(self, name: str, args: tuple, kwargs: dict, exc: BaseException | None):
        if self._fail_closed:
            raise CacheUnavailable(self._alias) from exc
        if name == "get":
            return kwargs.get("default", args[1] if len(args) > 1 else None)
        return FALLBACKS.get(name)


for _name in FALLBACKS:
    if _name in RedisCache.__dict__:
        setattr(ResilientRedisCache, _name, _guard(_name))
