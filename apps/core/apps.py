from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        import logging

        from django.db.models.signals import post_migrate

        from apps.core import sentry, signals  # noqa: F401  (connect Celery/request signals)
        from apps.core.page_fragments import register_core_fragments
        from apps.core.sites import sync_site

        post_migrate.connect(sync_site, sender=self)  # the Site row follows SITE_URL

        # Python warnings become log records ("py.warnings"), so they are JSON lines too.
        logging.captureWarnings(True)
        sentry.init_sentry()
        register_core_fragments()
