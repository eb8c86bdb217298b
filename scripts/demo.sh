#!/usr/bin/env bash
# make demo: starts clarity-sandbox (fake SP-API + fake Odoo with a stream of seeded orders), then
# the daemon with the configuration the sandbox wrote, and prints progress every 2 seconds until
# Ctrl-C. DEMO_EXIT_WHEN_IDLE=1: exit 0 once every seeded order is in its final state (the
# unknown-SKU order counts once dead-lettered), with a summary; exit 1 after DEMO_TIMEOUT seconds.
# Knobs: DEMO_ORDERS (40), DEMO_SEED (1), DEMO_SPEED (60), DEMO_TIMEOUT (300), DEMO_DE_EVERY
# (20: every 20th order comes from amazon.de, in EUR with VAT included, through a second, eu
# connection; 0: none). docs/sandbox.md.
set -euo pipefail
build="$1"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exe="$build/src/app/clarity-connect"
sandbox="$build/src/sandbox/clarity-sandbox"
orders="${DEMO_ORDERS:-40}"
seed="${DEMO_SEED:-1}"
speed="${DEMO_SPEED:-60}"
timeout="${DEMO_TIMEOUT:-300}"
de_every="${DEMO_DE_EVERY:-20}"
exit_when_idle="${DEMO_EXIT_WHEN_IDLE:-0}"
token="demo-admin-token"

work="$(mktemp -d /tmp/clarity-demo.XXXXXX)"
sandbox_pid=""
daemon_pid=""
stop() {
    local pid="$1"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}
cleanup() {
    stop "$daemon_pid"
    stop "$sandbox_pid"
    if [ "${DEMO_KEEP:-0}" = 1 ]; then echo "demo: files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT TERM

echo "== clarity-sandbox: $orders orders, seed $seed, ${speed}x speed, every ${de_every}th from amazon.de"
"$sandbox" --orders "$orders" --seed "$seed" --speed "$speed" --de-every "$de_every" \
    --config-out "$work/clarity-connect.yaml" --port-file "$work/ports" \
    --store "$work/clarity.db" --mapping-dir config/mapping --admin-token "$token" \
    >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 100); do
    [ -f "$work/ports" ] && break
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; echo "demo: the sandbox exited early" >&2; exit 1; }
    sleep 0.1
done
[ -f "$work/ports" ] || { echo "demo: the sandbox did not start" >&2; exit 1; }
cat "$work/sandbox.log"
status_url="$(sed -n 's/^status_url=//p' "$work/ports")"

echo
echo "== clarity-connect config check"
"$exe" config check -c "$work/clarity-connect.yaml"

echo
echo "== clarity-connect run (log: $work/daemon.log; DEMO_KEEP=1 keeps it)"
"$exe" run -c "$work/clarity-connect.yaml" 2>"$work/daemon.log" &
daemon_pid=$!
port=""
for _ in $(seq 1 100); do
    port="$(sed -n 's/.*admin server listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/daemon.log" | head -1)"
    [ -n "$port" ] && break
    kill -0 "$daemon_pid" 2>/dev/null || { tail -20 "$work/daemon.log" >&2; echo "demo: the daemon exited early" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { echo "demo: the daemon did not start listening" >&2; exit 1; }
metrics_url="http://127.0.0.1:$port/metrics"

# field NAME JSON: an integer field of the status document.
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2" | head -1; }
# metric_sum NAME [FILTER]: sum of a Prometheus metric's samples (optionally lines matching FILTER).
metric_sum() {
    awk -v name="$1" -v filter="${2:-}" '
        $1 ~ "^"name"({|$)" && (filter == "" || index($1, filter) > 0) { s += $NF }
        END { printf "%d", s }' <<<"$metrics"
}

echo
start=$(date +%s)
while :; do
    status="$(curl -sS "$status_url" || true)"
    metrics="$(curl -sS -H "Authorization: Bearer $token" "$metrics_url" || true)"
    seeded=$(field seeded "$status")
    created=$(field created_on_amazon "$status")
    in_odoo=$(field in_odoo "$status")
    confirmed=$(field confirmed "$status")
    cancelled=$(field cancelled "$status")
    shipped=$(field shipped "$status")
    final=$(field final_state "$status")
    dup=$(field duplicates "$status")
    dl_expected=$(field dead_letter_expected "$status")
    mfn_to_ship=$(field mfn_to_ship "$status")
    mfn_shipped=$(field mfn_shipped "$status")
    mfn_confirmed=$(field shipment_confirmations "$status")
    dead=$(metric_sum clarity_store_dead_letters)
    waits=$(( $(metric_sum clarity_ratelimit_throttled_waits_total) + $(metric_sum clarity_amazon_throttled_total) ))
    jobs_done=$(metric_sum clarity_flow_jobs_total 'outcome="done"')
    retried=$(metric_sum clarity_flow_jobs_total 'outcome="retried"')
    elapsed=$(( $(date +%s) - start ))
    printf '[%4ss] amazon %s/%s orders | odoo %s imported, %s confirmed, %s cancelled, %s FBA shipped | MFN %s/%s confirmed on Amazon | final %s/%s | dead letters %s | quota waits %s | jobs %s done, %s retried%s\n' \
        "$elapsed" "${created:-?}" "${seeded:-?}" "${in_odoo:-?}" "${confirmed:-?}" "${cancelled:-?}" \
        "${shipped:-?}" "${mfn_confirmed:-?}" "${mfn_to_ship:-?}" "${final:-?}" "${seeded:-?}" "$dead" "$waits" "$jobs_done" "$retried" \
        "$([ "${dup:-0}" != 0 ] && echo " | DUPLICATES $dup")"
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
        tail -20 "$work/daemon.log" >&2
        echo "demo: the daemon stopped" >&2
        exit 1
    fi
    if [ "$exit_when_idle" = 1 ] && [ -n "$seeded" ]; then
        counted_dead=$(( dead < dl_expected ? dead : dl_expected ))
        if [ $(( final + counted_dead )) -ge "$seeded" ] && [ "${mfn_confirmed:-0}" -ge "${mfn_to_ship:-0}" ]; then
            echo
            echo "== summary"
            echo "every seeded order is in its final state after ${elapsed}s:"
            echo "  $seeded orders seeded on the fake SP-API, $in_odoo sale orders in the fake Odoo ($dup duplicates)"
            echo "  $confirmed confirmed, $cancelled cancelled, $shipped FBA orders delivered with tracking"
            echo "  $mfn_confirmed MFN shipments confirmed on Amazon, with tracking ($mfn_shipped merchant deliveries validated in Odoo by the sandbox's warehouse)"
            echo "  $(field european "$status") of them from amazon.de: in EUR (pricelist \"Amazon EUR\"), VAT included, totals equal to Amazon's"
            echo "  $dead dead-lettered (the unknown SKU $(sed -n 's/.*"unknown_sku":"\([^"]*\)".*/\1/p' <<<"$status")); fix: create the product, then clarity-connect queue replay"
            echo "  quota waits: $waits; jobs done: $jobs_done, retried: $retried"
            exit 0
        fi
        if [ "$elapsed" -ge "$timeout" ]; then
            echo "demo: not every order reached its final state within ${timeout}s (final $final/$seeded)." >&2
            echo "demo: mismatches: $(sed -n 's/.*"mismatches":\(\[[^]]*\]\).*/\1/p' <<<"$status")" >&2
            echo "demo: daemon log: $work/daemon.log (last lines below)" >&2
            tail -15 "$work/daemon.log" >&2
            DEMO_KEEP=1
            exit 1
        fi
    fi
    sleep 2
done
