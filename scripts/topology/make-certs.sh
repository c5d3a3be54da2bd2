#!/bin/sh
# Makes a private CA and the certificates for mutual TLS on the Temporal frontend: `server.pem` (SAN localhost,
# 127.0.0.1 and every name given, e.g. `temporal`; also valid as a client certificate, as the server's own
# system worker presents it to the frontend) and `client.pem` for the workers, the API, the UI and the admin
# jobs. For trying the compose file and for tests; production mounts certificates from the company's PKI.
#
# Usage: make-certs.sh <dir> [name ...]   (keeps existing files; FORCE=1 makes new ones)
# Environment: KEY_MODE (file mode of the keys, default 0600; 0644 when containers of other users read them),
#              DAYS (validity, default 365).
set -eu

[ $# -ge 1 ] || { echo "usage: $0 <dir> [server name ...]" >&2; exit 2; }
dir=$1
shift
days=${DAYS:-365}
key_mode=${KEY_MODE:-0600}
mkdir -p "$dir"
cd "$dir"

if [ -z "${FORCE:-}" ] && [ -s ca.pem ] && [ -s server.pem ] && [ -s server.key ] && [ -s client.pem ] && [ -s client.key ]; then
  echo "make-certs: certificates already in $dir (FORCE=1 to replace them)"
  exit 0
fi

san="DNS:localhost,IP:127.0.0.1"
for name in "$@"; do
  case $name in
    *[!0-9.]*) san="$san,DNS:$name" ;;
    *) san="$san,IP:$name" ;;
  esac
done

umask 077
key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2086
openssl req -x509 $key -keyout ca.key -out ca.pem -days "$days" -subj /CN=cs-cases-temporal-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null

# shellcheck disable=SC2086
openssl req $key -keyout server.key -out "$tmp/server.csr" -subj /CN=temporal-frontend 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$san" > "$tmp/server.ext"
openssl x509 -req -in "$tmp/server.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -CAserial "$tmp/ca.srl" \
  -out server.pem -days "$days" -extfile "$tmp/server.ext" 2>/dev/null

# shellcheck disable=SC2086
openssl req $key -keyout client.key -out "$tmp/client.csr" -subj /CN=cs-cases-client 2>/dev/null
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > "$tmp/client.ext"
openssl x509 -req -in "$tmp/client.csr" -CA ca.pem -CAkey ca.key -CAserial "$tmp/ca.srl" \
  -out client.pem -days "$days" -extfile "$tmp/client.ext" 2>/dev/null

chmod 0644 ca.pem server.pem client.pem
chmod "$key_mode" server.key client.key
chmod 0600 ca.key
echo "make-certs: CA, server ($san) and client certificates in $dir"
