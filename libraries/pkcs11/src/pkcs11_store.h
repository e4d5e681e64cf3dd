/* Alder PKCS#11: the stored object record, its encoder and its parser (format in README.md, "Storage format").
 * It must never trust a byte it decodes, do I/O, or depend on mbedTLS: it is a pure codec, fuzzed on the host. */
#ifndef PKCS11_STORE_H
#define PKCS11_STORE_H

#include <stddef.h>
#include <stdint.h>

/* What a record holds. */
#define PKCS11_STORE_KIND_CERTIFICATE 1u
#define PKCS11_STORE_KIND_PUBLIC_KEY 2u
#define PKCS11_STORE_KIND_PRIVATE_KEY 3u

/* The record's flags: the object's boolean attributes that are not fixed by its kind. */
#define PKCS11_STORE_FLAG_PRIVATE 0x0001u /* CKA_PRIVATE */
#define PKCS11_STORE_FLAG_SIGN 0x0002u    /* CKA_SIGN (private keys) */
#define PKCS11_STORE_FLAG_VERIFY 0x0004u  /* CKA_VERIFY (public keys) */
#define PKCS11_STORE_FLAG_ENCRYPT 0x0008u /* CKA_ENCRYPT (public keys) */
#define PKCS11_STORE_FLAG_DECRYPT 0x0010u /* CKA_DECRYPT (private keys) */
#define PKCS11_STORE_FLAG_WRAP 0x0020u    /* CKA_WRAP (public keys) */
#define PKCS11_STORE_FLAG_UNWRAP 0x0040u  /* CKA_UNWRAP (private keys) */
#define PKCS11_STORE_FLAG_DERIVE 0x0080u  /* CKA_DERIVE (keys) */
#define PKCS11_STORE_FLAG_LOCAL 0x0100u   /* generated inside the module: CKA_LOCAL, never extractable */
#define PKCS11_STORE_FLAGS_KNOWN 0x01FFu

/* Sizes of the fixed parts: header, one attribute entry's header, the trailing CRC-32. */
#define PKCS11_STORE_HEADER_SIZE 16u
#define PKCS11_STORE_ENTRY_HEADER_SIZE 3u
#define PKCS11_STORE_CRC_SIZE 4u
#define PKCS11_STORE_VERSION 1u

/* A decoded record. The byte pointers point into the buffer given to pkcs11_store_decode (or, to
 * encode, into the caller's data); the record owns nothing. */
typedef struct {
    uint8_t kind;         /* PKCS11_STORE_KIND_* */
    uint16_t flags;       /* PKCS11_STORE_FLAG_* */
    uint32_t type;        /* CKK_EC or CKK_RSA for keys, CKC_X_509 for certificates */
    const uint8_t *label; /* 1..PKCS11_CONFIG_MAX_LABEL_LENGTH bytes */
    size_t label_len;
    const uint8_t *id; /* 0..PKCS11_CONFIG_MAX_ID_LENGTH bytes (NULL when 0) */
    size_t id_len;
    const uint8_t *value; /* the DER: certificate, SubjectPublicKeyInfo, or SEC1/PKCS#1 private key */
    size_t value_len;
} pkcs11_store_record_t;

/* One status per way a record can be wrong; success is 0. */
typedef enum {
    PKCS11_STORE_OK = 0,
    PKCS11_STORE_BAD_ARGUMENT, /* a NULL pointer, or a record whose fields break the limits (encode) */
    PKCS11_STORE_NO_SPACE,     /* the output buffer is too small (encode) */
    PKCS11_STORE_TRUNCATED,    /* shorter than a header and a checksum, or than its lengths say */
    PKCS11_STORE_BAD_MAGIC,    /* does not start with the record magic */
    PKCS11_STORE_BAD_VERSION,  /* a format version this module does not read */
    PKCS11_STORE_BAD_LENGTH,   /* the lengths do not add up to the record's size */
    PKCS11_STORE_BAD_CHECKSUM, /* the CRC-32 does not match: corrupted */
    PKCS11_STORE_BAD_FIELD     /* a kind, type, flag, tag or attribute length that is not allowed */
} pkcs11_store_status_t;

/* A short English description of a status, for logs. Never NULL. */
const char *pkcs11_store_strerror(pkcs11_store_status_t status);

/* The size pkcs11_store_encode would write for this record (no checks). */
size_t pkcs11_store_encoded_size(const pkcs11_store_record_t *record);

/* Write the record into out (capacity bytes); *written gets its size. The record's fields must be
 * within the limits pkcs11_store_decode enforces, else PKCS11_STORE_BAD_ARGUMENT. */
pkcs11_store_status_t pkcs11_store_encode(const pkcs11_store_record_t *record, uint8_t *out, size_t capacity,
                                          size_t *written);

/* Parse size bytes of untrusted data. On PKCS11_STORE_OK, *record points into data; on any other
 * status *record is zeroed. Every length is checked before it is used. */
pkcs11_store_status_t pkcs11_store_decode(const uint8_t *data, size_t size, pkcs11_store_record_t *record);

/* CRC-32 (the IEEE 802.3 polynomial, reflected, as zlib computes it). */
uint32_t pkcs11_store_crc32(const uint8_t *data, size_t size);

#endif /* PKCS11_STORE_H */
