#!/bin/sh
# Makes a running Temporal server fit for cs-cases: namespace with 30-day retention of closed cases (created
# or updated) and the case search attributes (created when missing, checked when present). The compose
# `temporal-setup` job and the test topology both run it; safe to run again at any time.
#
# Environment:
#   TEMPORAL_CLI             Temporal CLI                          temporal
#   TEMPORAL_ADDRESS         frontend host:port                    temporal:7233
#   TEMPORAL_NAMESPACE       namespace                             default
#   TEMPORAL_RETENTION       retention of closed workflows         720h (30 days)
#   TEMPORAL_TLS_CA_FILE     CA of the frontend's certificate      (TLS on when any TLS variable is set)
#   TEMPORAL_TLS_CERT_FILE   client certificate (mTLS)
#   TEMPORAL_TLS_KEY_FILE    client key (mTLS)
#   TEMPORAL_TLS_SERVER_NAME name to verify the frontend's certificate against
#   TEMPORAL_WAIT_SECONDS    how long to wait for the frontend to serve   120
set -eu

cli=${TEMPORAL_CLI:-temporal}
address=${TEMPORAL_ADDRESS:-temporal:7233}
namespace=${TEMPORAL_NAMESPACE:-default}
retention=${TEMPORAL_RETENTION:-720h}
wait_seconds=${TEMPORAL_WAIT_SECONDS:-120}

# Keep identical to CASE_SEARCH_ATTRIBUTES in scripts/lib/search-attributes.ts (a unit test compares them).
SEARCH_ATTRIBUTES="CaseKind=Keyword CaseStatus=Keyword CasePriority=Keyword OwnerRole=Keyword MerchantId=Keyword PolicyId=Keyword OrderId=Keyword CaseOutcome=Keyword EscalationLevel=Int SlaBreached=Bool NextDeadline=Datetime DeliveryState=Keyword"

set -- --address "$address"
if [ -n "${TEMPORAL_TLS_CA_FILE:-}${TEMPORAL_TLS_CERT_FILE:-}${TEMPORAL_TLS_KEY_FILE:-}${TEMPORAL_TLS_SERVER_NAME:-}" ]; then
  set -- "$@" --tls
  [ -z "${TEMPORAL_TLS_CA_FILE:-}" ] || set -- "$@" --tls-ca-path "$TEMPORAL_TLS_CA_FILE"
  [ -z "${TEMPORAL_TLS_CERT_FILE:-}" ] || set -- "$@" --tls-cert-path "$TEMPORAL_TLS_CERT_FILE"
  [ -z "${TEMPORAL_TLS_KEY_FILE:-}" ] || set -- "$@" --tls-key-path "$TEMPORAL_TLS_KEY_FILE"
  [ -z "${TEMPORAL_TLS_SERVER_NAME:-}" ] || set -- "$@" --tls-server-name "$TEMPORAL_TLS_SERVER_NAME"
fi
# Remote codecs and other profiles of the environment are not for this job.
unset TEMPORAL_CODEC_ENDPOINT TEMPORAL_CODEC_AUTH TEMPORAL_PROFILE TEMPORAL_ENV 2>/dev/null || true

t() {
  "$cli" "$@"
}

deadline=$(( $(date +%s) + wait_seconds ))  # for the frontend, then for the namespace
until out=$(t operator cluster health "$@" 2>&1) && echo "$out" | grep -q SERVING; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "temporal-setup: the frontend at $address did not serve within ${wait_seconds}s:" >&2
    echo "$out" >&2
    exit 1
  fi
  sleep 1
done

if t operator namespace describe "$@" --namespace "$namespace" >/dev/null 2>&1; then
  t operator namespace update "$@" --namespace "$namespace" --retention "$retention" >/dev/null
  echo "temporal-setup: namespace $namespace updated (retention $retention)"
elif t operator namespace create "$@" --namespace "$namespace" --retention "$retention" >/dev/null 2>&1; then
  echo "temporal-setup: namespace $namespace created (retention $retention)"
else
  # Created by someone else meanwhile: update it instead (this fails loudly if the namespace is not there).
  t operator namespace update "$@" --namespace "$namespace" --retention "$retention" >/dev/null
  echo "temporal-setup: namespace $namespace updated (retention $retention)"
fi

# `search-attribute list` prints a table of "Name Type" rows.
registered_type() {
  echo "$registered" | awk -v name="$1" '$1 == name { print $2; exit }'
}

# A new namespace reaches the frontend's namespace cache only at its next refresh (10 s by default).
until registered=$(t operator search-attribute list "$@" --namespace "$namespace" 2>&1); do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "temporal-setup: namespace $namespace not usable within ${wait_seconds}s: $registered" >&2
    exit 1
  fi
  sleep 1
done
created=""
for pair in $SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  type=${pair#*=}
  have=$(registered_type "$name")
  if [ -z "$have" ]; then
    if ! err=$(t operator search-attribute create "$@" --namespace "$namespace" --name "$name" --type "$type" 2>&1); then
      # A concurrent run may have just added it; the check below tells.
      registered=$(t operator search-attribute list "$@" --namespace "$namespace")
      have=$(registered_type "$name")
      [ -n "$have" ] || { echo "temporal-setup: cannot create search attribute $name ($type): $err" >&2; exit 1; }
    else
      created="$created $name"
      have=$type
    fi
  fi
  if [ "$(echo "$have" | tr 'A-Z' 'a-z')" != "$(echo "$type" | tr 'A-Z' 'a-z')" ]; then
    echo "temporal-setup: search attribute $name is registered as $have, cs-cases needs $type" >&2
    exit 1
  fi
done
echo "temporal-setup: search attributes ready on $namespace${created:+ (created:$created)}"
