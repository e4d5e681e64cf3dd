/* Alder PKCS#11 tests: the shared attribute templates (pkcs11_test_templates.h), for the host tests and the RTOS
 * qualification groups alike.
 * It must never depend on a test harness or an OS: plain C over pkcs11.h and the known-answer vectors only. */
#include "pkcs11_test_templates.h"

#include <string.h>

#include "pkcs11_test_vectors.h"

/* The values templates point to. The module only reads a template, so constants serve every caller at once. */
static const CK_OBJECT_CLASS class_certificate = CKO_CERTIFICATE, class_public = CKO_PUBLIC_KEY,
                             class_private = CKO_PRIVATE_KEY;
static const CK_KEY_TYPE key_ec = CKK_EC, key_rsa = CKK_RSA;
static const CK_CERTIFICATE_TYPE certificate_x509 = CKC_X_509;
static const CK_BBOOL yes = CK_TRUE;
static const CK_BYTE id_one[] = {0x01};
/* The P-256 curve, as CKA_EC_PARAMS: the DER OID 1.2.840.10045.3.1.7. */
static const CK_BYTE p256_oid[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};

void pkcs11_test_template_add(pkcs11_test_template_t *t, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG length)
{
    if (t->count < PKCS11_TEST_TEMPLATE_MAX) {
        t->attributes[t->count++] = (CK_ATTRIBUTE){type, (CK_VOID_PTR)value, length};
    }
}

static void add_label(pkcs11_test_template_t *t, const char *label)
{
    pkcs11_test_template_add(t, CKA_LABEL, label, (CK_ULONG)strlen(label));
}

/* What every known-answer object starts with: its class, its type (key type or certificate type), label and ID. */
static void begin(pkcs11_test_template_t *t, const CK_OBJECT_CLASS *object_class, CK_ATTRIBUTE_TYPE type_attribute,
                  const CK_ULONG *type, const char *label)
{
    t->count = 0;
    pkcs11_test_template_add(t, CKA_CLASS, object_class, sizeof *object_class);
    pkcs11_test_template_add(t, type_attribute, type, sizeof *type);
    add_label(t, label);
    pkcs11_test_template_add(t, CKA_ID, id_one, sizeof id_one);
}

void pkcs11_test_template_certificate(pkcs11_test_template_t *t, const char *label)
{
    begin(t, &class_certificate, CKA_CERTIFICATE_TYPE, &certificate_x509, label);
    pkcs11_test_template_add(t, CKA_VALUE, kat_certificate, sizeof kat_certificate);
}

void pkcs11_test_template_ec_private(pkcs11_test_template_t *t, const char *label, const CK_BYTE scalar[32])
{
    begin(t, &class_private, CKA_KEY_TYPE, &key_ec, label);
    pkcs11_test_template_add(t, CKA_EC_PARAMS, p256_oid, sizeof p256_oid);
    pkcs11_test_template_add(t, CKA_VALUE, scalar, 32);
}

void pkcs11_test_template_ec_public(pkcs11_test_template_t *t, const char *label)
{
    t->ec_point[0] = 0x04; /* OCTET STRING, then its length: the 65-byte uncompressed point */
    t->ec_point[1] = (CK_BYTE)sizeof kat_ec_point;
    memcpy(t->ec_point + 2, kat_ec_point, sizeof kat_ec_point);
    begin(t, &class_public, CKA_KEY_TYPE, &key_ec, label);
    pkcs11_test_template_add(t, CKA_EC_PARAMS, p256_oid, sizeof p256_oid);
    pkcs11_test_template_add(t, CKA_EC_POINT, t->ec_point, sizeof t->ec_point);
}

/* An RSA key's public parts; a private key's template goes on with its private ones. */
static void begin_rsa(pkcs11_test_template_t *t, const CK_OBJECT_CLASS *object_class, const char *label)
{
    begin(t, object_class, CKA_KEY_TYPE, &key_rsa, label);
    pkcs11_test_template_add(t, CKA_MODULUS, kat_rsa_modulus, sizeof kat_rsa_modulus);
    pkcs11_test_template_add(t, CKA_PUBLIC_EXPONENT, kat_rsa_public_exponent, sizeof kat_rsa_public_exponent);
}

void pkcs11_test_template_rsa_private(pkcs11_test_template_t *t, const char *label)
{
    begin_rsa(t, &class_private, label);
    pkcs11_test_template_add(t, CKA_PRIVATE_EXPONENT, kat_rsa_private_exponent, sizeof kat_rsa_private_exponent);
    pkcs11_test_template_add(t, CKA_PRIME_1, kat_rsa_prime_1, sizeof kat_rsa_prime_1);
    pkcs11_test_template_add(t, CKA_PRIME_2, kat_rsa_prime_2, sizeof kat_rsa_prime_2);
}

void pkcs11_test_template_rsa_public(pkcs11_test_template_t *t, const char *label)
{
    begin_rsa(t, &class_public, label);
}

void pkcs11_test_template_ec_generate(pkcs11_test_template_t *public_template, pkcs11_test_template_t *private_template,
                                      const char *private_label, const char *public_label)
{
    public_template->count = 0;
    pkcs11_test_template_add(public_template, CKA_EC_PARAMS, p256_oid, sizeof p256_oid);
    pkcs11_test_template_add(public_template, CKA_VERIFY, &yes, sizeof yes);
    if (public_label != NULL) {
        add_label(public_template, public_label);
    }
    private_template->count = 0;
    pkcs11_test_template_add(private_template, CKA_SIGN, &yes, sizeof yes);
    add_label(private_template, private_label);
    pkcs11_test_template_add(private_template, CKA_ID, id_one, sizeof id_one);
}

void pkcs11_test_template_search(pkcs11_test_template_t *t, CK_OBJECT_CLASS object_class, const char *label)
{
    t->count = 0;
    t->object_class = object_class;
    if (object_class != CK_UNAVAILABLE_INFORMATION) {
        pkcs11_test_template_add(t, CKA_CLASS, &t->object_class, sizeof t->object_class);
    }
    if (label != NULL) {
        add_label(t, label);
    }
}
