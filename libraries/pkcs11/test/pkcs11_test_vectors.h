/* Alder PKCS#11 tests: known-answer vectors, made once with the openssl CLI (OpenSSL 3.0) and kept as data (.c).
 * It must never hold a key used anywhere but in these tests: every key here is public test material.
 *
 * The keys were made with
 *   openssl ecparam -name prime256v1 -genkey -noout -out kat_ec.pem
 *   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out kat_rsa.pem
 * and each array below names the command its bytes come from. */
#ifndef PKCS11_TEST_VECTORS_H
#define PKCS11_TEST_VECTORS_H

#include <stdint.h>

/* SHA-256("abc"): the FIPS 180-2 example, and printf abc | openssl dgst -sha256. */
extern const uint8_t kat_sha256_abc[32];
/* The DER DigestInfo prefix for SHA-256 (RFC 8017, section 9.2, note 1); followed by the hash it is the
 * input CKM_RSA_PKCS signs. */
extern const uint8_t kat_sha256_digest_info_prefix[19];
/* P-256 private scalar d (openssl ec -in kat_ec.pem -text -noout, "priv"). */
extern const uint8_t kat_ec_private[32];
/* Its public point Q, uncompressed (same command, "pub"). */
extern const uint8_t kat_ec_point[65];
/* ECDSA signature of SHA-256("abc") as r||s, from
 * printf abc | openssl dgst -sha256 -binary > abc.sha256
 * openssl pkeyutl -sign -inkey kat_ec.pem -in abc.sha256 -out kat_ec_sig.der
 * and the two INTEGERs of openssl asn1parse -inform DER -in kat_ec_sig.der, each padded to 32 bytes. */
extern const uint8_t kat_ecdsa_signature[64];
/* RSA-2048 key (openssl rsa -in kat_rsa.pem -text -noout): modulus, public exponent, private exponent, primes. */
extern const uint8_t kat_rsa_modulus[256];
extern const uint8_t kat_rsa_public_exponent[3];
extern const uint8_t kat_rsa_private_exponent[256];
extern const uint8_t kat_rsa_prime_1[128];
extern const uint8_t kat_rsa_prime_2[128];
/* PKCS#1 v1.5 signature of SHA-256("abc"): printf abc | openssl dgst -sha256 -sign kat_rsa.pem -out kat_rsa_sig.bin
 * openssl signs the DigestInfo (kat_sha256_digest_info_prefix, then kat_sha256_abc), and PKCS#1 v1.5 is
 * deterministic, so CKM_RSA_PKCS over that DigestInfo with this key must give exactly these bytes. */
extern const uint8_t kat_rsa_signature[256];
/* A self-signed certificate for the EC key:
 * openssl req -new -x509 -key kat_ec.pem -subj "/CN=Alder PKCS11 test" -days 3650 -set_serial 0x1234 -outform DER -out kat_cert.der */
extern const uint8_t kat_certificate[383];

#endif /* PKCS11_TEST_VECTORS_H */
