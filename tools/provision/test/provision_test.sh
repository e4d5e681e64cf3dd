#!/usr/bin/env bash
# alder_provision tests: one case per run, in a new temporary store, checked with the tool's own listing, OpenSC's
# pkcs11-tool on libalder_pkcs11.so, and openssl. It must never pass on an exit status alone: each step also checks
# the message, the listing, or the bytes the token gives back.
#
# Usage: provision_test.sh CASE <alder_provision> <certs-dir> <openssl> <pkcs11-tool> <libalder_pkcs11.so>
# CASE: usage, import_ec, import_rsa, mismatch, bad_inputs, generate_csr. <certs-dir> is tools/certs/make_certs.sh's.
set -euo pipefail

if [ $# -ne 6 ]; then
    echo "usage: $0 CASE alder_provision certs-dir openssl pkcs11-tool libalder_pkcs11.so" >&2
    exit 2
fi
case_name=$1
tool=$2
certs=$3
openssl=$4
p11tool=$5
module=$6
pin=0000

work=$(mktemp -d "${TMPDIR:-/tmp}/alder-provision-XXXXXX")
trap 'rm -rf "$work"' EXIT
store="$work/store"

step() { echo "== $*"; }
fail() {
    echo "FAIL: $*"
    exit 1
}

# run STATUS ARGS...: the tool on this case's store; it must exit with STATUS. Output in $work/out and $work/err.
run() {
    local expected=$1 status=0
    shift
    "$tool" "$@" --store "$store" >"$work/out" 2>"$work/err" || status=$?
    cat "$work/out" "$work/err"
    [ "$status" -eq "$expected" ] || fail "alder_provision $* exited $status, expected $expected"
}

out_has() { grep -qF -- "$1" "$work/out" || fail "the output lacks: $1"; }

# A failure is one line on stderr, with the expected text.
error_is() {
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "expected one error line, got: $(cat "$work/err")"
    grep -qF -- "$1" "$work/err" || fail "the error lacks: $1"
}

# The tool's listing has exactly COUNT objects, and each LINE given (a regular expression) among them.
listing_is() {
    local count=$1
    shift
    run 0 list
    out_has "$count object"
    [ "$(grep -c '^"' "$work/out" || true)" -eq "$count" ] || fail "the listing does not hold $count objects"
    local line
    for line in "$@"; do
        grep -qE -- "$line" "$work/out" || fail "the listing lacks: $line"
    done
}

# No line of the key file's PEM body appears in anything the tool printed.
no_key_material() {
    local line
    while IFS= read -r line; do
        case "$line" in -----*) continue ;; esac
        if grep -qF -- "$line" "$work/out" "$work/err"; then fail "the tool printed key material"; fi
    done <"$1"
}

p11() { ALDER_PKCS11_DIR="$store" "$p11tool" --module "$module" "$@"; }

# pkcs11-tool, logged in, lists the objects; each argument is a text its listing must hold.
p11_lists() {
    p11 --login --pin "$pin" --list-objects >"$work/p11.txt" 2>&1 || fail "pkcs11-tool -O: $(cat "$work/p11.txt")"
    cat "$work/p11.txt"
    local text
    for text in "$@"; do
        grep -qF -- "$text" "$work/p11.txt" || fail "pkcs11-tool's listing lacks: $text"
    done
}

# The certificate the token holds under LABEL is byte for byte the DER file given.
stored_certificate_is() {
    p11 --read-object --type cert --label "$1" --output-file "$work/read.der" >/dev/null 2>&1 ||
        fail "pkcs11-tool cannot read the certificate \"$1\""
    cmp -s "$work/read.der" "$2" || fail "the certificate under \"$1\" is not $2"
}

# The token's key signs (pkcs11-tool), and openssl verifies with the certificate's public key; the same signature
# over other data must fail, or the check proves nothing.
ec_key_signs_for() {
    "$openssl" x509 -in "$1" -pubkey -noout >"$work/cert_pub.pem"
    head -c 32 /dev/urandom >"$work/hash.bin"
    p11 --login --pin "$pin" --sign --mechanism ECDSA --label "Device Priv TLS Key" --input-file "$work/hash.bin" \
        --signature-format openssl --output-file "$work/sig.der" >/dev/null 2>&1 || fail "pkcs11-tool --sign (ECDSA)"
    "$openssl" pkeyutl -verify -pubin -inkey "$work/cert_pub.pem" -in "$work/hash.bin" -sigfile "$work/sig.der" |
        grep -q "Signature Verified Successfully" || fail "openssl does not verify the token's ECDSA signature"
    head -c 32 /dev/zero >"$work/other.bin"
    if "$openssl" pkeyutl -verify -pubin -inkey "$work/cert_pub.pem" -in "$work/other.bin" \
        -sigfile "$work/sig.der" >/dev/null 2>&1; then
        fail "openssl verified the signature over other data"
    fi
}

rsa_key_signs_for() {
    "$openssl" x509 -in "$1" -pubkey -noout >"$work/cert_pub.pem"
    printf 'Alder provisioning test' >"$work/data.txt"
    # CKM_RSA_PKCS signs a DigestInfo: the SHA-256 prefix (RFC 8017, 9.2 note 1), then the hash.
    printf '\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20' >"$work/digest_info.bin"
    "$openssl" dgst -sha256 -binary "$work/data.txt" >>"$work/digest_info.bin"
    p11 --login --pin "$pin" --sign --mechanism RSA-PKCS --label "Device Priv TLS Key" \
        --input-file "$work/digest_info.bin" --output-file "$work/sig.bin" >/dev/null 2>&1 ||
        fail "pkcs11-tool --sign (RSA-PKCS)"
    "$openssl" dgst -sha256 -verify "$work/cert_pub.pem" -signature "$work/sig.bin" "$work/data.txt" |
        grep -q "Verified OK" || fail "openssl does not verify the token's RSA signature"
    printf 'other data' >"$work/other.txt"
    if "$openssl" dgst -sha256 -verify "$work/cert_pub.pem" -signature "$work/sig.bin" "$work/other.txt" \
        >/dev/null 2>&1; then
        fail "openssl verified the signature over other data"
    fi
}

case_usage() {
    step "--help: the reference, exit 0"
    run 0 --help
    out_has "import --key FILE --cert FILE [--root FILE]"
    out_has "generate --subject"
    step "bad command lines: exit 2, one line, nothing touched"
    run 2
    error_is "no command given"
    run 2 frobnicate
    error_is "unknown command: frobnicate"
    run 2 import --key "$certs/client_ec.key"
    error_is "import needs --cert"
    run 2 generate --subject "CN=x"
    error_is "generate needs --csr"
    run 2 list --csr "$work/csr.pem"
    error_is "--csr is not an option of list"
    run 2 import-cert --cert "$certs/client_ec.crt" --key "$certs/client_ec.key"
    error_is "--key is not an option of import-cert"
    run 2 list --bogus 1
    error_is "unknown option --bogus"
    run 2 list --pin
    error_is "a value is missing after --pin"
    run 2 generate --subject "CN=x" --csr --root "$certs/ca.crt"
    error_is "a value is missing after --csr"
    run 2 list --pin 1 --pin 2
    error_is "given twice: --pin"
    run 2 list list
    error_is "unexpected argument: list"
    [ ! -e "$store" ] || fail "a usage error touched the store"
}

case_import_ec() {
    step "import an EC P-256 key, its certificate and the root CA (PEM)"
    run 0 import --key "$certs/client_ec.key" --cert "$certs/client_ec.crt" --root "$certs/ca.crt"
    out_has 'stored the private key (EC P-256) under "Device Priv TLS Key" and its public key under "Device Pub'
    out_has 'stored the device certificate (O=Alder Test, CN=alder-test-client-ec) under "Device Cert"; it matches'
    out_has 'stored the root CA certificate (O=Alder Test, CN=Alder Test CA) under "Root Cert"'
    no_key_material "$certs/client_ec.key"
    listing_is 5 '^"Device Priv TLS Key" +private key +EC$' '^"Device Priv TLS Key" +public key +EC$' \
        '^"Device Pub TLS Key" +public key +EC$' '^"Device Cert" +certificate +X\.509$' \
        '^"Root Cert" +certificate +X\.509$'
    step "pkcs11-tool on libalder_pkcs11.so sees them; the key signs for its certificate"
    p11_lists "Private Key Object; EC" "label:      Device Priv TLS Key" "label:      Device Cert" \
        "label:      Root Cert"
    stored_certificate_is "Device Cert" "$certs/client_ec.crt.der"
    stored_certificate_is "Root Cert" "$certs/ca.crt.der"
    ec_key_signs_for "$certs/client_ec.crt"
    step "again from DER through --module (dlopen): each label still holds one object"
    run 0 import --module "$module" --key "$certs/client_ec.key.der" --cert "$certs/client_ec.crt.der" \
        --root "$certs/ca.crt.der"
    listing_is 5
    ec_key_signs_for "$certs/client_ec.crt"
}

case_import_rsa() {
    step "import an RSA-2048 key and its certificate"
    run 0 import --key "$certs/client_rsa.key" --cert "$certs/client_rsa.crt"
    out_has 'stored the private key (RSA-2048)'
    no_key_material "$certs/client_rsa.key"
    listing_is 4 '^"Device Priv TLS Key" +private key +RSA$' '^"Device Pub TLS Key" +public key +RSA$' \
        '^"Device Cert" +certificate +X\.509$'
    p11_lists "Private Key Object; RSA" "Public Key Object; RSA 2048 bits" "label:      Device Cert"
    stored_certificate_is "Device Cert" "$certs/client_rsa.crt.der"
    rsa_key_signs_for "$certs/client_rsa.crt"
}

case_mismatch() {
    step "a key and a certificate that are not a pair: refused before anything is stored"
    run 1 import --key "$certs/client_ec.key" --cert "$certs/client_rsa.crt"
    error_is "is not the certificate of $certs/client_ec.key; nothing was stored (PKCS11_PROVISION_KEY_MISMATCH)"
    run 1 import --key "$certs/client_ec.key" --cert "$certs/client_untrusted.crt"
    error_is "nothing was stored (PKCS11_PROVISION_KEY_MISMATCH)"
    listing_is 0
    step "import-cert of another key's certificate: refused, the stored one kept"
    run 0 import --key "$certs/client_ec.key" --cert "$certs/client_ec.crt"
    run 1 import-cert --cert "$certs/server_ec.crt"
    error_is "the certificate is not for this key (PKCS11_PROVISION_KEY_MISMATCH)"
    run 1 import-cert --cert "$certs/client_rsa.crt"
    error_is "(PKCS11_PROVISION_KEY_MISMATCH)"
    stored_certificate_is "Device Cert" "$certs/client_ec.crt.der"
}

case_bad_inputs() {
    step "inputs the tool refuses, each with its own message; the store stays empty"
    sed '2s/^\(.........\)./\1*/' "$certs/client_ec.key" >"$work/bad.pem"
    run 1 import --key "$work/bad.pem" --cert "$certs/client_ec.crt"
    error_is "bad.pem: not PEM or DER that parses (PKCS11_PROVISION_BAD_ENCODING"
    head -c 60 "$certs/client_ec.key.der" >"$work/truncated.der"
    run 1 import --key "$work/truncated.der" --cert "$certs/client_ec.crt"
    error_is "truncated.der: not PEM or DER that parses (PKCS11_PROVISION_BAD_ENCODING"
    "$openssl" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$work/p384.key" 2>/dev/null
    "$openssl" req -new -x509 -key "$work/p384.key" -subj "/CN=p384" -days 1 -out "$work/p384.crt" 2>/dev/null
    run 1 import --key "$work/p384.key" --cert "$work/p384.crt"
    error_is "p384.key: the key is neither EC P-256 nor RSA-2048 (PKCS11_PROVISION_UNSUPPORTED_KEY"
    "$openssl" pkcs8 -topk8 -in "$certs/client_ec.key" -v2 aes-128-cbc -passout pass:alder -out "$work/enc.key"
    run 1 import --key "$work/enc.key" --cert "$certs/client_ec.crt"
    error_is "enc.key: the key is encrypted; decrypt it first (PKCS11_PROVISION_KEY_ENCRYPTED"
    run 1 import --key "$certs/client_ec.crt" --cert "$certs/client_ec.crt"
    error_is "client_ec.crt: not PEM or DER that parses (PKCS11_PROVISION_BAD_ENCODING"
    run 1 import --key "$certs/client_ec.key" --cert "$certs/client_ec.key"
    error_is "client_ec.key: not PEM or DER that parses (PKCS11_PROVISION_BAD_ENCODING"
    cat "$certs/client_ec.crt" "$certs/ca.crt" >"$work/chain.pem"
    run 1 import --key "$certs/client_ec.key" --cert "$work/chain.pem"
    error_is "chain.pem: more than one certificate; give the device's own alone (PKCS11_PROVISION_SEVERAL_CERTIFICATES"
    run 1 import --key "$work/missing.key" --cert "$certs/client_ec.crt"
    error_is "missing.key: cannot open: No such file or directory"
    : >"$work/empty.key"
    run 1 import --key "$work/empty.key" --cert "$certs/client_ec.crt"
    error_is "empty.key: empty file"
    run 1 import --key "$certs/client_ec.key" --cert "$certs/client_ec.crt" --pin 9999
    error_is "the token refused the PIN (PKCS11_PROVISION_PIN_INCORRECT, CKR_PIN_INCORRECT)"
    run 1 list --module "$work/missing.so"
    error_is "missing.so: cannot load"
    listing_is 0
}

case_generate_csr() {
    step "generate: a bad subject or CSR path fails before a key is made"
    run 1 generate --subject "XX=thing-1" --csr "$work/csr.pem"
    error_is "bad subject (expected names like \"CN=thing-1,O=Acme\") (PKCS11_PROVISION_BAD_SUBJECT)"
    run 1 generate --subject "CN=thing-1" --csr "$work/no/such/dir/csr.pem"
    error_is "csr.pem: cannot create: No such file or directory"
    listing_is 0
    [ ! -e "$work/csr.pem" ] || fail "a failed generate left a CSR file"
    step "generate a key pair in the token and a CSR; openssl verifies it"
    run 0 generate --subject "CN=thing-1,O=Acme" --csr "$work/csr.pem" --root "$certs/ca.crt"
    out_has 'generated an EC P-256 key pair under "Device Priv TLS Key" and "Device Pub TLS Key"'
    out_has "wrote the certificate signing request for \"CN=thing-1,O=Acme\" to $work/csr.pem"
    "$openssl" req -verify -in "$work/csr.pem" -noout 2>&1 | grep -q "verify OK" || fail "openssl req -verify"
    "$openssl" req -in "$work/csr.pem" -noout -subject | grep -qF "subject=CN = thing-1, O = Acme" ||
        fail "the CSR's subject is not CN=thing-1, O=Acme"
    step "the CSR carries the token's public key"
    p11 --read-object --type pubkey --label "Device Pub TLS Key" --output-file "$work/token_pub.der" >/dev/null 2>&1 ||
        fail "pkcs11-tool cannot read the public key"
    "$openssl" req -in "$work/csr.pem" -noout -pubkey | "$openssl" pkey -pubin -outform DER -out "$work/csr_pub.der"
    cmp -s "$work/token_pub.der" "$work/csr_pub.der" || fail "the CSR's key is not the token's"
    step "the test CA signs it; import-cert takes it, and no other"
    "$openssl" x509 -req -in "$work/csr.pem" -CA "$certs/ca.crt" -CAkey "$certs/ca.key" -set_serial 0x2a -days 30 \
        -sha256 -out "$work/device.crt" 2>/dev/null || fail "openssl x509 -req"
    run 1 import-cert --cert "$certs/client_ec.crt"
    error_is "(PKCS11_PROVISION_KEY_MISMATCH)"
    run 0 import-cert --cert "$work/device.crt"
    out_has 'stored the device certificate (CN=thing-1, O=Acme) under "Device Cert"; it matches'
    listing_is 5 '^"Device Cert" +certificate +X\.509$' '^"Root Cert" +certificate +X\.509$'
    p11_lists "Private Key Object; EC" "label:      Device Priv TLS Key" "label:      Device Cert" \
        "label:      Root Cert"
    "$openssl" x509 -in "$work/device.crt" -outform DER -out "$work/device.der"
    stored_certificate_is "Device Cert" "$work/device.der"
    ec_key_signs_for "$work/device.crt"
    step "--csr - writes the CSR alone to standard output"
    run 0 generate --subject "CN=thing-2" --csr -
    [ "$(head -n 1 "$work/out")" = "-----BEGIN CERTIFICATE REQUEST-----" ] || fail "standard output is not the CSR"
    "$openssl" req -verify -in "$work/out" -noout 2>&1 | grep -q "verify OK" || fail "openssl req -verify (stdout)"
}

case "$case_name" in
usage | import_ec | import_rsa | mismatch | bad_inputs | generate_csr) "case_$case_name" ;;
*)
    echo "unknown case: $case_name" >&2
    exit 2
    ;;
esac
echo "provision $case_name: OK"
