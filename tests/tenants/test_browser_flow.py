"""The whole tenants journey in a real Chromium (issue 3, item 17):

sign up -> verify the email from the outbox -> create a shop -> invite a second person -> they
sign up on the way, verify, accept and see the shop with their role; an outsider opening the
console URL sees 404.
"""

import re

import pytest
from django.core import mail

from apps.tenants.models import Membership
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-42"


def last_mail_to(email):
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email to {email}; outbox: {[m.to for m in mail.outbox]}"
    return messages[-1]


def link_path(body: str, pattern: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", body)
    assert match, body
    return match.group(1)


def sign_up_and_verify(page, email, *, next_path=None):
    url = page.base_url + "/accounts/signup/" + (f"?next={next_path}" if next_path else "")
    page.goto(url)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    confirm = link_path(last_mail_to(email).body, "/accounts/confirm-email/")
    page.goto(page.base_url + confirm)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def log_in(page, email, password):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_sign_up_create_invite_accept_and_outsider_404(page, browser, live_server):
    csp_violations = []
    page.on("console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None)

    # 1. The owner signs up, verifies, creates a shop.
    sign_up_and_verify(page, "founder@example.com")
    page.goto(page.base_url + "/tenants/new/")
    page.get_by_label("Shop name").fill("Corner Shop")
    page.get_by_label("Address").fill("admin")  # reserved: refused beside the field
    page.locator("main button[type=submit]").click()
    assert "reserved" in page.locator("#id_slug_error").inner_text()
    assert page.get_by_label("Shop name").input_value() == "Corner Shop"
    page.get_by_label("Address").fill("corner-shop")
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/a/corner-shop/$"))
    assert page.get_by_test_id("my-role").inner_text() == "owner"

    # 2. The owner invites a second person, with the keyboard.
    page.goto(page.base_url + "/a/corner-shop/members/")
    page.get_by_label("Email address").fill("helper@example.com")
    page.locator("#id_role").select_option("editor")
    page.get_by_label("Email address").press("Enter")
    page.wait_for_url(re.compile(r".*/a/corner-shop/members/$"))
    assert "Invitation sent to helper@example.com" in page.content()
    invitation = link_path(last_mail_to("helper@example.com").body, "/invitations/")

    # 3. The invited person, new to Bazaar, signs up on the way and accepts.
    helper_context = browser.new_context(viewport={"width": 360, "height": 740})
    helper = helper_context.new_page()
    helper.set_default_timeout(10_000)
    helper.base_url = page.base_url
    helper.goto(helper.base_url + invitation)
    assert "Join Corner Shop" in helper.locator("h1").inner_text()
    helper.get_by_role("link", name="Create an account").click()
    helper.wait_for_url(re.compile(r".*/accounts/signup/.*"))
    # The invited address is filled in, and the link proved it: no second "confirm your email" step.
    assert helper.locator("#id_email").input_value() == "helper@example.com"
    mails_before = len(mail.outbox)
    helper.fill("#id_password1", PASSWORD)
    helper.fill("#id_password2", PASSWORD)
    helper.locator("main button[type=submit]").click()
    helper.wait_for_url(re.compile(".*" + re.escape(invitation) + "$"))
    assert len(mail.outbox) == mails_before  # back on the invitation, signed in, nothing to confirm
    helper.get_by_role("button", name="Accept and join Corner Shop").click()
    helper.wait_for_url(re.compile(r".*/a/corner-shop/$"))
    assert helper.get_by_test_id("my-role").inner_text() == "editor"
    helper.goto(helper.base_url + "/tenants/")
    assert "Corner Shop" in helper.content() and "Editor" in helper.content()
    assert Membership.objects.get(user__email="helper@example.com").role == "editor"
    helper_context.close()

    # 4. An outsider (member of another shop) sees 404 on the console URL.
    outsider = UserFactory(email="outsider@example.com")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=outsider, email=outsider.email, primary=True, verified=True)
    other_context = browser.new_context()
    other = other_context.new_page()
    other.set_default_timeout(10_000)
    other.base_url = page.base_url
    log_in(other, "outsider@example.com", DEFAULT_PASSWORD)
    response = other.goto(other.base_url + "/a/corner-shop/members/")
    assert response.status == 404
    assert "Corner Shop" not in other.content()
    other_context.close()
    assert csp_violations == []
