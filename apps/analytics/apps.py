from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "apps.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self):
        from apps.core.fast_paths import register_fast_path

        # The beacon's POST skips the session/CSRF/auth/messages middleware (apps/core/fast_paths.py).
        register_fast_path("analytics-api:events", methods=("POST",), path_prefix="/api/v1/t/")
