"""GDPR by design: anonymous visitor ids, consent, data-subject export and erasure, retention."""
