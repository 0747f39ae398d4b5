"""Refresh-token records, kept in Redis (never in PostgreSQL).

Layout (every key of one user shares the hash tag ``{u<id>}``, so a Redis Cluster keeps them on one
slot and the Lua scripts may touch them together)::

    <prefix>:{u<id>}:rt:<jti>    hash  fam=<family id>, status=active|rotated, succ=<successor jti>
    <prefix>:{u<id>}:fam:<fid>   hash  status=active|revoked, created=<unix time>
    <prefix>:{u<id>}:fams        set   the user's family ids (for logout-all)

A *family* is one login: every refresh token rotated from it belongs to it. All records expire
with the family (an absolute lifetime from the login, ``JWT_REFRESH_LIFETIME``).

Rotation is one Lua script, so two refreshes racing with the same token give exactly one success;
presenting a token that was already rotated revokes its family (reuse detection, RFC 9700
§4.14.2). :class:`MemoryTokenStore` offers the same interface and the same atomicity (one lock)
for the embedded development setup without Redis; it is per process and **development only** —
production settings require ``TOKEN_STORE_URL``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import redis
from django.conf import settings

from apps.core.errors import ApplicationError, ErrorCode

# Outcomes of a rotation.
ROTATED = "rotated"
REUSED = "reused"
REVOKED = "revoked"
UNKNOWN = "unknown"


class TokenStoreUnavailable(ApplicationError):
    """The token store cannot be reached: login and refresh fail closed (503)."""

    def __init__(self):
        super().__init__(
            "Sign-in is temporarily unavailable. Try again shortly.",
            code=ErrorCode.TOKEN_STORE_UNAVAILABLE,
            status=503,
        )


_ROTATE = """
-- KEYS[1] old token, KEYS[2] new token, KEYS[3] family
-- ARGV[1] family id, ARGV[2] new jti, ARGV[3] ttl seconds
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown' end
if redis.call('HGET', KEYS[1], 'fam') ~= ARGV[1] then return 'unknown' end
if redis.call('HGET', KEYS[3], 'status') ~= 'active' then return 'revoked' end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'rotated' then
  redis.call('HSET', KEYS[3], 'status', 'revoked')
  return 'reused'
end
if status ~= 'active' then return 'revoked' end
local ttl = tonumber(ARGV[3])
if ttl <= 0 then return 'revoked' end
redis.call('HSET', KEYS[1], 'status', 'rotated', 'succ', ARGV[2])
redis.call('HSET', KEYS[2], 'fam', ARGV[1], 'status', 'active')
redis.call('EXPIRE', KEYS[2], ttl)
return 'rotated'
"""

_CREATE = """
-- KEYS[1] token, KEYS[2] family, KEYS[3] user's family set
-- ARGV[1] family id, ARGV[2] ttl seconds, ARGV[3] now
local ttl = tonumber(ARGV[2])
redis.call('HSET', KEYS[2], 'status', 'active', 'created', ARGV[3])
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('HSET', KEYS[1], 'fam', ARGV[1], 'status', 'active')
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('SADD', KEYS[3], ARGV[1])
if redis.call('TTL', KEYS[3]) < ttl then redis.call('EXPIRE', KEYS[3], ttl) end
return 1
"""

_REVOKE_ALL = """
-- KEYS[1] user's family set; ARGV[1] key prefix for families ("<prefix>:{u<id>}:fam:")
local revoked = 0
for _, fid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. fid
  if redis.call('EXISTS', key) == 1 then
    if redis.call('HGET', key, 'status') == 'active' then revoked = revoked + 1 end
    redis.call('HSET', key, 'status', 'revoked')
  else
    redis.call('SREM', KEYS[1], fid)
  end
end
return revoked
"""

_REVOKE_FAMILY = """
-- KEYS[1] family
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', 'revoked')
return 1
"""


class RedisTokenStore:
    """Refresh-token records in Redis; every multi-key change is one Lua script."""

    def __init__(self, url: str, *, prefix: str = "bazaar:tokens", timeout: float = 2.0):
        self.prefix = prefix
        self.client = redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout, decode_responses=True
        )
        self._rotate = self.client.register_script(_ROTATE)
        self._create = self.client.register_script(_CREATE)
        self._revoke_all = self.client.register_script(_REVOKE_ALL)
        self._revoke_family = self.client.register_script(_REVOKE_FAMILY)

    def _user(self, user_id) -> str:
        return f"{self.prefix}:{{u{user_id}}}"

    def _token_key(self, user_id, jti: str) -> str:
        return f"{self._user(user_id)}:rt:{jti}"

    def _family_key(self, user_id, family_id: str) -> str:
        return f"{self._user(user_id)}:fam:{family_id}"

    def _families_key(self, user_id) -> str:
        return f"{self._user(user_id)}:fams"

    def _call(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except redis.exceptions.RedisError as exc:  # down, timed out, OOM, read-only replica: fail closed
            raise TokenStoreUnavailable() from exc

    def create_family(self, *, user_id, family_id: str, jti: str, ttl: int) -> None:
        """Record a new login (family) and its first refresh token."""
        keys = [self._token_key(user_id, jti), self._family_key(user_id, family_id), self._families_key(user_id)]
        self._call(self._create, keys=keys, args=[family_id, max(int(ttl), 1), int(time.time())])

    def rotate(self, *, user_id, family_id: str, old_jti: str, new_jti: str, ttl: int) -> str:
        """Atomically retire ``old_jti`` for ``new_jti``: one of ROTATED, REUSED, REVOKED, UNKNOWN."""
        keys = [
            self._token_key(user_id, old_jti),
            self._token_key(user_id, new_jti),
            self._family_key(user_id, family_id),
        ]
        return self._call(self._rotate, keys=keys, args=[family_id, new_jti, int(ttl)])

    def revoke_family(self, *, user_id, family_id: str) -> bool:
        """Revoke one family (logout); False if it did not exist (expired or unknown)."""
        return bool(self._call(self._revoke_family, keys=[self._family_key(user_id, family_id)]))

    def revoke_all(self, *, user_id) -> int:
        """Revoke every family of the user (logout-all); returns how many were active."""
        prefix = f"{self._user(user_id)}:fam:"
        return int(self._call(self._revoke_all, keys=[self._families_key(user_id)], args=[prefix]))

    def family_status(self, *, user_id, family_id: str) -> str | None:
        """``"active"``, ``"revoked"`` or ``None`` (unknown or expired)."""
        return self._call(self.client.hget, self._family_key(user_id, family_id), "status")

    def active_families(self, *, user_id) -> int:
        """How many of the user's families are still active (for the profile page and tests)."""
        fids = self._call(self.client.smembers, self._families_key(user_id))
        return sum(1 for fid in fids if self.family_status(user_id=user_id, family_id=fid) == "active")


@dataclass
class _MemoryRecord:
    data: dict
    expires_at: float


@dataclass
class MemoryTokenStore:
    """Development-only, per-process store with :class:`RedisTokenStore`'s interface and atomicity.

    One lock around every operation gives the same guarantees as the Lua scripts within a process.
    Records vanish on restart and are not shared between processes: never use it in production.
    """

    tokens: dict = field(default_factory=dict)
    families: dict = field(default_factory=dict)
    user_families: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _live(self, table: dict, key) -> dict | None:
        record = table.get(key)
        if record is None:
            return None
        if record.expires_at <= time.time():
            del table[key]
            return None
        return record.data

    def create_family(self, *, user_id, family_id: str, jti: str, ttl: int) -> None:
        expires = time.time() + max(int(ttl), 1)
        with self.lock:
            self.families[(user_id, family_id)] = _MemoryRecord({"status": "active"}, expires)
            self.tokens[(user_id, jti)] = _MemoryRecord({"fam": family_id, "status": "active"}, expires)
            self.user_families.setdefault(user_id, set()).add(family_id)

    def rotate(self, *, user_id, family_id: str, old_jti: str, new_jti: str, ttl: int) -> str:
        with self.lock:
            old = self._live(self.tokens, (user_id, old_jti))
            if old is None or old["fam"] != family_id:
                return UNKNOWN
            family = self._live(self.families, (user_id, family_id))
            if family is None or family["status"] != "active":
                return REVOKED
            if old["status"] == "rotated":
                family["status"] = "revoked"
                return REUSED
            if int(ttl) <= 0:
                return REVOKED
            old["status"], old["succ"] = "rotated", new_jti
            self.tokens[(user_id, new_jti)] = _MemoryRecord(
                {"fam": family_id, "status": "active"}, time.time() + int(ttl)
            )
            return ROTATED

    def revoke_family(self, *, user_id, family_id: str) -> bool:
        with self.lock:
            family = self._live(self.families, (user_id, family_id))
            if family is None:
                return False
            family["status"] = "revoked"
            return True

    def revoke_all(self, *, user_id) -> int:
        with self.lock:
            revoked = 0
            for family_id in list(self.user_families.get(user_id, ())):
                family = self._live(self.families, (user_id, family_id))
                if family is None:
                    self.user_families[user_id].discard(family_id)
                    continue
                revoked += family["status"] == "active"
                family["status"] = "revoked"
            return revoked

    def family_status(self, *, user_id, family_id: str) -> str | None:
        with self.lock:
            family = self._live(self.families, (user_id, family_id))
            return family["status"] if family else None

    def active_families(self, *, user_id) -> int:
        return sum(
            1
            for family_id in list(self.user_families.get(user_id, ()))
            if self.family_status(user_id=user_id, family_id=family_id) == "active"
        )


_memory_store = MemoryTokenStore()


@lru_cache(maxsize=8)
def _redis_store(url: str) -> RedisTokenStore:
    return RedisTokenStore(url)


def get_token_store() -> RedisTokenStore | MemoryTokenStore:
    """The configured store: Redis at ``TOKEN_STORE_URL``, else the development in-process store."""
    url = settings.TOKEN_STORE_URL
    if url:
        return _redis_store(url)
    return _memory_store
