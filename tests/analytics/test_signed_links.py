"""Download links: signed per kind of link, valid for 24 hours, forged or foreign ones refused."""

import time

import pytest

from apps.analytics.signed_links import make_link_token, read_link_token
from apps.core.errors import ApplicationError


def test_a_fresh_token_reads_back_its_payload():
    assert read_link_token(make_link_token({"e": "abc"}, salt="one"), salt="one") == {"e": "abc"}


def test_an_old_token_has_expired():
    token = make_link_token({"e": "abc"}, salt="one")
    time.sleep(1.1)
    with pytest.raises(ApplicationError) as caught:
        read_link_token(token, salt="one", max_age=1)
    assert (caught.value.status, caught.value.code) == (410, "link_expired")


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + "xx", lambda t: "not-a-token"])
def test_a_forged_token_is_not_found(tamper):
    with pytest.raises(ApplicationError) as caught:
        read_link_token(tamper(make_link_token({"e": "abc"}, salt="one")), salt="one")
    assert (caught.value.status, caught.value.code) == (404, "not_found")


def test_a_token_for_one_kind_of_link_does_not_open_another():
    with pytest.raises(ApplicationError) as caught:
        read_link_token(make_link_token({"e": "abc"}, salt="report-export"), salt="privacy-export")
    assert caught.value.status == 404
