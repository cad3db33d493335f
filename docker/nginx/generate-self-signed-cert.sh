#!/bin/sh
# Makes sure nginx has a TLS certificate: when TLS_DIR (default /etc/nginx/tls)
# lacks tls.crt/tls.key, generates a self-signed one for TLS_HOSTNAME (default
# localhost), valid TLS_DAYS days (default 365). A mounted certificate is never
# touched. Run by the official nginx image's entrypoint from
# /docker-entrypoint.d/ (see docker-compose.full.yml); usable anywhere else.
# Self-signed certificates are for testing only: mount a real one in production.
set -eu

tls_dir="${TLS_DIR:-/etc/nginx/tls}"
hostname="${TLS_HOSTNAME:-localhost}"
days="${TLS_DAYS:-365}"
crt="${tls_dir}/tls.crt"
key="${tls_dir}/tls.key"

if [ -s "${crt}" ] && [ -s "${key}" ]; then
    echo "$0: using the certificate in ${tls_dir}"
    exit 0
fi
if ! command -v openssl >/dev/null 2>&1; then
    echo "$0: no certificate in ${tls_dir} and no openssl to generate one: mount tls.crt and tls.key there" >&2
    exit 1
fi

san="DNS:${hostname},IP:127.0.0.1"
if [ "${hostname}" != localhost ]; then
    san="${san},DNS:localhost"
fi

echo "$0: generating a self-signed certificate for ${hostname} in ${tls_dir}"
mkdir -p "${tls_dir}"
umask 077
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "${days}" \
    -subj "/CN=${hostname}" \
    -addext "subjectAltName=${san}" \
    -keyout "${key}.tmp" -out "${crt}.tmp" 2>/dev/null
chmod 600 "${key}.tmp"
chmod 644 "${crt}.tmp"
mv "${key}.tmp" "${key}"
mv "${crt}.tmp" "${crt}"
