"""Live progress of import and export jobs, in the cache (an all-or-nothing import's transaction
is still open while the console polls it)."""

from __future__ import annotations

from django.core.cache import cache

from apps.catalog.models import CatalogJob, JobStatus


def _progress_key(job_id: int) -> str:
    return f"catalog:job:{job_id}:progress"


def set_progress(job_id: int, done: int, total: int, phase: str) -> None:
    cache.set(_progress_key(job_id), {"done": done, "total": total, "phase": phase}, timeout=24 * 3600)


def get_progress(job: CatalogJob) -> dict:
    """``done``, ``total``, ``percent``, ``phase`` of a job (live from the cache while it runs)."""
    live = cache.get(_progress_key(job.pk)) if job.status in (JobStatus.PENDING, JobStatus.RUNNING) else None
    done, total = (live["done"], live["total"]) if live else (job.done_rows, job.total_rows)
    phase = live["phase"] if live else job.status
    percent = 100 if job.status in (JobStatus.DONE, JobStatus.FAILED) else (int(done * 100 / total) if total else 0)
    return {"done": done, "total": total, "percent": min(percent, 100), "phase": phase}
