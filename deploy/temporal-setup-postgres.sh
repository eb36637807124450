#!/bin/sh
# One-shot schema job for the Temporal server's PostgreSQL databases (run by the `temporal-schema`
# service of docker-compose.yml with the temporalio/admin-tools image). Idempotent: on a database
# that already exists it only applies pending schema updates.
set -eu

: "${POSTGRES_SEEDS:?set POSTGRES_SEEDS (host of PostgreSQL)}"
: "${POSTGRES_USER:?set POSTGRES_USER}"
: "${SQL_PASSWORD:?set SQL_PASSWORD (the PostgreSQL password)}"
DB_PORT="${DB_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}"
i=0
until nc -z "$POSTGRES_SEEDS" "$DB_PORT"; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then echo "PostgreSQL did not answer within 120 s" >&2; exit 1; fi
  sleep 2
done

for db in temporal temporal_visibility; do
  if [ "$db" = temporal ]; then schema=temporal; else schema=visibility; fi
  tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p $DB_PORT -u $POSTGRES_USER --db $db"
  # SQL_PASSWORD is read from the environment by temporal-sql-tool.
  $tool create 2>/dev/null || echo "database $db exists"
  $tool setup-schema -v 0.0 2>/dev/null || echo "schema of $db already set up"
  $tool update-schema -d "$SCHEMA_DIR/$schema/versioned"
done
echo "Temporal schema ready"
