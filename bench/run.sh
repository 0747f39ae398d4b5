#!/usr/bin/env bash
# `make bench`: seed 50,000 products, serve with gunicorn (production settings) on PostgreSQL and
# Redis over loopback, drive with locust, print p50/p95/p99 and rps per endpoint (cold and warm
# cache, 100 and 1,000 users) with ratios to a bare floor view. About 12-15 minutes on 2 cores.
# Knobs: BENCH_PRODUCTS, BENCH_DURATION (20s), BENCH_USERS (100,1000), BENCH_SKIP_SEED=1; BENCH_QUICK=1 runs
# only the closed-loop (wrk) subset, about 2 minutes (bench/closed_loop.py has its own knobs).
set -euo pipefail
cd "$(dirname "$0")/.."

export PYTHONPATH="$PWD"
export DJANGO_SETTINGS_MODULE=bench.settings
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bazaar_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}"
export CELERY_TASK_ALWAYS_EAGER=true
export SECRET_KEY="bench-$(head -c 64 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 60)"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export FIELD_ENCRYPTION_KEYS="${FIELD_ENCRYPTION_KEYS:-$(.venv/bin/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")}"
export SECURE_SSL_REDIRECT=false
export SECURE_HSTS_SECONDS=0
# wrk and locust send every request from 127.0.0.1: production's per-address API rates (120/min
# anonymous; DRF counts anonymous callers against the user rate too) would answer 429 after the
# first seconds of a row, so the bench lifts them. What a row measures is the work of a request
# that the throttle lets through (the throttle's own Redis round trip is still paid).
export THROTTLE_ANON="${THROTTLE_ANON:-1000000/min}"
export THROTTLE_USER="${THROTTLE_USER:-1000000/min}"
export LOG_LEVEL="${BENCH_LOG_LEVEL:-WARNING}"   # access log lines off: the floor pays the same
export GUNICORN_MAX_REQUESTS="${GUNICORN_MAX_REQUESTS:-0}"  # no worker recycling mid-run (it resets connections)
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export GUNICORN_THREADS="${GUNICORN_THREADS:-8}"
export BENCH_TENANT="${BENCH_TENANT:-bench}"
PRODUCTS="${BENCH_PRODUCTS:-50000}"
PY=.venv/bin/python

dbname="${DATABASE_URL##*/}"
psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='${dbname}'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ${dbname}" >/dev/null
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
# BENCH_QUICK=1 reuses an already seeded catalog (seeding alone takes longer than its 2 minutes).
seeded=$(psql -h 127.0.0.1 -U postgres -d "${dbname}" -Atc "SELECT count(*) FROM catalog_product p JOIN tenants_tenant t ON t.id = p.tenant_id WHERE t.slug = '${BENCH_TENANT}'" 2>/dev/null || echo 0)
if [ "${BENCH_QUICK:-0}" = "1" ] && [ "${seeded:-0}" -gt 0 ]; then BENCH_SKIP_SEED=1; fi
if [ "${BENCH_SKIP_SEED:-0}" != "1" ]; then
  $PY manage.py seed_catalog --tenant "$BENCH_TENANT" --products "$PRODUCTS" --create-tenant --reset
fi
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
if [ "${BENCH_QUICK:-0}" = "1" ]; then $PY bench/closed_loop.py; exit 0; fi   # ~2 minutes: closed loop at 8 connections
$PY bench/import_bench.py
$PY bench/driver.py
$PY bench/analytics_bench.py   # analytics: ingest eps/p95 (1/10/50 per batch, up to 1,000 senders), COPY ceiling, dashboards at BENCH_ANALYTICS_EVENTS (10M)
$PY bench/closed_loop.py   # closed loop (wrk): 8 and 64 connections, warm and cold, ratio to the same-minute floor
$PY bench/platform_bench.py      # platform (issue 15): 100,000 users / 10,000 tenants vs 10 tenants in turn, GDPR at 300 tenants, 10,000-connection beacon (wrk)
$PY bench/checkout_bench.py    # checkout: funnel (place-order p50/p95/p99, orders/s) and the limited drop (10 in stock, 1,000 attempts)
$PY bench/orders_console_bench.py   # orders console (issue 12): list, deep page, filters, number/email search at BENCH_ORDERS (100,000): median and p95
