"""The two token stores share one contract: run it against real Redis and the in-process store."""

import threading
import uuid

import pytest
from django.conf import settings

from apps.accounts.token_store import (
    REUSED,
    REVOKED,
    ROTATED,
    UNKNOWN,
    MemoryTokenStore,
    RedisTokenStore,
    TokenStoreUnavailable,
)


@pytest.fixture(params=["redis", "memory"])
def store(request):
    if request.param == "redis":
        return RedisTokenStore(settings.TOKEN_STORE_URL, prefix=f"test:{uuid.uuid4().hex}")
    return MemoryTokenStore()


def test_rotation_chain_and_reuse(store):
    store.create_family(user_id=1, family_id="f1", jti="a", ttl=60)
    store.create_family(user_id=1, family_id="f2", jti="x", ttl=60)
    assert store.rotate(user_id=1, family_id="f1", old_jti="a", new_jti="b", ttl=60) == ROTATED
    assert store.rotate(user_id=1, family_id="f1", old_jti="b", new_jti="c", ttl=60) == ROTATED
    assert store.rotate(user_id=1, family_id="f1", old_jti="a", new_jti="z", ttl=60) == REUSED
    assert store.family_status(user_id=1, family_id="f1") == "revoked"
    assert store.rotate(user_id=1, family_id="f1", old_jti="c", new_jti="d", ttl=60) == REVOKED
    assert store.rotate(user_id=1, family_id="f2", old_jti="x", new_jti="y", ttl=60) == ROTATED
    assert store.active_families(user_id=1) == 1


def test_unknown_and_mismatched_tokens(store):
    store.create_family(user_id=1, family_id="f1", jti="a", ttl=60)
    assert store.rotate(user_id=1, family_id="f1", old_jti="nope", new_jti="b", ttl=60) == UNKNOWN
    assert store.rotate(user_id=1, family_id="other", old_jti="a", new_jti="b", ttl=60) == UNKNOWN
    assert store.rotate(user_id=2, family_id="f1", old_jti="a", new_jti="b", ttl=60) == UNKNOWN
    assert store.rotate(user_id=1, family_id="f1", old_jti="a", new_jti="b", ttl=0) == REVOKED


def test_revoke_family_and_all(store):
    for family in ("f1", "f2", "f3"):
        store.create_family(user_id=7, family_id=family, jti=f"{family}-a", ttl=60)
    store.create_family(user_id=8, family_id="g1", jti="g1-a", ttl=60)
    assert store.revoke_family(user_id=7, family_id="f1") is True
    assert store.revoke_family(user_id=7, family_id="missing") is False
    assert store.revoke_all(user_id=7) == 2
    assert store.active_families(user_id=7) == 0
    assert store.active_families(user_id=8) == 1
    assert store.rotate(user_id=7, family_id="f2", old_jti="f2-a", new_jti="b", ttl=60) == REVOKED


def test_racing_rotations_have_one_winner(store):
    store.create_family(user_id=1, family_id="f", jti="a", ttl=60)
    outcomes, barrier = [], threading.Barrier(16)

    def race(index):
        barrier.wait()
        outcomes.append(store.rotate(user_id=1, family_id="f", old_jti="a", new_jti=f"n{index}", ttl=60))

    threads = [threading.Thread(target=race, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(ROTATED) == 1
    # every loser saw the token already rotated (reuse), which revoked the family
    assert set(outcomes) - {ROTATED} <= {REUSED, REVOKED}
    assert store.family_status(user_id=1, family_id="f") == "revoked"


def test_memory_store_expires_records():
    store = MemoryTokenStore()
    store.create_family(user_id=1, family_id="f", jti="a", ttl=1)
    for record in (*store.tokens.values(), *store.families.values()):
        record.expires_at = 0
    assert store.rotate(user_id=1, family_id="f", old_jti="a", new_jti="b", ttl=60) == UNKNOWN
    assert store.family_status(user_id=1, family_id="f") is None
    assert store.revoke_all(user_id=1) == 0


def test_redis_store_unreachable_raises_503_error():
    store = RedisTokenStore("redis://127.0.0.1:1/0", timeout=0.5)
    with pytest.raises(TokenStoreUnavailable) as info:
        store.create_family(user_id=1, family_id="f", jti="a", ttl=60)
    assert info.value.status == 503 and info.value.code == "token_store_unavailable"


@pytest.mark.django_db
def test_api_flow_on_the_development_store(settings, verified_user, login, api):
    settings.TOKEN_STORE_URL = ""  # the embedded `make run` default
    first = login()
    second = api.post("/api/v1/auth/token/refresh", {"refresh": first["refresh"]}, format="json")
    assert second.status_code == 200
    reused = api.post("/api/v1/auth/token/refresh", {"refresh": first["refresh"]}, format="json")
    assert reused.json()["error"]["code"] == "token_reused"
