"""The audit log in words: ``describe_audit_entry(entry)`` -> "ada@example.com invited kim@example.com as viewer."

One table of sentences, one per action ``record_audit`` writes; an action without a sentence (a
new one) still reads sensibly from its code.
"""

from __future__ import annotations

from apps.tenants.roles import Role

SENTENCES: dict[str, str] = {
    "tenant.create": "{actor} created the shop {target}.",
    "tenant.update": "{actor} changed the shop's settings ({changes}).",
    "tenant.logo_set": "{actor} uploaded a new logo for the shop.",
    "tenant.logo_remove": "{actor} removed the shop's logo.",
    "tenant.delete": "{actor} deleted the shop {target}.",
    "invitation.create": "{actor} invited {target} as {role}.",
    "invitation.revoke": "{actor} revoked the invitation of {target}.",
    "invitation.accept": "{actor} accepted the invitation and joined as {role}.",
    "member.role_change": "{actor} changed the role of {target} from {from_role} to {to_role}.",
    "member.remove": "{actor} removed {target} ({role}).",
    "member.leave": "{actor} left the shop.",
    "member.erase": "A member's account was erased at their request.",
    "staff.tenant_suspend": "Bazaar staff ({actor}) suspended the shop (reason: {reason}).",
    "staff.tenant_reinstate": "Bazaar staff ({actor}) reinstated the shop.",
}


def _role_label(value) -> str:
    try:
        return Role(value).label.lower()
    except ValueError:
        return str(value or "a member")


def describe_audit_entry(entry) -> str:
    """One sentence saying who did what to whom, from an ``AuditEntry``."""
    metadata = entry.metadata or {}
    values = {
        "actor": entry.actor_email or "Someone",
        "target": entry.target or "someone",
        "role": _role_label(metadata.get("role")),
        "from_role": _role_label(metadata.get("from")),
        "to_role": _role_label(metadata.get("to")),
        "reason": str(metadata.get("reason") or "none given").rstrip("."),
        "changes": ", ".join(sorted(str(key).replace("_", " ") for key in metadata)) or "no change",
    }
    template = SENTENCES.get(entry.action)
    if template is None:
        readable = entry.action.replace(".", " ").replace("_", " ")
        template = "{actor}: " + readable + (" ({target})." if entry.target else ".")
    return template.format(**values)
