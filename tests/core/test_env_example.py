""".env.example lists every setting read from the environment, each with a meaning."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "config" / "settings").glob("*.py")), ROOT / "config" / "gunicorn.py"]
ENV_CALL = re.compile(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
OS_ENVIRON = re.compile(r"os\.environ(?:\.get|\.setdefault)?[\[(]\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def names_read() -> set[str]:
    names = set()
    for source in SOURCES:
        text = source.read_text()
        names |= set(ENV_CALL.findall(text)) | set(OS_ENVIRON.findall(text))
    return names


def documented() -> dict[str, str]:
    entries = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*?)\s+#\s+(.+)$", line)
        if match:
            entries[match.group(1)] = match.group(3)
    return entries


def test_the_scan_finds_settings():
    assert {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "GUNICORN_THREADS"} <= names_read()


def test_every_setting_is_in_env_example_with_a_meaning():
    missing = sorted(names_read() - set(documented()))
    assert not missing, f"add these to .env.example (NAME=default  # meaning): {missing}"
    assert all(meaning.strip() for meaning in documented().values())
