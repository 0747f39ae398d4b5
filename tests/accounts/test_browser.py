"""A real Chromium at phone width: sign up, verify from the outbox, log in with the keyboard,
edit the profile, set up nothing by JavaScript, and no Content-Security-Policy violations."""

import re

import pytest
from django.core import mail

from apps.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "violet-otter-47-meadow"


def test_sign_up_verify_log_in_and_profile(page):
    problems = []

    def on_console(msg):
        # CSP violations and script errors; the browser's own favicon probe is not ours to judge.
        if msg.type == "error" and not (msg.location.get("url") or "").endswith("/favicon.ico"):
            problems.append(msg.text)

    page.on("console", on_console)
    base = page.base_url

    page.goto(base + "/accounts/signup/")
    page.get_by_label("Email").fill("lin@example.com")
    page.get_by_label("Your name").fill("Lin Wu")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(base + link)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.get_by_text("You have confirmed lin@example.com").is_visible()
    assert User.objects.get(email="lin@example.com").name == "Lin Wu"

    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    # Keyboard only: the email field is reachable and the form submits with Enter.
    page.get_by_label("Email").focus()
    page.keyboard.type("lin@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Successfully signed in as lin@example.com").is_visible()

    page.goto(base + "/account/")
    assert page.get_by_role("heading", name="Your account").is_visible()
    name = page.get_by_label("Display name")
    assert name.input_value() == "Lin Wu"
    name.fill("Lin W.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/account/$"))
    assert page.get_by_text("Your profile was saved.").is_visible()
    assert User.objects.get(email="lin@example.com").name == "Lin W."

    # Nothing overflows a 390 px phone screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert problems == [], problems
