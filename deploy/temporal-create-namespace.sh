#!/bin/sh
# One-shot job: creates the Countersign namespace and registers its search attributes, so the
# service starts against a ready cluster. (The service also registers missing search attributes at
# start, see ensureSearchAttributes in infra/temporal; this job makes it explicit and early.)
set -eu
NS="${TEMPORAL_NAMESPACE:-default}"
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}"

i=0
until temporal operator cluster health >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -ge 90 ]; then echo "Temporal at $TEMPORAL_ADDRESS is not healthy after 180 s" >&2; exit 1; fi
  sleep 2
done

temporal operator namespace describe --namespace "$NS" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NS" --retention "${TEMPORAL_RETENTION:-720h}"

# Must match SEARCH_ATTRIBUTE_TYPES in core/search-attributes.ts.
for sa in CountersignStatus=Keyword CountersignGroups=KeywordList CountersignBlueprint=Keyword CountersignTenant=Keyword CountersignDeadline=Datetime CountersignAgent=Keyword CountersignEligible=KeywordList; do
  name=${sa%%=*}
  type=${sa#*=}
  if temporal operator search-attribute list --namespace "$NS" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NS" --name "$name" --type "$type"
  fi
done
echo "namespace $NS ready"
