#!/usr/bin/env bash
# Alder test certificates: a test CA, server and client certificates, and deliberately bad ones, for the echo
# server and the TCP/TLS qualification groups. It must never print a key, nor make anything meant for production.
#
# Usage: tools/certs/make_certs.sh <out-dir>
# Does nothing when <out-dir>/.complete is newer than this script. tools/certs/README.md lists the files.
set -euo pipefail

me="make_certs"
if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 <out-dir>" >&2
    exit 2
fi
if ! command -v openssl >/dev/null 2>&1; then
    echo "$me: openssl not found; install the Debian package openssl (tools/install-deps.sh host)" >&2
    exit 1
fi

out="$1"
script="${BASH_SOURCE[0]}"

up_to_date() {
    [ -f "$out/.complete" ] && [ "$out/.complete" -nt "$script" ]
}

if up_to_date; then
    echo "$me: $out is up to date"
    exit 0
fi
mkdir -p "$out"
# Two runs at once (two test trees, say) would mix a CA of one run with certificates of the other.
exec 9>"$out/.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi
if up_to_date; then
    echo "$me: $out is up to date"
    exit 0
fi
rm -f "$out/.complete"

umask 022
# mktemp -d makes a directory only we can read: keys are private there until they are moved out.
work="$(mktemp -d "$out/.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Runs an openssl command quietly; on failure shows what it said. None of these commands writes a key to its
# output: keys only ever go to files.
run() {
    if ! "$@" >"$work/openssl.log" 2>&1; then
        echo "$me: failed: $*" >&2
        cat "$work/openssl.log" >&2
        exit 1
    fi
}

# One day back, so that a device whose clock is a little behind the host still accepts the certificates.
not_before="$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ)"
valid_days=3650

# new_key NAME ec|rsa: a PKCS#8 PEM key in $work/NAME.key.
new_key() {
    case "$2" in
    ec) run openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key" ;;
    rsa) run openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/$1.key" ;;
    esac
    chmod 600 "$work/$1.key"
}

# new_ca NAME CN: a self-signed EC CA in $work/NAME.crt/.key, with its own `openssl ca` database.
new_ca() {
    local name="$1" cn="$2" db="$work/$1.db"
    mkdir -p "$db/newcerts"
    : >"$db/index.txt"
    openssl rand -hex 16 >"$db/serial"
    cat >"$db/ca.cnf" <<EOF
[ ca ]
default_ca = signer
[ signer ]
database = $db/index.txt
new_certs_dir = $db/newcerts
serial = $db/serial
certificate = $work/$name.crt
private_key = $work/$name.key
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
[ policy_any ]
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
EOF
    cat >"$db/ca.ext" <<EOF
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
    new_key "$name" ec
    run openssl req -new -config "$db/ca.cnf" -key "$work/$name.key" -subj "/O=Alder Test/CN=$cn" \
        -out "$work/$name.csr"
    run openssl ca -batch -notext -selfsign -config "$db/ca.cnf" -keyfile "$work/$name.key" \
        -extfile "$db/ca.ext" -startdate "$not_before" -days "$valid_days" -in "$work/$name.csr" \
        -out "$work/$name.crt"
}

# leaf NAME ec|rsa CA CN PROFILE [STARTDATE ENDDATE]: NAME.crt/.key signed by CA.
# PROFILE: server, server_expired (also a client certificate, so a server rejects it for its dates alone),
# wronghost, client.
leaf() {
    local name="$1" type="$2" ca="$3" cn="$4" profile="$5"
    local ku="digitalSignature" eku san=""
    if [ "$type" = rsa ]; then
        ku="digitalSignature, keyEncipherment"
    fi
    case "$profile" in
    server) eku="serverAuth" san="DNS:localhost, IP:127.0.0.1" ;;
    server_expired) eku="serverAuth, clientAuth" san="DNS:localhost, IP:127.0.0.1" ;;
    wronghost) eku="serverAuth" san="DNS:wrong.example" ;;
    client) eku="clientAuth" ;;
    esac
    {
        echo "basicConstraints = critical, CA:FALSE"
        echo "keyUsage = critical, $ku"
        echo "extendedKeyUsage = $eku"
        echo "subjectKeyIdentifier = hash"
        echo "authorityKeyIdentifier = keyid"
        if [ -n "$san" ]; then
            echo "subjectAltName = $san"
        fi
    } >"$work/$name.ext"
    local dates=(-startdate "$not_before" -days "$valid_days")
    if [ $# -ge 7 ]; then
        dates=(-startdate "$6" -enddate "$7")
    fi

    new_key "$name" "$type"
    run openssl req -new -config "$work/$ca.db/ca.cnf" -key "$work/$name.key" \
        -subj "/O=Alder Test/CN=$cn" -out "$work/$name.csr"
    run openssl ca -batch -notext -config "$work/$ca.db/ca.cnf" -extfile "$work/$name.ext" "${dates[@]}" \
        -in "$work/$name.csr" -out "$work/$name.crt"
}

# der NAME: NAME.crt.der (certificate) and, for a client, NAME.key.der (PKCS#8, unencrypted).
der() {
    run openssl x509 -in "$work/$1.crt" -outform DER -out "$work/$1.crt.der"
    if [ -f "$work/$1.key" ] && [ "${1#client}" != "$1" ]; then
        run openssl pkcs8 -topk8 -nocrypt -in "$work/$1.key" -outform DER -out "$work/$1.key.der"
        chmod 600 "$work/$1.key.der"
    fi
}

# Checks that each certificate matches its key, and that the chains (and the bad ones) are what they claim.
check() {
    local name
    for name in ca server_ec server_rsa client_ec client_rsa client_untrusted server_expired server_wronghost; do
        openssl x509 -in "$work/$name.crt" -noout -pubkey >"$work/cert.pub" 2>/dev/null
        openssl pkey -in "$work/$name.key" -pubout >"$work/key.pub" 2>/dev/null
        if ! cmp -s "$work/cert.pub" "$work/key.pub"; then
            echo "$me: $name.crt does not match $name.key" >&2
            exit 1
        fi
    done
    run openssl verify -CAfile "$work/ca.crt" "$work/server_ec.crt" "$work/server_rsa.crt" \
        "$work/client_ec.crt" "$work/client_rsa.crt" "$work/server_wronghost.crt"
    run openssl verify -CAfile "$work/untrusted_ca.crt" "$work/client_untrusted.crt"
    run openssl verify -no_check_time -CAfile "$work/ca.crt" "$work/server_expired.crt"
    if openssl verify -CAfile "$work/ca.crt" "$work/client_untrusted.crt" >/dev/null 2>&1; then
        echo "$me: client_untrusted.crt verifies against ca.crt; it must not" >&2
        exit 1
    fi
    if openssl verify -CAfile "$work/ca.crt" "$work/server_expired.crt" >/dev/null 2>&1; then
        echo "$me: server_expired.crt is still valid; it must not be" >&2
        exit 1
    fi
}

new_ca ca "Alder Test CA"
new_ca untrusted_ca "Alder Untrusted Test CA"
leaf server_ec ec ca localhost server
leaf server_rsa rsa ca localhost server
leaf client_ec ec ca "alder-test-client-ec" client
leaf client_rsa rsa ca "alder-test-client-rsa" client
leaf client_untrusted ec untrusted_ca "alder-test-client-untrusted" client
leaf server_expired ec ca localhost server_expired 20200101000000Z 20210101000000Z
leaf server_wronghost ec ca wrong.example wronghost
for name in ca client_ec client_rsa client_untrusted; do
    der "$name"
done
check

files=(ca.crt ca.key untrusted_ca.crt ca.crt.der)
for name in server_ec server_rsa server_expired server_wronghost client_ec client_rsa client_untrusted; do
    files+=("$name.crt" "$name.key")
done
for name in client_ec client_rsa client_untrusted; do
    files+=("$name.crt.der" "$name.key.der")
done
for file in "${files[@]}"; do
    mv -f "$work/$file" "$out/$file"
done
touch "$out/.complete"
echo "$me: wrote ${#files[@]} files to $out"
