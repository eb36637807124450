#!/usr/bin/env bash
# Validates docker-compose.yml with the real Compose v2 (`docker compose config`), no Docker engine
# needed. Called from .ci/run. Finds a compose CLI in this order:
#   1. `docker compose` (the v2 plugin) when it works,
#   2. $COMPOSE_BIN, or .tools/docker-compose-<version>, or the machine cache
#      ($COUNTERSIGN_CACHE_DIR or $HOME/.cache/countersign)/compose/docker-compose-<version>,
#   3. else builds github.com/docker/compose/v2 <version> from the Go module proxy (needs Go >= 1.24;
#      `go install …@version` is refused because compose's go.mod has exclude directives, so the
#      module is downloaded and built in place). Takes a few minutes once; cached afterwards.
# Then checks: the file renders with the example env files, both countersign services have
# 2 replicas and a health check, POSTGRES_PASSWORD is required (no default secret), and the
# helper scripts parse. Exit 0 ok, 1 check failed, 2 no compose CLI obtainable.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

COMPOSE_VERSION="${COMPOSE_VERSION:-v2.40.3}"
CACHE="${COUNTERSIGN_CACHE_DIR:-$HOME/.cache/countersign}/compose"
LOCAL=".tools/docker-compose-$COMPOSE_VERSION"
say() { echo "[compose] $*" >&2; }

find_compose() {
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
    return 0
  fi
  for candidate in "${COMPOSE_BIN:-}" "$LOCAL" "$CACHE/docker-compose-$COMPOSE_VERSION"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" version >/dev/null 2>&1; then
      if [ "$candidate" != "$LOCAL" ] && [ "$candidate" != "${COMPOSE_BIN:-}" ]; then
        mkdir -p .tools && cp "$candidate" "$LOCAL"
        candidate="$LOCAL"
      fi
      COMPOSE=("$candidate")
      return 0
    fi
  done
  return 1
}

build_compose() {
  if ! command -v go >/dev/null 2>&1; then
    say "no 'docker compose' and no Go: install the Docker Compose v2 plugin, or Go >= 1.24 so this script can build it," \
      "or set COMPOSE_BIN to a docker-compose v2 binary"
    exit 2
  fi
  say "building docker compose $COMPOSE_VERSION with $(go version) (once; cached in $CACHE)"
  local dir work
  dir=$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})') || {
    say "could not download github.com/docker/compose/v2@$COMPOSE_VERSION from the Go module proxy ($(go env GOPROXY))"
    exit 2
  }
  work=$(mktemp -d)
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' RETURN
  cp -R "$dir/." "$work/"
  chmod -R u+w "$work"
  mkdir -p "$CACHE" .tools
  if ! (cd "$work" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" -o "$CACHE/docker-compose-$COMPOSE_VERSION.tmp" ./cmd); then
    say "go build of docker compose $COMPOSE_VERSION failed (see above)"
    exit 2
  fi
  mv "$CACHE/docker-compose-$COMPOSE_VERSION.tmp" "$CACHE/docker-compose-$COMPOSE_VERSION"
  cp "$CACHE/docker-compose-$COMPOSE_VERSION" "$LOCAL"
  COMPOSE=("$LOCAL")
}

find_compose || build_compose
say "using ${COMPOSE[*]} ($("${COMPOSE[@]}" version --short 2>/dev/null || echo '?'))"

fail() {
  say "FAIL: $*"
  exit 1
}

# Render with the example env files only (nothing from the caller's shell or a local .env).
run_config() { # run_config <env-file> <args…>
  local env_file=$1
  shift
  env -u POSTGRES_PASSWORD -u COUNTERSIGN_ENV_FILE COUNTERSIGN_ENV_FILE=./deploy/countersign.env.example \
    "${COMPOSE[@]}" --project-directory . -f docker-compose.yml --env-file "$env_file" config "$@"
}

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
run_config deploy/compose.env.example --quiet || fail "docker compose config rejected docker-compose.yml"
run_config deploy/compose.env.example --format json >"$rendered" || fail "docker compose config --format json failed"

node - "$rendered" <<'EOF' || exit 1
const fs = require('node:fs');
const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const problems = [];
const s = cfg.services ?? {};
for (const name of ['postgresql', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui', 'countersign-api', 'countersign-worker']) {
  if (!s[name]) problems.push(`service ${name} is missing`);
}
for (const name of ['countersign-api', 'countersign-worker']) {
  const svc = s[name];
  if (!svc) continue;
  if (svc.deploy?.replicas !== 2) problems.push(`${name}: deploy.replicas is ${svc.deploy?.replicas}, want 2`);
  if (!svc.healthcheck?.test) problems.push(`${name}: no healthcheck`);
  if (!svc.build && !svc.image) problems.push(`${name}: no image or build`);
  if (svc.environment?.TEMPORAL_ADDRESS !== 'temporal:7233') problems.push(`${name}: TEMPORAL_ADDRESS is not temporal:7233`);
  for (const [k, v] of Object.entries(svc.environment ?? {})) {
    if (/KEY|TOKEN|SECRET|PASSWORD/.test(k) && !k.endsWith("_FILE") && v) problems.push(`${name}: secret-looking ${k} has a value in the compose file itself`);
  }
}
for (const name of ['postgresql', 'temporal', 'countersign-api', 'countersign-worker']) {
  if (s[name] && !s[name].healthcheck) problems.push(`${name}: no healthcheck`);
}
for (const v of ['temporal-postgres', 'countersign-audit']) if (!cfg.volumes?.[v]) problems.push(`named volume ${v} is missing`);
if (problems.length) {
  console.error(`[compose] FAIL:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
EOF

# No default secret: without POSTGRES_PASSWORD the file must not render.
empty=$(mktemp)
if run_config "$empty" --quiet >/dev/null 2>"$empty.err"; then
  rm -f "$empty" "$empty.err"
  fail "docker-compose.yml renders without POSTGRES_PASSWORD: it must be required"
fi
grep -q POSTGRES_PASSWORD "$empty.err" || fail "missing POSTGRES_PASSWORD did not produce a clear error: $(cat "$empty.err")"
rm -f "$empty" "$empty.err"

for script in deploy/entrypoint.sh deploy/temporal-setup-postgres.sh deploy/temporal-create-namespace.sh; do
  sh -n "$script" || fail "$script does not parse"
done
node --check deploy/healthcheck.mjs || fail "deploy/healthcheck.mjs does not parse"
say "ok: docker-compose.yml renders; api and worker have 2 replicas and health checks; secrets are required, not defaulted"
