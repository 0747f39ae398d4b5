from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        import logging

        from apps.core import sentry, signals  # noqa: F401  (connect Celery/request signals)

        # Python warnings become log records ("py.warnings"), so they are JSON lines too.
        logging.captureWarnings(True)
        sentry.init_sentry()
