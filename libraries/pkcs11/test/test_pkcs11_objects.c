/* Alder PKCS#11 host tests: objects: C_CreateObject and its template rules, C_GenerateKeyPair, C_FindObjects,
 * C_GetAttributeValue (sizes, sensitive and invalid attributes, private objects), C_DestroyObject, persistence.
 * It must never check a private key's value by reading it: the point is that it cannot be read. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkcs11.h"
#include "pkcs11_test_util.h"
#include "pkcs11_test_vectors.h"

#define COUNT(array) (sizeof(array) / sizeof(array[0]))

static CK_OBJECT_CLASS class_private = CKO_PRIVATE_KEY, class_public = CKO_PUBLIC_KEY,
                       class_certificate = CKO_CERTIFICATE, class_data = CKO_DATA;
static CK_KEY_TYPE key_ec = CKK_EC, key_rsa = CKK_RSA, key_aes = CKK_AES;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static CK_BYTE p256[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static CK_BYTE p384[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};

static CK_ULONG attribute_ulong(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type)
{
    CK_ULONG value = 0xDEAD;
    CK_ATTRIBUTE a = {type, &value, sizeof(value)};
    CHECK_RV(C_GetAttributeValue(session, object, &a, 1), CKR_OK);
    return value;
}

static CK_BBOOL attribute_bool(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type)
{
    CK_BBOOL value = 0xEE;
    CK_ATTRIBUTE a = {type, &value, sizeof(value)};
    CHECK_RV(C_GetAttributeValue(session, object, &a, 1), CKR_OK);
    return value;
}

/* ---- Creating ---- */

static void CreatesEveryKindOfObject(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE objects[5] = {
        test_create_certificate(session, "Device Cert"), test_create_ec_private(session, "Ec Private"),
        test_create_ec_public(session, "Ec Public"),     test_create_rsa_private(session, "Rsa Private"),
        test_create_rsa_public(session, "Rsa Public"),
    };
    CK_OBJECT_CLASS expected[5] = {CKO_CERTIFICATE, CKO_PRIVATE_KEY, CKO_PUBLIC_KEY, CKO_PRIVATE_KEY, CKO_PUBLIC_KEY};
    for (int i = 0; i < 5; i++) {
        CHECK(objects[i] != CK_INVALID_HANDLE);
        CHECK(attribute_ulong(session, objects[i], CKA_CLASS) == expected[i]);
        CHECK(attribute_bool(session, objects[i], CKA_TOKEN) == CK_TRUE);
    }
    CHECK(attribute_ulong(session, objects[1], CKA_KEY_TYPE) == CKK_EC);
    CHECK(attribute_ulong(session, objects[3], CKA_KEY_TYPE) == CKK_RSA);
    CHECK(attribute_ulong(session, objects[0], CKA_CERTIFICATE_TYPE) == CKC_X_509);
    CHECK(attribute_ulong(session, objects[3], CKA_MODULUS_BITS) == 2048);
    CHECK(attribute_bool(session, objects[1], CKA_PRIVATE) == CK_TRUE);
    CHECK(attribute_bool(session, objects[2], CKA_PRIVATE) == CK_FALSE);
    CHECK(attribute_bool(session, objects[1], CKA_LOCAL) == CK_FALSE);
    /* Each label holds one object: a second create under a label replaces the first (same class). */
    CK_OBJECT_HANDLE again = test_create_certificate(session, "Device Cert");
    CHECK(again == objects[0]);
    CK_OBJECT_HANDLE found[8];
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, "Device Cert", found, 8) == 1);
}

static void CreateNeedsAWritableLoggedInSession(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE object = 0;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &class_certificate, sizeof(class_certificate)},
                        {CKA_CERTIFICATE_TYPE, &x509, sizeof(x509)},
                        {CKA_LABEL, "Root Cert", 9},
                        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CHECK_RV(C_CreateObject(99, t, COUNT(t), &object), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_CreateObject(session, t, COUNT(t), NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_CreateObject(session, NULL, 2, &object), CKR_ARGUMENTS_BAD);
    CK_SESSION_HANDLE ro;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro), CKR_OK);
    CHECK_RV(C_CreateObject(ro, t, COUNT(t), &object), CKR_SESSION_READ_ONLY);
    CHECK_RV(C_Logout(session), CKR_OK);
    CHECK_RV(C_CreateObject(session, t, COUNT(t), &object), CKR_USER_NOT_LOGGED_IN);
    CHECK_RV(C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OK);
    CHECK_RV(C_CreateObject(session, t, COUNT(t), &object), CKR_OK);
}

/* One template, one expected code. */
static void expect_create(CK_SESSION_HANDLE session, CK_ATTRIBUTE *t, CK_ULONG count, CK_RV expected, int line)
{
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    CK_RV rv = C_CreateObject(session, t, count, &object);
    if (rv != expected) {
        test_fail_rv(__FILE__, line, "C_CreateObject", rv, "the expected code", expected);
    }
}
#define EXPECT_CREATE(expected, ...)                                                                                   \
    do {                                                                                                               \
        CK_ATTRIBUTE t_[] = {__VA_ARGS__};                                                                             \
        expect_create(session, t_, COUNT(t_), expected, __LINE__);                                                     \
    } while (0)

static void CreateRejectsBadTemplates(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_BYTE point[67] = {0x04, 0x41};
    memcpy(point + 2, kat_ec_point, 65);
    CK_BYTE bad_point[67];
    memcpy(bad_point, point, sizeof(point));
    bad_point[66] ^= 1; /* not on the curve */
    CK_ULONG short_class = 0;
    CK_BYTE long_label[40];
    memset(long_label, 'L', sizeof(long_label));
#define PUB_EC {CKA_CLASS, &class_public, sizeof(class_public)}, {CKA_KEY_TYPE, &key_ec, sizeof(key_ec)}
#define PRIV_EC                                                                                                        \
    {CKA_CLASS, &class_private, sizeof(class_private)},                                                                \
    {                                                                                                                  \
        CKA_KEY_TYPE, &key_ec, sizeof(key_ec)                                                                          \
    }
#define GOOD_POINT                                                                                                     \
    {CKA_EC_PARAMS, p256, sizeof(p256)},                                                                               \
    {                                                                                                                  \
        CKA_EC_POINT, point, sizeof(point)                                                                             \
    }
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, {CKA_LABEL, "x", 1}); /* no class */
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, PUB_EC, GOOD_POINT);  /* no label */
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, PUB_EC, {CKA_LABEL, "x", 1}, {CKA_EC_PARAMS, p256, sizeof(p256)});
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, {CKA_CLASS, &class_public, sizeof(class_public)}, {CKA_LABEL, "x", 1},
                  GOOD_POINT); /* no key type */
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &class_data, sizeof(class_data)}, {CKA_LABEL, "x", 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &short_class, 4}, {CKA_LABEL, "x", 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &class_public, sizeof(class_public)},
                  {CKA_KEY_TYPE, &key_aes, sizeof(key_aes)}, {CKA_LABEL, "x", 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUB_EC, {CKA_LABEL, "", 0}, GOOD_POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUB_EC, {CKA_LABEL, long_label, sizeof(long_label)}, GOOD_POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUB_EC, {CKA_LABEL, "x", 1}, {CKA_TOKEN, &no, 1}, GOOD_POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUB_EC, {CKA_LABEL, "x", 1}, {CKA_TOKEN, &yes, 4}, GOOD_POINT);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PUB_EC, {CKA_LABEL, "x", 1}, {CKA_EC_PARAMS, p256, sizeof(p256)},
                  {CKA_EC_POINT, bad_point, sizeof(bad_point)});
    EXPECT_CREATE(CKR_CURVE_NOT_SUPPORTED, PUB_EC, {CKA_LABEL, "x", 1}, {CKA_EC_PARAMS, p384, sizeof(p384)},
                  {CKA_EC_POINT, point, sizeof(point)});
    EXPECT_CREATE(CKR_ATTRIBUTE_TYPE_INVALID, PUB_EC, {CKA_LABEL, "x", 1}, GOOD_POINT, {0x7FFFFFF0UL, "v", 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_READ_ONLY, PUB_EC, {CKA_LABEL, "x", 1}, GOOD_POINT, {CKA_LOCAL, &yes, 1});
    EXPECT_CREATE(CKR_TEMPLATE_INCONSISTENT, PUB_EC, {CKA_LABEL, "x", 1}, {CKA_LABEL, "y", 1}, GOOD_POINT);
    EXPECT_CREATE(CKR_TEMPLATE_INCONSISTENT, PUB_EC, {CKA_LABEL, "x", 1}, GOOD_POINT, {CKA_SIGN, &yes, 1});
    EXPECT_CREATE(CKR_TEMPLATE_INCONSISTENT, PUB_EC, {CKA_LABEL, "x", 1}, GOOD_POINT,
                  {CKA_MODULUS, (CK_VOID_PTR)kat_rsa_modulus, 256});
    EXPECT_CREATE(CKR_ARGUMENTS_BAD, PUB_EC, {CKA_LABEL, NULL, 3}, GOOD_POINT);
    /* Private keys stay private and sensitive, and never become extractable. */
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PRIV_EC, {CKA_LABEL, "k", 1}, {CKA_EC_PARAMS, p256, sizeof(p256)},
                  {CKA_VALUE, (CK_VOID_PTR)kat_ec_private, 32}, {CKA_EXTRACTABLE, &yes, 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PRIV_EC, {CKA_LABEL, "k", 1}, {CKA_EC_PARAMS, p256, sizeof(p256)},
                  {CKA_VALUE, (CK_VOID_PTR)kat_ec_private, 32}, {CKA_SENSITIVE, &no, 1});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PRIV_EC, {CKA_LABEL, "k", 1}, {CKA_EC_PARAMS, p256, sizeof(p256)},
                  {CKA_VALUE, (CK_VOID_PTR)kat_ec_private, 32}, {CKA_PRIVATE, &no, 1});
    EXPECT_CREATE(CKR_TEMPLATE_INCOMPLETE, PRIV_EC, {CKA_LABEL, "k", 1}, {CKA_EC_PARAMS, p256, sizeof(p256)});
    /* A scalar of zero is not a key. */
    CK_BYTE zero[32] = {0};
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, PRIV_EC, {CKA_LABEL, "k", 1}, {CKA_EC_PARAMS, p256, sizeof(p256)},
                  {CKA_VALUE, zero, sizeof(zero)});
    /* RSA: 2048 bits only, and the parts must agree. */
    CK_BYTE small_modulus[128];
    memcpy(small_modulus, kat_rsa_modulus, sizeof(small_modulus));
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &class_public, sizeof(class_public)},
                  {CKA_KEY_TYPE, &key_rsa, sizeof(key_rsa)}, {CKA_LABEL, "r", 1},
                  {CKA_MODULUS, small_modulus, sizeof(small_modulus)},
                  {CKA_PUBLIC_EXPONENT, (CK_VOID_PTR)kat_rsa_public_exponent, 3});
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &class_private, sizeof(class_private)},
                  {CKA_KEY_TYPE, &key_rsa, sizeof(key_rsa)}, {CKA_LABEL, "r", 1},
                  {CKA_MODULUS, (CK_VOID_PTR)kat_rsa_modulus, 256},
                  {CKA_PUBLIC_EXPONENT, (CK_VOID_PTR)kat_rsa_public_exponent, 3},
                  {CKA_PRIVATE_EXPONENT, (CK_VOID_PTR)kat_rsa_private_exponent, 256},
                  {CKA_PRIME_1, (CK_VOID_PTR)kat_rsa_prime_1, 128}, {CKA_PRIME_2, (CK_VOID_PTR)kat_rsa_prime_1, 128});
    /* A certificate must parse. */
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &class_certificate, sizeof(class_certificate)},
                  {CKA_LABEL, "c", 1}, {CKA_VALUE, (CK_VOID_PTR)kat_certificate, 100});
    /* Nothing of the above was stored. */
    CK_OBJECT_HANDLE found[4];
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 4) == 0);
}

static void OneLabelNeverHoldsTwoClasses(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    test_create_ec_private(session, "Shared");
    CK_BYTE point[67] = {0x04, 0x41};
    memcpy(point + 2, kat_ec_point, 65);
    EXPECT_CREATE(CKR_ATTRIBUTE_VALUE_INVALID, {CKA_CLASS, &class_public, sizeof(class_public)},
                  {CKA_KEY_TYPE, &key_ec, sizeof(key_ec)}, {CKA_LABEL, "Shared", 6},
                  {CKA_EC_PARAMS, p256, sizeof(p256)}, {CKA_EC_POINT, point, sizeof(point)});
    CK_OBJECT_HANDLE pub, priv;
    test_create_certificate(session, "Cert");
    CHECK_RV(test_generate_ec(session, "Cert", NULL, &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
    CHECK_RV(test_generate_ec(session, "New", "Cert", &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
    CK_OBJECT_HANDLE found[4];
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, "New", found, 4) == 0); /* both or neither */
}

/* ---- Key generation ---- */

static void GeneratesAP256KeyPair(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE pub = 0, priv = 0;
    CHECK_RV(test_generate_ec(session, "Device Priv TLS Key", NULL, &pub, &priv), CKR_OK);
    CHECK(pub != priv && pub != CK_INVALID_HANDLE && priv != CK_INVALID_HANDLE);
    CHECK(attribute_ulong(session, priv, CKA_CLASS) == CKO_PRIVATE_KEY);
    CHECK(attribute_ulong(session, pub, CKA_CLASS) == CKO_PUBLIC_KEY);
    CHECK(attribute_ulong(session, priv, CKA_KEY_TYPE) == CKK_EC);
    CHECK(attribute_bool(session, priv, CKA_LOCAL) == CK_TRUE);
    CHECK(attribute_bool(session, priv, CKA_SENSITIVE) == CK_TRUE);
    CHECK(attribute_bool(session, priv, CKA_EXTRACTABLE) == CK_FALSE);
    CHECK(attribute_bool(session, priv, CKA_NEVER_EXTRACTABLE) == CK_TRUE);
    CHECK(attribute_ulong(session, priv, CKA_KEY_GEN_MECHANISM) == CKM_EC_KEY_PAIR_GEN);
    /* The public key under the same label is the private key's view: not stored, not destroyable. */
    CHECK(attribute_bool(session, pub, CKA_DESTROYABLE) == CK_FALSE);
    CHECK(test_ecdsa_round_trip(session, priv, pub));
    CK_OBJECT_HANDLE found[4];
    CHECK(test_find(session, CKO_PUBLIC_KEY, "Device Priv TLS Key", found, 4) == 1 && found[0] == pub);
    CHECK(test_find(session, CKO_PRIVATE_KEY, "Device Priv TLS Key", found, 4) == 1 && found[0] == priv);
    /* With a label of its own, the public key is stored too. */
    CK_OBJECT_HANDLE pub2 = 0, priv2 = 0;
    CHECK_RV(test_generate_ec(session, "Code Sign Key", "Code Verify Key", &pub2, &priv2), CKR_OK);
    CHECK(attribute_bool(session, pub2, CKA_DESTROYABLE) == CK_TRUE);
    CHECK(test_ecdsa_round_trip(session, priv2, pub2));
    CHECK(!test_ecdsa_round_trip(session, priv, pub2)); /* a different key */
    CHECK(test_find(session, CKO_PUBLIC_KEY, "Code Verify Key", found, 4) == 1 && found[0] == pub2);
}

static void KeyPairGenerationRules(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_MECHANISM gen = {CKM_EC_KEY_PAIR_GEN, NULL, 0}, rsa_gen = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_BYTE parameter = 0;
    CK_MECHANISM with_parameter = {CKM_EC_KEY_PAIR_GEN, &parameter, 1};
    CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, p256, sizeof(p256)}};
    CK_ATTRIBUTE pub384[] = {{CKA_EC_PARAMS, p384, sizeof(p384)}};
    CK_ATTRIBUTE pub_rsa[] = {{CKA_EC_PARAMS, p256, sizeof(p256)}, {CKA_KEY_TYPE, &key_rsa, sizeof(key_rsa)}};
    CK_ATTRIBUTE priv[] = {{CKA_LABEL, "k", 1}};
    CK_ATTRIBUTE priv_value[] = {{CKA_LABEL, "k", 1}, {CKA_VALUE, (CK_VOID_PTR)kat_ec_private, 32}};
    CK_ATTRIBUTE priv_public_class[] = {{CKA_LABEL, "k", 1}, {CKA_CLASS, &class_public, sizeof(class_public)}};
    CK_OBJECT_HANDLE a, b;
    CHECK_RV(C_GenerateKeyPair(99, &gen, pub, 1, priv, 1, &a, &b), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_GenerateKeyPair(session, NULL, pub, 1, priv, 1, &a, &b), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub, 1, priv, 1, NULL, &b), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GenerateKeyPair(session, &gen, NULL, 1, priv, 1, &a, &b), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GenerateKeyPair(session, &rsa_gen, pub, 1, priv, 1, &a, &b), CKR_MECHANISM_INVALID);
    CHECK_RV(C_GenerateKeyPair(session, &with_parameter, pub, 1, priv, 1, &a, &b), CKR_MECHANISM_PARAM_INVALID);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub, 0, priv, 1, &a, &b), CKR_TEMPLATE_INCOMPLETE);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub, 1, priv, 0, &a, &b), CKR_TEMPLATE_INCOMPLETE);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub384, 1, priv, 1, &a, &b), CKR_CURVE_NOT_SUPPORTED);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub_rsa, 2, priv, 1, &a, &b), CKR_TEMPLATE_INCONSISTENT);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub, 1, priv_value, 2, &a, &b), CKR_TEMPLATE_INCONSISTENT);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub, 1, priv_public_class, 2, &a, &b), CKR_TEMPLATE_INCONSISTENT);
    CHECK_RV(C_Logout(session), CKR_OK);
    CHECK_RV(C_GenerateKeyPair(session, &gen, pub, 1, priv, 1, &a, &b), CKR_USER_NOT_LOGGED_IN);
}

/* ---- Finding ---- */

static void FindsByClassLabelKeyTypeAndId(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE cert = test_create_certificate(session, "Device Cert");
    CK_OBJECT_HANDLE ec = test_create_ec_private(session, "Ec Key");
    CK_OBJECT_HANDLE rsa = test_create_rsa_private(session, "Rsa Key");
    CK_OBJECT_HANDLE found[16];
    CK_ULONG n = 0;
    /* Everything: 3 stored objects and the 2 private keys' public views. */
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 16) == 5);
    CHECK(test_find(session, CKO_CERTIFICATE, NULL, found, 16) == 1 && found[0] == cert);
    CHECK(test_find(session, CKO_PRIVATE_KEY, NULL, found, 16) == 2);
    CHECK(test_find(session, CKO_PRIVATE_KEY, "Rsa Key", found, 16) == 1 && found[0] == rsa);
    CK_ATTRIBUTE by_type[] = {{CKA_KEY_TYPE, &key_ec, sizeof(key_ec)},
                              {CKA_CLASS, &class_private, sizeof(class_private)}};
    CHECK_RV(C_FindObjectsInit(session, by_type, 2), CKR_OK);
    CHECK_RV(C_FindObjects(session, found, 16, &n), CKR_OK);
    CHECK(n == 1 && found[0] == ec);
    CHECK_RV(C_FindObjectsFinal(session), CKR_OK);
    CK_BYTE id[] = {0x01}, other_id[] = {0x02};
    CK_ATTRIBUTE by_id[] = {{CKA_ID, id, 1}};
    CHECK_RV(C_FindObjectsInit(session, by_id, 1), CKR_OK);
    CHECK_RV(C_FindObjects(session, found, 16, &n), CKR_OK);
    CHECK(n == 5);
    CHECK_RV(C_FindObjectsFinal(session), CKR_OK);
    /* Nothing matches: CKR_OK and zero objects. */
    CK_ATTRIBUTE none[] = {{CKA_ID, other_id, 1}};
    CHECK_RV(C_FindObjectsInit(session, none, 1), CKR_OK);
    CHECK_RV(C_FindObjects(session, found, 16, &n), CKR_OK);
    CHECK(n == 0);
    CHECK_RV(C_FindObjectsFinal(session), CKR_OK);
    CHECK(test_find(session, CKO_CERTIFICATE, "No Such Label", found, 16) == 0);
    CHECK(test_find(session, CKO_DATA, NULL, found, 16) == 0);
    /* A sensitive attribute never matches, even with the right value. */
    CK_ATTRIBUTE secret[] = {{CKA_VALUE, (CK_VOID_PTR)kat_ec_private, 32}};
    CHECK_RV(C_FindObjectsInit(session, secret, 1), CKR_OK);
    CHECK_RV(C_FindObjects(session, found, 16, &n), CKR_OK);
    CHECK(n == 0);
    CHECK_RV(C_FindObjectsFinal(session), CKR_OK);
}

static void FindObjectsInPiecesAndItsRules(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    test_create_certificate(session, "A");
    test_create_certificate(session, "B");
    test_create_certificate(session, "C");
    CK_OBJECT_HANDLE found[4] = {0};
    CK_ULONG n = 0, total = 0;
    CHECK_RV(C_FindObjects(session, found, 4, &n), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_FindObjectsFinal(session), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_FindObjectsInit(99, NULL, 0), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_FindObjectsInit(session, NULL, 1), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_FindObjectsInit(session, NULL, 0), CKR_OK);
    CHECK_RV(C_FindObjectsInit(session, NULL, 0), CKR_OPERATION_ACTIVE);
    CHECK_RV(C_FindObjects(session, NULL, 4, &n), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_FindObjects(session, found, 4, NULL), CKR_ARGUMENTS_BAD);
    do {
        CHECK_RV(C_FindObjects(session, found, 1, &n), CKR_OK);
        total += n;
    } while (n == 1 && total < 10);
    CHECK(total == 3);
    CHECK_RV(C_FindObjectsFinal(session), CKR_OK);
    /* Templates too large for the session's copy. */
    CK_ATTRIBUTE many[9];
    for (int i = 0; i < 9; i++) {
        many[i] = (CK_ATTRIBUTE){CKA_LABEL, "A", 1};
    }
    CHECK_RV(C_FindObjectsInit(session, many, 9), CKR_DEVICE_MEMORY);
    static CK_BYTE big[200];
    CK_ATTRIBUTE large[] = {{CKA_VALUE, big, sizeof(big)}};
    CHECK_RV(C_FindObjectsInit(session, large, 1), CKR_DEVICE_MEMORY);
}

static void PrivateObjectsNeedTheLogin(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE priv = test_create_ec_private(session, "Key");
    test_create_certificate(session, "Cert");
    CK_OBJECT_HANDLE found[8];
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 8) == 3);
    CHECK_RV(C_Logout(session), CKR_OK);
    /* The certificate and the key's public view are public; the private key is not there. */
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 8) == 2);
    CHECK(test_find(session, CKO_PRIVATE_KEY, NULL, found, 8) == 0);
    CK_BBOOL sign = 0;
    CK_ATTRIBUTE a = {CKA_SIGN, &sign, 1};
    CHECK_RV(C_GetAttributeValue(session, priv, &a, 1), CKR_OBJECT_HANDLE_INVALID);
    CHECK_RV(C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OK);
    CHECK_RV(C_GetAttributeValue(session, priv, &a, 1), CKR_OK);
    CHECK(sign == CK_TRUE);
}

/* ---- Attributes ---- */

static void AttributeValuesFollowTheStandardsRules(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE cert = test_create_certificate(session, "Device Cert");
    CK_BYTE buffer[1024];
    CK_ATTRIBUTE a = {CKA_VALUE, NULL, 0};
    CHECK_RV(C_GetAttributeValue(99, cert, &a, 1), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_GetAttributeValue(session, cert, NULL, 1), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_GetAttributeValue(session, 1000, &a, 1), CKR_OBJECT_HANDLE_INVALID);
    CHECK_RV(C_GetAttributeValue(session, 0, &a, 1), CKR_OBJECT_HANDLE_INVALID);
    CHECK_RV(C_GetAttributeValue(session, cert + 1, &a, 1), CKR_OBJECT_HANDLE_INVALID); /* no view of a cert */
    CHECK_RV(C_GetAttributeValue(session, cert, &a, 0), CKR_OK);
    /* NULL pValue: the length. */
    CHECK_RV(C_GetAttributeValue(session, cert, &a, 1), CKR_OK);
    CHECK(a.ulValueLen == sizeof(kat_certificate));
    /* Too small: CK_UNAVAILABLE_INFORMATION and CKR_BUFFER_TOO_SMALL. */
    a.pValue = buffer;
    a.ulValueLen = 10;
    CHECK_RV(C_GetAttributeValue(session, cert, &a, 1), CKR_BUFFER_TOO_SMALL);
    CHECK(a.ulValueLen == CK_UNAVAILABLE_INFORMATION);
    a.ulValueLen = sizeof(buffer);
    CHECK_RV(C_GetAttributeValue(session, cert, &a, 1), CKR_OK);
    CHECK(a.ulValueLen == sizeof(kat_certificate) && memcmp(buffer, kat_certificate, sizeof(kat_certificate)) == 0);
    /* An attribute the object does not have; the others in the same call are still answered. */
    CK_ULONG type = 0xDEAD;
    CK_BYTE label[32];
    CK_ATTRIBUTE several[] = {{CKA_MODULUS, buffer, sizeof(buffer)},
                              {CKA_CERTIFICATE_TYPE, &type, sizeof(type)},
                              {CKA_LABEL, label, sizeof(label)}};
    CHECK_RV(C_GetAttributeValue(session, cert, several, 3), CKR_ATTRIBUTE_TYPE_INVALID);
    CHECK(several[0].ulValueLen == CK_UNAVAILABLE_INFORMATION);
    CHECK(type == CKC_X_509 && several[2].ulValueLen == 11 && memcmp(label, "Device Cert", 11) == 0);
    /* Subject, issuer and serial come from the certificate itself. */
    CK_ATTRIBUTE serial = {CKA_SERIAL_NUMBER, buffer, sizeof(buffer)};
    CHECK_RV(C_GetAttributeValue(session, cert, &serial, 1), CKR_OK);
    CHECK(serial.ulValueLen == 4 && buffer[0] == 0x02 && buffer[1] == 2 && buffer[2] == 0x12 && buffer[3] == 0x34);
    CK_ATTRIBUTE subject = {CKA_SUBJECT, buffer, sizeof(buffer)};
    CHECK_RV(C_GetAttributeValue(session, cert, &subject, 1), CKR_OK);
    CHECK(subject.ulValueLen > 10 && buffer[0] == 0x30);
}

static void PrivateKeyValuesAreSensitive(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE ec = test_create_ec_private(session, "Ec");
    CK_OBJECT_HANDLE rsa = test_create_rsa_private(session, "Rsa");
    CK_BYTE buffer[1024];
    CK_ATTRIBUTE value = {CKA_VALUE, buffer, sizeof(buffer)};
    CHECK_RV(C_GetAttributeValue(session, ec, &value, 1), CKR_ATTRIBUTE_SENSITIVE);
    CHECK(value.ulValueLen == CK_UNAVAILABLE_INFORMATION);
    value = (CK_ATTRIBUTE){CKA_VALUE, NULL, 0}; /* a size query is refused the same way */
    CHECK_RV(C_GetAttributeValue(session, ec, &value, 1), CKR_ATTRIBUTE_SENSITIVE);
    CHECK(value.ulValueLen == CK_UNAVAILABLE_INFORMATION);
    CK_ATTRIBUTE_TYPE secrets[] = {CKA_PRIVATE_EXPONENT, CKA_PRIME_1,    CKA_PRIME_2,
                                   CKA_EXPONENT_1,       CKA_EXPONENT_2, CKA_COEFFICIENT};
    for (size_t i = 0; i < COUNT(secrets); i++) {
        CK_ATTRIBUTE a = {secrets[i], buffer, sizeof(buffer)};
        CHECK_RV(C_GetAttributeValue(session, rsa, &a, 1), CKR_ATTRIBUTE_SENSITIVE);
        CHECK(a.ulValueLen == CK_UNAVAILABLE_INFORMATION);
    }
    /* The public parts of a private key are not secret. */
    CK_ATTRIBUTE modulus = {CKA_MODULUS, buffer, sizeof(buffer)};
    CHECK_RV(C_GetAttributeValue(session, rsa, &modulus, 1), CKR_OK);
    CHECK(modulus.ulValueLen == 256 && memcmp(buffer, kat_rsa_modulus, 256) == 0);
    CHECK(attribute_bool(session, ec, CKA_SENSITIVE) == CK_TRUE);
    CHECK(attribute_bool(session, ec, CKA_EXTRACTABLE) == CK_FALSE);
    CHECK(attribute_bool(session, rsa, CKA_ALWAYS_AUTHENTICATE) == CK_FALSE);
    /* In one call the sensitive entry is refused and the others are still answered. */
    CK_BBOOL sign = 0;
    CK_ATTRIBUTE mixed[] = {{CKA_VALUE, buffer, sizeof(buffer)}, {CKA_SIGN, &sign, 1}};
    CHECK_RV(C_GetAttributeValue(session, ec, mixed, 2), CKR_ATTRIBUTE_SENSITIVE);
    CHECK(mixed[0].ulValueLen == CK_UNAVAILABLE_INFORMATION && mixed[1].ulValueLen == 1 && sign == CK_TRUE);
    /* The public views show the point / modulus and no secret at all. */
    CK_BYTE point[80];
    CK_ATTRIBUTE ec_point = {CKA_EC_POINT, point, sizeof(point)};
    CHECK_RV(C_GetAttributeValue(session, ec + 1, &ec_point, 1), CKR_OK);
    CHECK(ec_point.ulValueLen == 67 && point[0] == 0x04 && point[1] == 0x41 &&
          memcmp(point + 2, kat_ec_point, 65) == 0);
    value = (CK_ATTRIBUTE){CKA_VALUE, buffer, sizeof(buffer)};
    CHECK_RV(C_GetAttributeValue(session, ec + 1, &value, 1), CKR_ATTRIBUTE_TYPE_INVALID);
    /* Nothing a private key holds ever reaches the log. */
    CHECK(test_log_count() == 0);
}

/* ---- Destroying ---- */

static void DestroyRemovesObjects(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE cert = test_create_certificate(session, "Cert");
    CK_OBJECT_HANDLE pub = 0, priv = 0;
    CHECK_RV(test_generate_ec(session, "Key", NULL, &pub, &priv), CKR_OK);
    CHECK_RV(C_DestroyObject(99, cert), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_DestroyObject(session, 1000), CKR_OBJECT_HANDLE_INVALID);
    CHECK_RV(C_DestroyObject(session, pub), CKR_ACTION_PROHIBITED); /* the view goes with its key */
    CK_SESSION_HANDLE ro;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro), CKR_OK);
    CHECK_RV(C_DestroyObject(ro, cert), CKR_SESSION_READ_ONLY);
    CHECK_RV(C_DestroyObject(session, cert), CKR_OK);
    CHECK_RV(C_DestroyObject(session, cert), CKR_OBJECT_HANDLE_INVALID);
    CHECK_RV(C_DestroyObject(session, priv), CKR_OK);
    CK_BBOOL flag;
    CK_ATTRIBUTE a = {CKA_TOKEN, &flag, 1};
    CHECK_RV(C_GetAttributeValue(session, pub, &a, 1), CKR_OBJECT_HANDLE_INVALID);
    CK_OBJECT_HANDLE found[4];
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 4) == 0);
}

/* ---- Persistence ---- */

static void PersistsAcrossFinalizeAndInitialize(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE pub = 0, priv = 0;
    CHECK_RV(test_generate_ec(session, "Device Priv TLS Key", "Device Pub TLS Key", &pub, &priv), CKR_OK);
    test_create_certificate(session, "Device Cert");
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    session = test_open_user_session();
    CK_OBJECT_HANDLE found_priv[2], found_pub[2], found_cert[2];
    CHECK(test_find(session, CKO_PRIVATE_KEY, "Device Priv TLS Key", found_priv, 2) == 1);
    CHECK(test_find(session, CKO_PUBLIC_KEY, "Device Pub TLS Key", found_pub, 2) == 1);
    CHECK(test_find(session, CKO_CERTIFICATE, "Device Cert", found_cert, 2) == 1);
    CHECK(test_ecdsa_round_trip(session, found_priv[0], found_pub[0]));
}

/* The second process: the store made by the first, read by a fresh module instance. */
static int child_checks_store(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE priv[2], pub[2], cert[2];
    bool ok = test_find(session, CKO_PRIVATE_KEY, "Device Priv TLS Key", priv, 2) == 1 &&
              test_find(session, CKO_PUBLIC_KEY, "Device Pub TLS Key", pub, 2) == 1 &&
              test_find(session, CKO_CERTIFICATE, "Device Cert", cert, 2) == 1 &&
              test_ecdsa_round_trip(session, priv[0], pub[0]);
    (void)C_Finalize(NULL);
    return ok && test_failures == 0 ? 0 : 1;
}

/* This program's own path, read at start (under valgrind, /proc/self/exe itself names valgrind). */
static char self[4096];

static void PersistsAcrossAProcessRestart(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE pub = 0, priv = 0;
    CHECK_RV(test_generate_ec(session, "Device Priv TLS Key", "Device Pub TLS Key", &pub, &priv), CKR_OK);
    test_create_certificate(session, "Device Cert");
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    /* Run this test binary again, as a new process, on the same store. */
    pid_t child = fork();
    if (child == 0) {
        execl(self, "test_pkcs11_objects", "--check-store", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--check-store") == 0) {
        return child_checks_store();
    }
    ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
    self[length > 0 ? length : 0] = '\0';
    RUN(Pkcs11Objects, CreatesEveryKindOfObject);
    RUN(Pkcs11Objects, CreateNeedsAWritableLoggedInSession);
    RUN(Pkcs11Objects, CreateRejectsBadTemplates);
    RUN(Pkcs11Objects, OneLabelNeverHoldsTwoClasses);
    RUN(Pkcs11Objects, GeneratesAP256KeyPair);
    RUN(Pkcs11Objects, KeyPairGenerationRules);
    RUN(Pkcs11Objects, FindsByClassLabelKeyTypeAndId);
    RUN(Pkcs11Objects, FindObjectsInPiecesAndItsRules);
    RUN(Pkcs11Objects, PrivateObjectsNeedTheLogin);
    RUN(Pkcs11Objects, AttributeValuesFollowTheStandardsRules);
    RUN(Pkcs11Objects, PrivateKeyValuesAreSensitive);
    RUN(Pkcs11Objects, DestroyRemovesObjects);
    RUN(Pkcs11Objects, PersistsAcrossFinalizeAndInitialize);
    RUN(Pkcs11Objects, PersistsAcrossAProcessRestart);
    return test_summary();
}
