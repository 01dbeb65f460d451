#!/usr/bin/env bash
# Prepare the database and serve the demo site with its background worker.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
# QR codes and SMS links point at the port served, unless a site address is given.
export SITE_URL=${SITE_URL:-http://127.0.0.1:${PORT}}

$PY manage.py migrate --noinput -v0
$PY manage.py createcachetable
$PY manage.py load_units
$PY manage.py load_demo

$PY manage.py db_worker --interval 1 &
WORKER=$!
# Housekeeping every minute (production runs `manage.py maintenance` from a timer).
( while sleep 60; do $PY manage.py maintenance >/dev/null 2>&1 || true; done ) &
MAINTENANCE=$!
trap 'kill $WORKER $MAINTENANCE 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM

echo
echo "Khai báo F0 is at http://127.0.0.1:${PORT}/  (officials: http://127.0.0.1:${PORT}/accounts/login/)"
echo
$PY manage.py runserver "127.0.0.1:${PORT}"
