"""Request body parsers that respect ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

DRF's JSON and form parsers read the whole stream without Django's size check (Django applies it
only to ``request.body`` and its own form parsing), so an oversized JSON body would be read into
memory. These parsers refuse a body over the limit with ``RequestDataTooBig``, which the error
contract turns into a 413.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers


def declared_length(request) -> int:
    """The body length the client declared (``Content-Length``), 0 when absent or malformed."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except (TypeError, ValueError):
        return 0


def refuse_declared_body_over(request, limit: int) -> None:
    """``RequestDataTooBig`` (413 in the error shape) when the declared body exceeds ``limit``.

    Call it before anything reads the body (a view's ``initial``, before authentication and its
    CSRF check, which parse multipart forms), so an oversized upload is refused unread.
    """
    if declared_length(request) > limit:
        raise RequestDataTooBig(f"Request body over {limit} bytes.")


def read_bounded(stream, parser_context: dict | None) -> bytes:
    """Read the request body, raising ``RequestDataTooBig`` once it exceeds the configured limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    if limit is not None and request is not None:
        declared = request.META.get("CONTENT_LENGTH") or 0
        try:
            declared = int(declared)
        except (TypeError, ValueError):
            declared = 0
        if declared > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
    data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the body size limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(io.BytesIO(read_bounded(stream, parser_context)), media_type, parser_context)


class FormParser(parsers.FormParser):
    """DRF's urlencoded form parser with the body size limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(io.BytesIO(read_bounded(stream, parser_context)), media_type, parser_context)
