/* Alder PKCS#11: libFuzzer target for what the provisioning library parses before it touches a token: subject
 * strings, private keys and certificates (PEM or DER), and key/certificate pairs. It must never reach a token.
 *
 * Input: byte 0 picks the parser, the rest is its input, copied to a buffer of exactly its size (a NUL is added
 * for the subject, which is a C string). For the pair, byte 1 says where the key ends and the certificate starts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11_provision.h"

static void fuzz_subject(const uint8_t *data, size_t size)
{
    char *subject = malloc(size + 1);
    if (subject == NULL) {
        return;
    }
    memcpy(subject, data, size);
    subject[size] = '\0';
    (void)pkcs11_provision_check_subject(subject);
    free(subject);
}

static void fuzz_key(const uint8_t *data, size_t size)
{
    const char *kind = NULL;
    if (pkcs11_provision_inspect_key(data, size, &kind) == PKCS11_PROVISION_OK && kind == NULL) {
        abort(); /* OK promises a kind */
    }
}

static void fuzz_certificate(const uint8_t *data, size_t size)
{
    char subject[64];
    if (pkcs11_provision_inspect_certificate(data, size, subject, sizeof subject) == PKCS11_PROVISION_OK &&
        memchr(subject, '\0', sizeof subject) == NULL) {
        abort(); /* the subject must fit, cut, with its NUL */
    }
}

static void fuzz_pair(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return;
    }
    size_t split = ((size_t)data[0] * (size - 1)) / 255u;
    (void)pkcs11_provision_match(data + 1, split, data + 1 + split, size - 1 - split);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    uint8_t *copy = malloc(size - 1 + 1); /* never zero bytes: malloc(0) may give NULL */
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data + 1, size - 1);
    switch (data[0] % 4u) {
    case 0:
        fuzz_subject(copy, size - 1);
        break;
    case 1:
        fuzz_key(copy, size - 1);
        break;
    case 2:
        fuzz_certificate(copy, size - 1);
        break;
    default:
        fuzz_pair(copy, size - 1);
        break;
    }
    free(copy);
    return 0;
}
