#!/usr/bin/env bash
# Deploy one image tag to an environment, or roll back to one of the last three releases.
#
#   scripts/deploy.sh deploy   <staging|production> <image-tag>
#   scripts/deploy.sh rollback <staging|production> [1|2|3]     (1 = the release before the current)
#
# Runs against the environment's host over SSH (DEPLOY_HOST_<ENV>, e.g. DEPLOY_HOST_STAGING) where
# docker-compose.yml lives in DEPLOY_DIR (default /srv/bazaar). Order, for zero downtime:
#   1. pull the image;  2. run migrations as a one-off (expand-only: the running version keeps
#   working on the new schema);  3. replace web, worker and beat;  4. health gate: /readyz must
#   answer 200 within HEALTH_TIMEOUT seconds, or the previous release is put back.
# The host keeps a release history (one tag per line, newest last) for rollbacks.
set -euo pipefail

ACTION=${1:?usage: deploy.sh deploy|rollback ENV [TAG|N]}
ENVIRONMENT=${2:?environment: staging or production}
ARG=${3:-}
DEPLOY_DIR=${DEPLOY_DIR:-/srv/bazaar}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-120}
host_var="DEPLOY_HOST_$(echo "$ENVIRONMENT" | tr '[:lower:]' '[:upper:]')"
url_var="DEPLOY_URL_$(echo "$ENVIRONMENT" | tr '[:lower:]' '[:upper:]')"
DEPLOY_HOST=${!host_var:-${DEPLOY_HOST:-}}
DEPLOY_URL=${!url_var:-${DEPLOY_URL:-}}
HISTORY="$DEPLOY_DIR/releases-$ENVIRONMENT"

remote() {
  if [ -n "$DEPLOY_HOST" ]; then ssh -o BatchMode=yes "$DEPLOY_HOST" "$@"; else bash -c "$*"; fi
}

compose() {
  local tag=$1; shift
  remote "cd '$DEPLOY_DIR' && IMAGE_TAG='$tag' BAZAAR_IMAGE='${BAZAAR_IMAGE:-${CI_REGISTRY_IMAGE:-bazaar}}' docker compose $*"
}

health_gate() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  until curl --silent --fail --max-time 5 "$DEPLOY_URL/readyz" >/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "health gate: $DEPLOY_URL/readyz not ready" >&2; return 1; fi
    sleep 3
  done
  echo "health gate: $DEPLOY_URL/readyz is ready"
}

current_release() { remote "tail -n 1 '$HISTORY' 2>/dev/null" || true; }

release_back() {  # the Nth release before the current one
  remote "tail -n $(($1 + 1)) '$HISTORY' 2>/dev/null | head -n 1"
}

roll_out() {
  local tag=$1
  compose "$tag" pull --quiet web worker beat migrate
  compose "$tag" run --rm migrate
  compose "$tag" up -d --no-deps --wait web worker beat
}

case "$ACTION" in
  deploy)
    TAG=${ARG:?image tag}
    PREVIOUS=$(current_release)
    echo "deploying $TAG to $ENVIRONMENT (previous: ${PREVIOUS:-none})"
    roll_out "$TAG"
    if ! health_gate; then
      if [ -n "$PREVIOUS" ]; then
        echo "rolling back to $PREVIOUS" >&2
        compose "$PREVIOUS" up -d --no-deps --wait web worker beat
      fi
      exit 1
    fi
    remote "echo '$TAG' >> '$HISTORY' && tail -n 10 '$HISTORY' > '$HISTORY.tmp' && mv '$HISTORY.tmp' '$HISTORY'"
    ;;
  rollback)
    STEPS=${ARG:-1}
    case "$STEPS" in 1|2|3) ;; *) echo "rollback goes back 1, 2 or 3 releases" >&2; exit 2 ;; esac
    TAG=$(release_back "$STEPS")
    [ -n "$TAG" ] || { echo "no release $STEPS back in $HISTORY" >&2; exit 2; }
    echo "rolling $ENVIRONMENT back $STEPS release(s) to $TAG (migrations are not reversed)"
    compose "$TAG" pull --quiet web worker beat
    compose "$TAG" up -d --no-deps --wait web worker beat
    health_gate
    remote "echo '$TAG' >> '$HISTORY'"
    ;;
  *)
    echo "unknown action $ACTION" >&2; exit 2 ;;
esac
