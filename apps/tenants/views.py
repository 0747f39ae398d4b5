"""Pages: my shops and the switcher, create a shop, the console home, members, settings, and
accepting an invitation. Forms post and redirect; errors are shown beside the fields."""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.core.errors import ApplicationError
from apps.core.forms import apply_errors, error_messages
from apps.tenants import selectors, services
from apps.tenants.access import tenant_view
from apps.tenants.forms import InviteForm, RoleForm, TenantForm, TenantSettingsForm
from apps.tenants.roles import Role
from apps.tenants.validation import time_zone_names


def console_url(tenant, name: str = "home", **kwargs) -> str:
    """URL of a tenants console page of ``tenant``."""
    return reverse(f"tenant-console:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


# --- my shops --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def tenant_list(request: HttpRequest) -> HttpResponse:
    """My shops with my role in each: the tenant switcher."""
    memberships = selectors.list_memberships_for_user(user=request.user)
    return render(request, "tenants/tenant_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tenant_create(request: HttpRequest) -> HttpResponse:
    """Create a shop; its creator becomes the owner."""
    form = TenantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tenant = services.create_tenant(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{tenant.name} is ready. You are its owner.")
            return redirect(console_url(tenant))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "time_zones": time_zone_names(), "site_url": settings.SITE_URL.rstrip("/")}
    return render(request, "tenants/tenant_form.html", context, status=status)


# --- invitations -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation page: explains the invitation, lets the right person accept it, and says
    clearly when it is expired, revoked, used, or meant for someone else."""
    invitation = selectors.get_invitation_by_token(token=token)
    try:
        services.check_invitation(invitation)
    except ApplicationError as exc:
        return render(
            request, "tenants/invitation_closed.html", {"message": exc.message, "code": exc.code}, status=exc.status
        )
    context = {"invitation": invitation, "tenant": invitation.tenant}
    if not request.user.is_authenticated:
        context["next"] = request.get_full_path()
        # The link reached this person through the invited mailbox: allauth may treat that address as
        # verified at sign-up (no second "confirm your email" round trip), and the form starts with it.
        get_account_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "tenants/invitation.html", context)
    role = selectors.get_membership_role(tenant=invitation.tenant, user=request.user)
    context["already_member"] = role is not None
    context["email_mismatch"] = invitation.email.lower() != request.user.email.lower()
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token=token, user=request.user)
        except ApplicationError as exc:
            context["error"] = exc.message
            return render(request, "tenants/invitation.html", context, status=exc.status)
        messages.success(
            request, f"Welcome to {membership.tenant.name}. Your role: {membership.get_role_display().lower()}."
        )
        return redirect(console_url(membership.tenant))
    return render(request, "tenants/invitation.html", context)


# --- console ---------------------------------------------------------------------------------


@tenant_view(permissions={"GET": "tenant.view"})
def console_home(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The console's start page: what this member can reach."""
    return render(request, "tenants/console_home.html", {"tenant": request.tenant})


def _members_context(request, invite_form) -> dict:
    access = request.tenant_access
    manage = access.can("members.manage")
    members = list(selectors.list_members(tenant=request.tenant))
    return {
        "tenant": request.tenant,
        "members": members,
        "owner_count": sum(1 for m in members if m.role == Role.OWNER),
        "can_manage": manage,
        "is_owner": access.role == Role.OWNER,
        "invitations": list(selectors.list_invitations(tenant=request.tenant, pending_only=True)) if manage else [],
        "activity": list(selectors.list_audit_entries(tenant=request.tenant)[:20]) if manage else [],
        "invite_form": invite_form,
        "role_choices": Role.choices,
        "me": request.user.pk,
    }


@tenant_view(permissions={"GET": "members.view", "POST": "members.manage"})
def members(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Members, pending invitations and the invite form (POST invites)."""
    is_owner = request.tenant_access.role == Role.OWNER
    form = InviteForm(request.POST or None, can_invite_owner=is_owner)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.invite_member(tenant=request.tenant, by=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email'].strip().lower()}.")
                return redirect(console_url(request.tenant, "members"))
        return render(request, "tenants/members.html", _members_context(request, form), status=400)
    return render(request, "tenants/members.html", _members_context(request, form))


def _run_and_report(request, action, success: str, target: str | None = None) -> HttpResponse:
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, success)
    return redirect(target or console_url(request.tenant, "members"))


@tenant_view(permissions={"POST": "members.manage"})
def member_role(request: HttpRequest, tenant_slug: str, membership_id: int) -> HttpResponse:
    """Change a member's role (POST), then back to the members page."""
    form = RoleForm(request.POST)
    role = form.data.get("role", "")
    return _run_and_report(
        request,
        lambda: services.change_role(tenant=request.tenant, by=request.user, membership_id=membership_id, role=role),
        f"Role changed to {role}.",
    )


@tenant_view(permissions={"POST": "members.manage"})
def member_remove(request: HttpRequest, tenant_slug: str, membership_id: int) -> HttpResponse:
    """Remove a member (POST)."""
    return _run_and_report(
        request,
        lambda: services.remove_member(tenant=request.tenant, by=request.user, membership_id=membership_id),
        "Member removed.",
    )


@tenant_view(permissions={"POST": "members.manage"})
def invitation_revoke(request: HttpRequest, tenant_slug: str, invitation_id: int) -> HttpResponse:
    """Revoke a pending invitation (POST)."""
    return _run_and_report(
        request,
        lambda: services.revoke_invitation(tenant=request.tenant, by=request.user, invitation_id=invitation_id),
        "Invitation revoked.",
    )


@tenant_view(permissions={"POST": "tenant.view"})
def leave(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Leave the shop (POST); the last owner is refused with a message."""
    try:
        services.leave_tenant(tenant=request.tenant, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(console_url(request.tenant, "members"))
    messages.success(request, f"You left {request.tenant.name}.")
    return redirect("tenants:list")


@tenant_view(permissions={"GET": "tenant.edit", "POST": "tenant.edit"})
def tenant_settings(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Change the shop's name, currency, time zone and storefront theme; owners also see the
    delete form."""
    tenant = request.tenant
    fields = ("name", "currency", "time_zone", "tagline", "brand_colour", "accent_colour")
    initial = {field: getattr(tenant, field) for field in fields}
    form = TenantSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_tenant(tenant=tenant, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect(console_url(tenant, "settings"))
    status = 400 if request.method == "POST" else 200
    context = {
        "tenant": tenant,
        "form": form,
        "can_delete": request.tenant_access.can("tenant.delete"),
        "time_zones": time_zone_names(),
    }
    return render(request, "tenants/settings.html", context, status=status)


@tenant_view(permissions={"POST": "tenant.edit"})
def tenant_logo(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Upload (``logo`` file) or remove (``remove``) the storefront logo (POST, then back to the
    settings page with a message; a refused file says why and changes nothing)."""
    tenant = request.tenant
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdecimal() and int(declared) > services.LOGO_MAX_BYTES + 64 * 1024:
        messages.error(request, f"The image is larger than {services.LOGO_MAX_BYTES // (1024 * 1024)} MB.")
        return redirect(console_url(tenant, "settings"))  # the body is never read
    try:
        if request.POST.get("remove"):
            services.remove_tenant_logo(tenant=tenant, by=request.user)
            messages.success(request, "Logo removed: the storefront shows the shop's name.")
        else:
            services.set_tenant_logo(tenant=tenant, by=request.user, upload=request.FILES.get("logo"))
            messages.success(request, "Logo saved.")
    except ApplicationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    return redirect(console_url(tenant, "settings"))


@tenant_view(permissions={"POST": "tenant.delete"})
@reauthentication_required
def tenant_delete(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Delete the shop (owners). The form asks to type the address to confirm."""
    tenant = request.tenant
    if request.POST.get("confirm_slug", "").strip() != tenant.slug:
        messages.error(request, f"Type the address “{tenant.slug}” to confirm deleting the shop.")
        return redirect(console_url(tenant, "settings"))
    name = tenant.name
    services.delete_tenant(tenant=tenant, by=request.user)
    messages.success(request, f"{name} was deleted.")
    return redirect("tenants:list")
