/* Alder qualification group PKCS11, persistence across a restart: one source, two images run in order over one store
 * (AFTER in cmake/alder.cmake). Part 1 stores the device's objects under the standard labels, signs and exits; part 2
 * (a new process, a board after a reset) finds them, checks them, signs as part 1 did, then empties the store.
 * It must never pass part 2 on an empty store: nothing found means part 1 did not run, or the store lost it all. */
#include <string.h>

#include "alder_test.h"
#include "pkcs11.h"
#include "pkcs11_group_util.h"
#include "pkcs11_test_vectors.h"

#if !defined(PKCS11_RESTART_PART) || (PKCS11_RESTART_PART != 1 && PKCS11_RESTART_PART != 2)
#error "build this file with PKCS11_RESTART_PART=1 (store) or PKCS11_RESTART_PART=2 (find after the restart)"
#endif

/* Every standard label holds an object, so a PAL that gives each of them a fixed slot has every slot proven across
 * the restart. The module ties no class to a label: the two keys beyond the device's own use the labels left. */
#define LABEL_GENERATED PKCS11_LABEL_DEVICE_PRIVATE_KEY       /* C_GenerateKeyPair, P-256: the device's own key */
#define LABEL_GENERATED_PUBLIC PKCS11_LABEL_DEVICE_PUBLIC_KEY /* its public key, stored apart */
#define LABEL_CERTIFICATE PKCS11_LABEL_DEVICE_CERTIFICATE     /* the vectors' certificate */
#define LABEL_ROOT PKCS11_LABEL_ROOT_CERTIFICATE              /* the same certificate again */
#define LABEL_EC_KEY PKCS11_LABEL_CODE_VERIFICATION_KEY       /* the vectors' EC private key (C_CreateObject) */
#define LABEL_RSA_KEY PKCS11_LABEL_JITP_CERTIFICATE           /* the vectors' RSA-2048 private key */

/* ECDSA P-256 signature r || s of SHA-256("abc") (kat_sha256_abc) with kat_ec_private and RFC 6979 nonces, as the
 * module signs. OpenSSL 3.0 cannot make deterministic ECDSA; Python's cryptography 48 made it:
 *   ec.derive_private_key(d, ec.SECP256R1()).sign(kat_sha256_abc,
 *       ec.ECDSA(utils.Prehashed(hashes.SHA256()), deterministic_signing=True))
 * (the same call gives RFC 6979's appendix A.2.5 signature of "sample" with the RFC's key). */
static const CK_BYTE ecdsa_abc_rfc6979[64] = {
    0xcb, 0x9f, 0x91, 0xdd, 0x53, 0xe8, 0x65, 0xa0, 0x4f, 0xb9, 0x1e, 0x19, 0x5b, 0xd7, 0xac, 0x9e,
    0xdb, 0xfd, 0xbb, 0xa1, 0x13, 0x4f, 0x2c, 0x61, 0x19, 0x7f, 0x21, 0xe2, 0x01, 0x74, 0x76, 0xf0,
    0x20, 0x88, 0x19, 0xc9, 0xfa, 0x22, 0xea, 0x45, 0x77, 0x76, 0x9e, 0x0f, 0x90, 0x58, 0xf8, 0x01,
    0x34, 0x2b, 0xae, 0x25, 0x3e, 0x75, 0x85, 0x16, 0xc8, 0x14, 0xda, 0x4d, 0x9a, 0xe4, 0xd6, 0x30,
};

/* The one object of a class under a label; a case that finds none (or two) fails naming them. */
static CK_OBJECT_HANDLE find_labelled(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label)
{
    CK_OBJECT_HANDLE found[2] = {CK_INVALID_HANDLE, CK_INVALID_HANDLE};
    CK_ULONG count = pkcs11_group_find(session, object_class, label, found, 2);
    if (count != 1) {
        const char *kind = object_class == CKO_PRIVATE_KEY  ? "private key"
                           : object_class == CKO_PUBLIC_KEY ? "public key"
                                                            : "certificate";
        TEST_FAIL("%s \"%s\": found %lu, expected 1", kind, label, (unsigned long)count);
    }
    return found[0];
}

/* The known answers both parts check: the vectors' EC key signs exactly ecdsa_abc_rfc6979, the RSA key exactly
 * openssl's signature, so equal bytes before and after the restart mean the same keys came back. */
static void expect_known_signatures(CK_SESSION_HANDLE session)
{
    CK_BYTE signature[256];
    CK_OBJECT_HANDLE ec_key = find_labelled(session, CKO_PRIVATE_KEY, LABEL_EC_KEY);
    pkcs11_group_ecdsa_sign(session, ec_key, kat_sha256_abc, signature);
    TEST_ASSERT_MEM_EQ(ecdsa_abc_rfc6979, signature, 64);

    CK_MECHANISM rsa_pkcs = {CKM_RSA_PKCS, NULL, 0};
    CK_BYTE digest_info[PKCS11_GROUP_DIGEST_INFO_LENGTH];
    CK_ULONG length = sizeof(signature);
    pkcs11_group_digest_info_abc(digest_info);
    CK_OBJECT_HANDLE rsa_key = find_labelled(session, CKO_PRIVATE_KEY, LABEL_RSA_KEY);
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &rsa_pkcs, rsa_key));
    TEST_ASSERT_RV(CKR_OK, C_Sign(session, digest_info, sizeof(digest_info), signature, &length));
    TEST_ASSERT_EQ(sizeof(kat_rsa_signature), length);
    TEST_ASSERT_MEM_EQ(kat_rsa_signature, signature, sizeof(kat_rsa_signature));
}

/* The generated key signs, its stored public key verifies, and a corrupted signature is refused. */
static void expect_generated_pair_works(CK_SESSION_HANDLE session)
{
    CK_OBJECT_HANDLE private_key = find_labelled(session, CKO_PRIVATE_KEY, LABEL_GENERATED);
    CK_OBJECT_HANDLE public_key = find_labelled(session, CKO_PUBLIC_KEY, LABEL_GENERATED_PUBLIC);
    CK_BYTE signature[64];
    pkcs11_group_ecdsa_sign(session, private_key, kat_sha256_abc, signature);
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, public_key, kat_sha256_abc, signature));
    signature[5] ^= 0x01;
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, pkcs11_group_ecdsa_verify(session, public_key, kat_sha256_abc, signature));
}

#if PKCS11_RESTART_PART == 1

/* Stores the objects, checks they work, and ends without emptying the store: part 2 needs them. */
TEST(PKCS11, RestartPart1StoresTheDevicesObjects)
{
    if (PKCS11_CONFIG_MAX_OBJECTS < 6) {
        TEST_FAIL("PKCS11_CONFIG_MAX_OBJECTS is %d: the six standard labels need a store of 6",
                  PKCS11_CONFIG_MAX_OBJECTS);
    }
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE, private_key = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(
        CKR_OK, pkcs11_group_generate_ec(session, LABEL_GENERATED, LABEL_GENERATED_PUBLIC, &public_key, &private_key));
    (void)pkcs11_group_create_certificate(session, LABEL_CERTIFICATE);
    (void)pkcs11_group_create_certificate(session, LABEL_ROOT);
    (void)pkcs11_group_create_ec_private(session, LABEL_EC_KEY);
    (void)pkcs11_group_create_rsa_private(session, LABEL_RSA_KEY);
    expect_known_signatures(session);
    expect_generated_pair_works(session);
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
}

#else /* PKCS11_RESTART_PART == 2 */

/* Each case starts here: the module up on the store part 1 left, logged in. */
static CK_SESSION_HANDLE restart_open(void)
{
    pkcs11_group_finalize_leftover();
    TEST_ASSERT_RV(CKR_OK, C_Initialize(NULL));
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session));
    pkcs11_group_login(session);
    CK_OBJECT_HANDLE any[1];
    if (pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, any, 1) == 0) {
        /* Short: the message shares a 200-byte line with the file's path. */
        TEST_FAIL("nothing stored: run part 1 first (if it ran, the restart or the reflash wiped the store)");
    }
    return session;
}

/* A stored object of a class under a label, with that label and on the token. */
static CK_OBJECT_HANDLE expect_stored(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label)
{
    CK_OBJECT_HANDLE object = find_labelled(session, object_class, label);
    CK_BYTE value[PKCS11_CONFIG_MAX_LABEL_LENGTH];
    CK_ATTRIBUTE a = {CKA_LABEL, value, sizeof(value)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, object, &a, 1));
    TEST_ASSERT_EQ(strlen(label), a.ulValueLen);
    TEST_ASSERT_MEM_EQ(label, value, a.ulValueLen);
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, object, CKA_TOKEN));
    return object;
}

TEST(PKCS11, RestartPart2FindsEveryObjectByLabel)
{
    CK_SESSION_HANDLE session = restart_open();
    CK_OBJECT_HANDLE generated = expect_stored(session, CKO_PRIVATE_KEY, LABEL_GENERATED);
    CK_OBJECT_HANDLE generated_public = expect_stored(session, CKO_PUBLIC_KEY, LABEL_GENERATED_PUBLIC);
    CK_OBJECT_HANDLE certificate = expect_stored(session, CKO_CERTIFICATE, LABEL_CERTIFICATE);
    CK_OBJECT_HANDLE root = expect_stored(session, CKO_CERTIFICATE, LABEL_ROOT);
    CK_OBJECT_HANDLE ec_key = expect_stored(session, CKO_PRIVATE_KEY, LABEL_EC_KEY);
    CK_OBJECT_HANDLE rsa_key = expect_stored(session, CKO_PRIVATE_KEY, LABEL_RSA_KEY);
    TEST_ASSERT_EQ(CKK_EC, pkcs11_group_attribute_ulong(session, generated, CKA_KEY_TYPE));
    TEST_ASSERT_EQ(CKK_EC, pkcs11_group_attribute_ulong(session, generated_public, CKA_KEY_TYPE));
    TEST_ASSERT_EQ(CKK_EC, pkcs11_group_attribute_ulong(session, ec_key, CKA_KEY_TYPE));
    TEST_ASSERT_EQ(CKK_RSA, pkcs11_group_attribute_ulong(session, rsa_key, CKA_KEY_TYPE));
    TEST_ASSERT_EQ(CKC_X_509, pkcs11_group_attribute_ulong(session, certificate, CKA_CERTIFICATE_TYPE));
    TEST_ASSERT_EQ(CKC_X_509, pkcs11_group_attribute_ulong(session, root, CKA_CERTIFICATE_TYPE));
    /* Six stored objects and the public views of the three private keys: nothing more, nothing less. */
    CK_OBJECT_HANDLE found[PKCS11_CONFIG_MAX_OBJECTS * 2];
    TEST_ASSERT_EQ(9, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, PKCS11_GROUP_COUNT(found)));
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
}

static void expect_sensitive(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key, CK_ATTRIBUTE_TYPE secret, CK_BBOOL local)
{
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_SENSITIVE));
    TEST_ASSERT_EQ(CK_FALSE, pkcs11_group_attribute_bool(session, key, CKA_EXTRACTABLE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_ALWAYS_SENSITIVE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_NEVER_EXTRACTABLE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_PRIVATE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, key, CKA_SIGN));
    TEST_ASSERT_EQ(local, pkcs11_group_attribute_bool(session, key, CKA_LOCAL));
    static CK_BYTE buffer[512];
    CK_ATTRIBUTE value = {secret, buffer, sizeof(buffer)};
    TEST_ASSERT_RV(CKR_ATTRIBUTE_SENSITIVE, C_GetAttributeValue(session, key, &value, 1));
    TEST_ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, value.ulValueLen);
}

TEST(PKCS11, RestartPart2PrivateKeysStaySensitive)
{
    CK_SESSION_HANDLE session = restart_open();
    /* Only the generated key was made on the device (CKA_LOCAL); the others came in through C_CreateObject. */
    expect_sensitive(session, find_labelled(session, CKO_PRIVATE_KEY, LABEL_GENERATED), CKA_VALUE, CK_TRUE);
    expect_sensitive(session, find_labelled(session, CKO_PRIVATE_KEY, LABEL_EC_KEY), CKA_VALUE, CK_FALSE);
    expect_sensitive(session, find_labelled(session, CKO_PRIVATE_KEY, LABEL_RSA_KEY), CKA_PRIVATE_EXPONENT, CK_FALSE);
    /* Logged out, the private keys are not there at all. */
    TEST_ASSERT_RV(CKR_OK, C_Logout(session));
    CK_OBJECT_HANDLE found[4];
    TEST_ASSERT_EQ(0, pkcs11_group_find(session, CKO_PRIVATE_KEY, NULL, found, PKCS11_GROUP_COUNT(found)));
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
}

/* An attribute's bytes: exactly `length` of them, equal to expected. */
static void expect_bytes(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type,
                         const CK_BYTE *expected, CK_ULONG length)
{
    static CK_BYTE value[sizeof(kat_certificate) + 16];
    CK_ATTRIBUTE a = {type, value, sizeof(value)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, object, &a, 1));
    TEST_ASSERT_EQ(length, a.ulValueLen);
    TEST_ASSERT_MEM_EQ(expected, value, length);
}

TEST(PKCS11, RestartPart2PublicPartsAreUnchanged)
{
    CK_SESSION_HANDLE session = restart_open();
    expect_bytes(session, find_labelled(session, CKO_CERTIFICATE, LABEL_CERTIFICATE), CKA_VALUE, kat_certificate,
                 sizeof(kat_certificate));
    expect_bytes(session, find_labelled(session, CKO_CERTIFICATE, LABEL_ROOT), CKA_VALUE, kat_certificate,
                 sizeof(kat_certificate));
    CK_BYTE point[2 + sizeof(kat_ec_point)] = {0x04, (CK_BYTE)sizeof(kat_ec_point)}; /* DER OCTET STRING */
    memcpy(point + 2, kat_ec_point, sizeof(kat_ec_point));
    expect_bytes(session, find_labelled(session, CKO_PUBLIC_KEY, LABEL_EC_KEY), CKA_EC_POINT, point, sizeof(point));
    CK_OBJECT_HANDLE rsa_key = find_labelled(session, CKO_PRIVATE_KEY, LABEL_RSA_KEY);
    expect_bytes(session, rsa_key, CKA_MODULUS, kat_rsa_modulus, sizeof(kat_rsa_modulus));
    expect_bytes(session, rsa_key, CKA_PUBLIC_EXPONENT, kat_rsa_public_exponent, sizeof(kat_rsa_public_exponent));
    /* The generated key's public half, as the private key gives it, is still the stored public key's point. */
    CK_BYTE stored[80];
    CK_ATTRIBUTE a = {CKA_EC_POINT, stored, sizeof(stored)};
    TEST_ASSERT_RV(CKR_OK,
                   C_GetAttributeValue(session, find_labelled(session, CKO_PUBLIC_KEY, LABEL_GENERATED_PUBLIC), &a, 1));
    TEST_ASSERT_EQ(sizeof(point), a.ulValueLen);
    expect_bytes(session, find_labelled(session, CKO_PUBLIC_KEY, LABEL_GENERATED), CKA_EC_POINT, stored, a.ulValueLen);
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
}

TEST(PKCS11, RestartPart2KeysSignAsBefore)
{
    CK_SESSION_HANDLE session = restart_open();
    expect_known_signatures(session);
    expect_generated_pair_works(session);
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
}

/* Last (cases run in source order): the pair leaves the store as the PKCS11 group does, empty. */
TEST(PKCS11, RestartPart2EmptiesTheStore)
{
    (void)restart_open();
    pkcs11_group_end();
    pkcs11_group_check_store_left_empty();
}

#endif
