"""Signal receivers that feed observability (metrics and Sentry context for Celery tasks).

Domain flow never uses signals (see DESIGN.md); these only observe.
"""

from celery import signals as celery_signals
from django.conf import settings

from apps.core import metrics


@celery_signals.task_postrun.connect
def record_task_outcome(sender=None, state=None, **kwargs):
    """Count each finished task by name and final state (SUCCESS, FAILURE, RETRY ...)."""
    metrics.CELERY_TASKS.labels(task=getattr(sender, "name", "unknown"), state=state or "UNKNOWN").inc()


@celery_signals.task_retry.connect
def record_task_retry(sender=None, **kwargs):
    """Count retries separately: postrun reports them as RETRY too, this keeps the reason out."""
    metrics.CELERY_TASKS.labels(task=getattr(sender, "name", "unknown"), state="RETRY_SCHEDULED").inc()


@celery_signals.worker_ready.connect
def start_worker_metrics(sender=None, **kwargs):
    """Expose the worker's task metrics when ``CELERY_METRICS_PORT`` is set."""
    if settings.CELERY_METRICS_PORT:
        metrics.start_worker_metrics_server(settings.CELERY_METRICS_PORT, settings.CELERY_METRICS_ADDR)
