from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from apps.core import sentry, signals  # noqa: F401  (connect Celery/request signals)

        sentry.init_sentry()
