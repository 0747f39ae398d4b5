#!/usr/bin/env bash
# Start PostgreSQL, Redis and RabbitMQ on this machine if they are not answering, then wait for them.
set -uo pipefail

# In CI the services are containers reached by name (see .gitlab-ci.yml): nothing to start here.
if [ -n "${BAZAAR_SERVICES_EXTERNAL:-}" ]; then echo "Services are external; not starting any"; exit 0; fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do port_open "$port" && { echo "$name is up on :$port"; return 0; }; sleep 1; done
  echo "$name did not come up on :$port" >&2; return 1
}

if ! port_open 5432; then
  echo "Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi
if ! port_open 6379; then
  echo "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
if ! port_open 5672; then
  echo "Starting RabbitMQ"
  rabbitmq-server -detached || true
fi
wait_port PostgreSQL 5432 && wait_port Redis 6379 && wait_port RabbitMQ 5672
# The application database for `make test`'s checks (pytest makes its own test_ database).
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='bazaar'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bazaar" >/dev/null && echo "Created database bazaar"
fi
