"""The members page speaks plainly: each role says what it may do where it is chosen, the sole
owner is not offered a role change that would fail, and the activity log reads as sentences."""

import re

import pytest

from apps.tenants import services
from apps.tenants.audit_text import SENTENCES, describe_audit_entry
from apps.tenants.models import AuditEntry
from apps.tenants.roles import ROLE_DESCRIPTIONS, Role

pytestmark = pytest.mark.django_db


def members_page(client, tenant) -> str:
    response = client.get(f"/a/{tenant.slug}/members/")
    assert response.status_code == 200
    return response.content.decode()


def my_row(html: str, email: str) -> str:
    return re.search(rf'<tr data-member="{re.escape(email)}">(.*?)</tr>', html, re.S).group(1)


def test_every_role_has_a_description():
    assert set(ROLE_DESCRIPTIONS) == set(Role.values)


def test_roles_are_described_where_they_are_chosen(client, tenant, owner):
    client.force_login(owner)
    html = members_page(client, tenant)
    invite = html[html.index('id="invite-heading"') :]
    for role in Role.values:
        assert ROLE_DESCRIPTIONS[role] in invite
    assert ROLE_DESCRIPTIONS[Role.OWNER] in my_row(html, owner.email)


def test_the_only_owner_is_not_offered_a_role_change(client, tenant, owner, make_member):
    client.force_login(owner)
    assert "Change role" not in my_row(members_page(client, tenant), owner.email)
    second = make_member(tenant, "owner")
    html = members_page(client, tenant)
    assert "Change role" in my_row(html, owner.email)  # with a second owner it can succeed
    assert "Change role" in my_row(html, second.email)


def test_activity_reads_as_sentences(client, tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    services.change_role(tenant=tenant, by=owner, membership_id=editor.memberships.get().pk, role="admin")
    client.force_login(owner)
    activity = members_page(client, tenant).split('id="activity-heading"', 1)[1].split("</section>", 1)[0]
    assert f"{owner.email} invited kim@example.com as viewer." in activity
    assert f"changed the role of {editor.email} from editor to admin." in activity
    assert "<code>" not in activity and "invitation.create" not in activity


@pytest.mark.parametrize("action", sorted(SENTENCES))
def test_every_known_action_has_a_sentence_without_placeholders(action):
    entry = AuditEntry(action=action, actor_email="a@example.com", target="t", metadata={"role": "viewer"})
    sentence = describe_audit_entry(entry)
    assert "{" not in sentence and sentence.endswith(".")


def test_an_unknown_action_still_reads():
    entry = AuditEntry(action="catalog.bulk_delete", actor_email="a@example.com", target="42 products")
    assert describe_audit_entry(entry) == "a@example.com: catalog bulk delete (42 products)."


def test_an_invitee_signs_up_from_the_link_prefilled_verified_and_accepts_first_time(client, tenant, owner):
    from django.core import mail

    issued = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="editor")
    invitation_path = f"/invitations/{issued.token}/"
    html = client.get(invitation_path).content.decode()
    signup = re.search(r'href="(/accounts/signup/[^"]+)"', html).group(1).replace("&amp;", "&")
    form = client.get(signup).content.decode()
    assert 'value="kim@example.com"' in form  # the address is filled in
    mail.outbox.clear()
    response = client.post(
        signup,
        {"email": "kim@example.com", "password1": "violet-otter-47-meadow", "password2": "violet-otter-47-meadow"},
    )
    # Straight back to the invitation, signed in: no "confirm your email" round trip, no second email.
    assert response.status_code == 302 and response["Location"] == invitation_path
    assert mail.outbox == []
    page = client.get(invitation_path).content.decode()
    assert "Accept and join" in page
    accepted = client.post(invitation_path)
    assert accepted.status_code == 302 and accepted["Location"] == f"/a/{tenant.slug}/"
    assert tenant.memberships.filter(user__email="kim@example.com", role="editor").exists()


def test_another_address_at_sign_up_still_needs_verification(client, tenant, owner, django_capture_on_commit_callbacks):
    from django.core import mail

    issued = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="editor")
    client.get(f"/invitations/{issued.token}/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the email task is published after commit
        response = client.post(
            f"/accounts/signup/?next=/invitations/{issued.token}/",
            {"email": "eve@example.com", "password1": "violet-otter-47-meadow", "password2": "violet-otter-47-meadow"},
        )
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["eve@example.com"]
    from allauth.account.models import EmailAddress

    # The invitation's address is not attached to an account that signed up with another one.
    assert list(EmailAddress.objects.values_list("email", "verified")) == [("eve@example.com", False)]
