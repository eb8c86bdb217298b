#!/usr/bin/env bash
# make demo: runs the daemon from BUILD against the example configuration (with demo secrets, a
# temporary store and a free port), shows its admin endpoints, then stops it with SIGTERM.
# Later issues replace this with the sandbox (fake Odoo and SP-API) and the order flow.
set -euo pipefail
build="$1"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exe="$build/src/app/clarity-connect"

work="$(mktemp -d /tmp/clarity-demo.XXXXXX)"
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The example file unchanged except where the demo must differ: store location and port.
sed -e "s|path: /var/lib/clarity-connect/clarity.db|path: $work/clarity.db|" \
    -e "s|listen: 127.0.0.1:8080 |listen: 127.0.0.1:0    |" \
    config/clarity-connect.example.yaml > "$work/clarity-connect.yaml"

# Secrets come from the environment, as the example configuration says.
export CLARITY_ADMIN_TOKEN="demo-admin-token"
export CLARITY_ODOO_API_KEY="demo-odoo-key"
export CLARITY_LWA_CLIENT_SECRET="demo-lwa-secret"
export CLARITY_LWA_REFRESH_TOKEN="demo-refresh-token"

echo "== $exe version"
"$exe" version
echo
echo "== config check"
"$exe" config check -c "$work/clarity-connect.yaml"
echo
echo "== run (log on stderr below)"
"$exe" run -c "$work/clarity-connect.yaml" 2> >(tee "$work/daemon.log" >&2) &
pid=$!
port=""
for _ in $(seq 1 100); do
    port="$(sed -n 's/.*admin server listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/daemon.log" | head -1)"
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "demo: the daemon exited early" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { echo "demo: the daemon did not start listening" >&2; exit 1; }
base="http://127.0.0.1:$port"

show() {
    local title="$1"
    shift
    echo
    echo "== $title"
    curl -sS -i "$@" | tr -d '\r' | head -25
}
show "GET /healthz (liveness, open)" "$base/healthz"
show "GET /readyz (readiness, open)" "$base/readyz"
show "GET /metrics without the token" "$base/metrics"
show "GET /metrics with Authorization: Bearer \$CLARITY_ADMIN_TOKEN" \
    -H "Authorization: Bearer $CLARITY_ADMIN_TOKEN" "$base/metrics"

echo
echo "== SIGTERM"
kill -TERM "$pid"
set +e
wait "$pid"
status=$?
set -e
pid=""
echo "daemon exited with status $status"
exit "$status"
