"""The Django admin for users: list, search, filters, read-only public id, add form."""

import pytest

from apps.accounts import services
from apps.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = User.objects.create_superuser("root@example.com", "root-password-123")
    client.force_login(admin)
    return client


def test_changelist_search_and_filter(staff_client):
    services.create_user(email="findme@example.com", password=None, name="Find Me")
    response = staff_client.get("/admin/accounts/user/", {"q": "findme"})
    assert response.status_code == 200
    assert [user.email for user in response.context["cl"].result_list] == ["findme@example.com"]
    assert staff_client.get("/admin/accounts/user/", {"is_staff__exact": "1"}).status_code == 200


def test_change_page_shows_public_id_read_only(staff_client):
    user = services.create_user(email="change@example.com", password=None, name="Change Me")
    response = staff_client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert str(user.public_id) in html
    assert 'name="public_id"' not in html
    assert 'value="Change Me"' in html


def test_change_page_validates_the_name(staff_client):
    user = services.create_user(email="long@example.com", password=None, name="Short")
    page = staff_client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
    data.update(
        {"name": "x" * 151, "email": "long@example.com", "date_joined_0": "2026-01-01", "date_joined_1": "00:00"}
    )
    response = staff_client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert User.objects.get(pk=user.pk).name == "Short"


def test_add_user(staff_client):
    response = staff_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Added@Example.com",
            "usable_password": "true",
            "password1": "added-pass-9871",
            "password2": "added-pass-9871",
        },
    )
    assert response.status_code == 302, response.content
    assert User.objects.get(email="added@example.com").check_password("added-pass-9871")
