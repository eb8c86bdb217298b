#!/usr/bin/env bash
# make demo: runs the daemon from BUILD against the example configuration.
set -euo pipefail
build="$1"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec "$build/src/app/clarity-connect" version
