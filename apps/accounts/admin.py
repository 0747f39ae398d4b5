"""Django admin for users (platform staff)."""

import uuid

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from apps.accounts.models import NAME_MAX_LENGTH, User
from apps.accounts.services import clean_name
from apps.core.admin_paging import LargeTableAdminMixin
from apps.core.errors import Invalid


class UserChangeAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        widgets = {"name": forms.TextInput(attrs={"maxlength": NAME_MAX_LENGTH})}

    def clean_name(self) -> str:
        try:
            return clean_name(self.cleaned_data.get("name", ""))
        except Invalid as exc:
            raise ValidationError(exc.details["name"]) from None


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(LargeTableAdminMixin, DjangoUserAdmin):
    """Search by email (the name is encrypted at rest, so it cannot be searched in SQL).

    At 100,000 users: a UUID finds the user by public id (unique index); anything else is a
    substring of the email, served by the trigram index on ``UPPER(email)`` (migration 0002);
    counts come from the planner's estimate (``LargeTableAdminMixin``).
    """

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = ("email", "name", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "date_joined")
    search_fields = ("email", "public_id")
    readonly_fields = ("public_id", "date_joined", "last_login", "token_version")
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id")}),
        ("Profile", {"fields": ("name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates and sessions", {"fields": ("date_joined", "last_login", "token_version")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        try:
            return queryset.filter(public_id=uuid.UUID(term)), False
        except ValueError:
            return queryset.filter(email__icontains=term), False


# The admin has no login form of its own: /admin/login/ sends people to allauth's login, which asks
# for the second factor of accounts that have one (allauth's documented ``secure_admin_login``).
admin.site.login = secure_admin_login(admin.site.login)
