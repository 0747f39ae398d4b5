"""Account pages of our own (allauth serves sign-up, login, email, password and 2FA)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import selectors, services
from apps.accounts.forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """``/account/``: name, email, and links to password change, 2FA, sessions and privacy."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.update_profile(user=user, name=form.cleaned_data["name"])
            messages.success(request, "Your profile was saved.")
            return redirect("accounts:profile")
    else:
        form = ProfileForm(initial={"name": user.name})
    context = {
        "form": form,
        "email_verified": selectors.is_email_verified(user=user),
        "has_mfa": selectors.has_mfa(user=user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def sign_out_everywhere(request):
    """End every other session of the user: API tokens (apps) and other browsers' sessions.

    ``revoke_all_tokens`` bumps the token version, which is part of the session hash
    (``User._get_session_auth_hash``); this browser's session is re-stamped to stay signed in.
    """
    services.revoke_all_tokens(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(request, "You were signed out of every other browser, app and device.")
    return redirect("accounts:profile")
