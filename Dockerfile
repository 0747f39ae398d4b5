# syntax=docker/dockerfile:1
# Bazaar's production image: multi-stage, slim, non-root, static files collected at build time,
# gunicorn (gthread) as the command, a HEALTHCHECK on /healthz.
ARG PYTHON_VERSION=3.12

# --- build: install the pinned requirements into a virtualenv ---------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
COPY requirements/ /tmp/requirements/
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install -r /tmp/requirements/production.txt

# --- runtime: only the virtualenv and the code ------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
# WeasyPrint (invoice PDFs) needs Pango, HarfBuzz's subsetter and a font at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 bazaar \
 && useradd --system --uid 10001 --gid bazaar --home-dir /app --shell /usr/sbin/nologin bazaar
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --chown=bazaar:bazaar . /app
# collectstatic needs settings, not secrets or services: throwaway values for this step only.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://build-only.invalid:6379/0 \
    FIELD_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    python manage.py collectstatic --noinput \
 && rm -f /tmp/build.sqlite3 \
 && mkdir -p /tmp/prometheus \
 && chown -R bazaar:bazaar /app/staticfiles /tmp/prometheus
USER bazaar
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
