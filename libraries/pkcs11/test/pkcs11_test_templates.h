/* Alder PKCS#11 tests, on the host and in RTOS images: the attribute templates of the known-answer objects
 * (pkcs11_test_vectors.h), of P-256 key generation and of a search by class and label.
 * It must never call the module or report a failure: each side's helpers (pkcs11_test_util.h, rtos/pkcs11_group_util.h)
 * pass the templates to the C_* functions and check the results in their own harness's way. */
#ifndef PKCS11_TEST_TEMPLATES_H
#define PKCS11_TEST_TEMPLATES_H

#include "pkcs11.h"

/* The largest template here (an RSA private key, 9 attributes) plus room for a caller's extra one. */
#define PKCS11_TEST_TEMPLATE_MAX 10u

/* A template and the values it points to that are not constants: valid while the structure lives (no copy). */
typedef struct {
    CK_ATTRIBUTE attributes[PKCS11_TEST_TEMPLATE_MAX];
    CK_ULONG count;
    CK_OBJECT_CLASS object_class; /* for a search: the class asked for */
    CK_BYTE ec_point[2 + 65];     /* the vector's point as CKA_EC_POINT takes it: a DER OCTET STRING */
} pkcs11_test_template_t;

/* Adds one attribute; the value must outlive the template. A full template is left as it is (the module's answer
 * to the shorter one then shows the mistake). */
void pkcs11_test_template_add(pkcs11_test_template_t *t, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG length);

/* The known-answer objects under `label`, with CKA_ID 0x01. An EC private key takes its 32-byte scalar (the vectors'
 * kat_ec_private, or another for vectors of its own). */
void pkcs11_test_template_certificate(pkcs11_test_template_t *t, const char *label);
void pkcs11_test_template_ec_private(pkcs11_test_template_t *t, const char *label, const CK_BYTE scalar[32]);
void pkcs11_test_template_ec_public(pkcs11_test_template_t *t, const char *label);
void pkcs11_test_template_rsa_private(pkcs11_test_template_t *t, const char *label);
void pkcs11_test_template_rsa_public(pkcs11_test_template_t *t, const char *label);

/* C_GenerateKeyPair's two templates for a P-256 pair: the private key signs, under private_label, with CKA_ID 0x01;
 * the public key verifies, under public_label, or with no label at all when it is NULL (the private key's view). */
void pkcs11_test_template_ec_generate(pkcs11_test_template_t *public_template, pkcs11_test_template_t *private_template,
                                      const char *private_label, const char *public_label);

/* A search template: CKA_CLASS unless object_class is CK_UNAVAILABLE_INFORMATION, CKA_LABEL unless label is NULL
 * (both absent: every object). */
void pkcs11_test_template_search(pkcs11_test_template_t *t, CK_OBJECT_CLASS object_class, const char *label);

#endif /* PKCS11_TEST_TEMPLATES_H */
