#!/bin/sh
# Container entry point: `countersign <command>` (api | worker | audit verify <file> | policy …).
# With COUNTERSIGN_DATA_DIR_PER_REPLICA=1 each container gets its own data directory
# <COUNTERSIGN_DATA_DIR>/<hostname>: the audit log is single-writer (one hash chain per worker), so
# replicas sharing one volume must not append to the same file.
set -eu
if [ "${COUNTERSIGN_DATA_DIR_PER_REPLICA:-0}" = "1" ]; then
  COUNTERSIGN_DATA_DIR="${COUNTERSIGN_DATA_DIR:-/var/lib/countersign}/$(hostname)"
  export COUNTERSIGN_DATA_DIR
  mkdir -p "$COUNTERSIGN_DATA_DIR"
fi
exec node /app/bin/countersign.js "$@"
