"""Structured logs: one JSON object per line, carrying the request context.

``ContextFilter`` copies request id, tenant and user id from ``apps.core.context`` onto each record;
``JsonFormatter`` writes the line; ``ConsoleFormatter`` is the readable form used by ``make run``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from apps.core import context

CONTEXT_FIELDS = ("request_id", "tenant", "user_id")
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "task", "task_id", "security_event")
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class ContextFilter(logging.Filter):
    """Attach the current request id, tenant and user id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", None) or context.request_id_var.get()
        record.tenant = getattr(record, "tenant", None) or context.tenant_var.get()
        record.user_id = getattr(record, "user_id", None) or context.user_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line: time, level, logger, event, context and extras."""

    def format(self, record: logging.LogRecord) -> str:
        document = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for field in CONTEXT_FIELDS:
            document[field] = getattr(record, field, None)
        for key, value in vars(record).items():
            if key not in _RESERVED and key not in document and not key.startswith("_"):
                document[key] = value
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, default=str)


class ConsoleFormatter(logging.Formatter):
    """A readable single line for development: time level [request] event key=value..."""

    def format(self, record: logging.LogRecord) -> str:
        time = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        extras = " ".join(
            f"{field}={getattr(record, field)}" for field in EXTRA_FIELDS + ("tenant",) if getattr(record, field, None)
        )
        request_id = (getattr(record, "request_id", None) or "-")[:8]
        line = f"{time} {record.levelname:<7} [{request_id}] {record.getMessage()} {extras}".rstrip()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line
