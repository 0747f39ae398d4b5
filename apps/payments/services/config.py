"""Per-tenant provider settings (console "Payments" settings)."""

from __future__ import annotations

from django.db import transaction

from apps.core.errors import Invalid
from apps.payments.models import PaymentProviderConfig
from apps.payments.providers import get_provider

KEY_PREFIXES = {
    "publishable_key": ("pk_",),
    "secret_key": ("sk_", "rk_"),
    "webhook_secret": ("whsec_",),
}
MAX_KEY = 255
MAX_INSTRUCTIONS = 1000


def _check_keys(values: dict[str, str], errors: dict[str, list[str]]) -> None:
    for name, prefixes in KEY_PREFIXES.items():
        value = values.get(name) or ""
        if value and (not value.startswith(prefixes) or len(value) > MAX_KEY or any(c.isspace() for c in value)):
            errors.setdefault(name, []).append(
                f"Paste the key exactly as Stripe shows it (it starts with {prefixes[0]})."
            )


@transaction.atomic
def update_provider_config(
    *,
    tenant,
    provider: str,
    enabled: bool,
    instructions: str = "",
    publishable_key: str = "",
    secret_key: str | None = None,
    webhook_secret: str | None = None,
) -> PaymentProviderConfig:
    """Save a provider's settings for ``tenant``. ``None`` (or "") for a secret keeps the stored one.

    A provider that needs keys (Stripe) can be enabled only once its three keys are stored.
    The caller checks ``orders.manage`` (the console view does, through ``tenant_view``).
    """
    impl = get_provider(provider)
    config = PaymentProviderConfig.objects.for_tenant(tenant).select_for_update().filter(provider=provider).first()
    config = config or PaymentProviderConfig(tenant=tenant, provider=provider)
    instructions = (instructions or "").strip()
    errors: dict[str, list[str]] = {}
    if len(instructions) > MAX_INSTRUCTIONS:
        errors["instructions"] = [f"Keep the instructions under {MAX_INSTRUCTIONS} characters."]
    new_values = {
        "publishable_key": (publishable_key or "").strip(),
        "secret_key": (secret_key or "").strip(),
        "webhook_secret": (webhook_secret or "").strip(),
    }
    if impl.needs_keys:
        _check_keys(new_values, errors)
    if errors:
        raise Invalid(errors)
    config.enabled = bool(enabled)
    config.instructions = instructions
    if impl.needs_keys:
        config.publishable_key = new_values["publishable_key"] or config.publishable_key
        config.secret_key = new_values["secret_key"] or config.secret_key
        config.webhook_secret = new_values["webhook_secret"] or config.webhook_secret
        if config.enabled:
            missing = [n for n in KEY_PREFIXES if not getattr(config, n)]
            if missing:
                raise Invalid({n: ["Needed before Stripe can be enabled."] for n in missing})
    config.save()
    return config
