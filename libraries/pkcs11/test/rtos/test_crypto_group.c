/* Alder qualification group CRYPTO: the module's cryptography on the board: SHA-256, ECDSA P-256 and RSA-2048
 * PKCS#1 v1.5 known answers, sign-then-verify round trips, key generation, random bytes, and their error codes.
 * It must never accept a result it cannot check: every answer is compared with a published or openssl-made vector,
 * or verified by the opposite operation. */
#include <string.h>

#include "alder_test.h"
#include "pkcs11.h"
#include "pkcs11_group_util.h"
#include "pkcs11_test_vectors.h"
#include "task.h"

/* ---- Published vectors ---- */

/* SHA-256 of the FIPS 180-2 examples (NIST's "SHA-256 examples"): the empty string, the 448-bit and 896-bit
 * messages, and one million 'a'. "abc" is kat_sha256_abc (pkcs11_test_vectors.h). */
static const CK_BYTE sha256_empty[32] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};
static const char message_448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const CK_BYTE sha256_448[32] = {
    0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
    0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
};
static const char message_896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                                  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const CK_BYTE sha256_896[32] = {
    0xcf, 0x5b, 0x16, 0xa7, 0x78, 0xaf, 0x83, 0x80, 0x03, 0x6c, 0xe5, 0x9e, 0x7b, 0x04, 0x92, 0x37,
    0x0b, 0x24, 0x9b, 0x11, 0xe8, 0xf0, 0x7a, 0x51, 0xaf, 0xac, 0x45, 0x03, 0x7a, 0xfe, 0xe9, 0xd1,
};
#define MILLION 1000000u
static const CK_BYTE sha256_million_a[32] = {
    0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e, 0x67,
    0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0,
};

/* RFC 6979, appendix A.2.5: ECDSA P-256 with SHA-256 and deterministic nonces. The private key x, its public
 * point U (uncompressed: 04 || Ux || Uy), and the signatures r || s of the messages "sample" and "test". */
static const CK_BYTE rfc6979_x[32] = {
    0xC9, 0xAF, 0xA9, 0xD8, 0x45, 0xBA, 0x75, 0x16, 0x6B, 0x5C, 0x21, 0x57, 0x67, 0xB1, 0xD6, 0x93,
    0x4E, 0x50, 0xC3, 0xDB, 0x36, 0xE8, 0x9B, 0x12, 0x7B, 0x8A, 0x62, 0x2B, 0x12, 0x0F, 0x67, 0x21,
};
static const CK_BYTE rfc6979_point[65] = {
    0x04, 0x60, 0xFE, 0xD4, 0xBA, 0x25, 0x5A, 0x9D, 0x31, 0xC9, 0x61, 0xEB, 0x74, 0xC6, 0x35, 0x6D, 0x68,
    0xC0, 0x49, 0xB8, 0x92, 0x3B, 0x61, 0xFA, 0x6C, 0xE6, 0x69, 0x62, 0x2E, 0x60, 0xF2, 0x9F, 0xB6, 0x79,
    0x03, 0xFE, 0x10, 0x08, 0xB8, 0xBC, 0x99, 0xA4, 0x1A, 0xE9, 0xE9, 0x56, 0x28, 0xBC, 0x64, 0xF2, 0xF1,
    0xB2, 0x0C, 0x2D, 0x7E, 0x9F, 0x51, 0x77, 0xA3, 0xC2, 0x94, 0xD4, 0x46, 0x22, 0x99,
};
static const CK_BYTE rfc6979_sample_signature[64] = {
    0xEF, 0xD4, 0x8B, 0x2A, 0xAC, 0xB6, 0xA8, 0xFD, 0x11, 0x40, 0xDD, 0x9C, 0xD4, 0x5E, 0x81, 0xD6,
    0x9D, 0x2C, 0x87, 0x7B, 0x56, 0xAA, 0xF9, 0x91, 0xC3, 0x4D, 0x0E, 0xA8, 0x4E, 0xAF, 0x37, 0x16,
    0xF7, 0xCB, 0x1C, 0x94, 0x2D, 0x65, 0x7C, 0x41, 0xD4, 0x36, 0xC7, 0xA1, 0xB6, 0xE2, 0x9F, 0x65,
    0xF3, 0xE9, 0x00, 0xDB, 0xB9, 0xAF, 0xF4, 0x06, 0x4D, 0xC4, 0xAB, 0x2F, 0x84, 0x3A, 0xCD, 0xA8,
};
static const CK_BYTE rfc6979_test_signature[64] = {
    0xF1, 0xAB, 0xB0, 0x23, 0x51, 0x83, 0x51, 0xCD, 0x71, 0xD8, 0x81, 0x56, 0x7B, 0x1E, 0xA6, 0x63,
    0xED, 0x3E, 0xFC, 0xF6, 0xC5, 0x13, 0x2B, 0x35, 0x4F, 0x28, 0xD3, 0xB0, 0xB7, 0xD3, 0x83, 0x67,
    0x01, 0x9F, 0x41, 0x13, 0x74, 0x2A, 0x2B, 0x14, 0xBD, 0x25, 0x92, 0x6B, 0x49, 0xC6, 0x49, 0x15,
    0x5F, 0x26, 0x7E, 0x60, 0xD3, 0x81, 0x4B, 0x4C, 0x0C, 0xC8, 0x42, 0x50, 0xE4, 0x6F, 0x00, 0x83,
};

static CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
static CK_MECHANISM rsa_pkcs = {CKM_RSA_PKCS, NULL, 0};
static CK_MECHANISM sha256 = {CKM_SHA256, NULL, 0};

/* SHA-256 of a message through C_DigestInit and C_Digest, each of which must succeed. */
static void digest(CK_SESSION_HANDLE session, const void *message, CK_ULONG length, CK_BYTE out[32])
{
    CK_ULONG out_length = 32;
    TEST_ASSERT_RV(CKR_OK, C_DigestInit(session, &sha256));
    TEST_ASSERT_RV(CKR_OK, C_Digest(session, (CK_BYTE_PTR)message, length, out, &out_length));
    TEST_ASSERT_EQ(32, out_length);
}

/* The public key's view of a private key made from a vector: same label, class CKO_PUBLIC_KEY. */
static CK_OBJECT_HANDLE view_of(CK_SESSION_HANDLE session, const char *label)
{
    return pkcs11_group_find_one(session, CKO_PUBLIC_KEY, label);
}

/* ---- SHA-256 ---- */

TEST(CRYPTO, Sha256KnownAnswers)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_BYTE out[32];
    digest(session, "abc", 3, out);
    TEST_ASSERT_MEM_EQ(kat_sha256_abc, out, 32);
    digest(session, NULL, 0, out);
    TEST_ASSERT_MEM_EQ(sha256_empty, out, 32);
    digest(session, message_448, sizeof(message_448) - 1, out);
    TEST_ASSERT_MEM_EQ(sha256_448, out, 32);
    digest(session, message_896, sizeof(message_896) - 1, out);
    TEST_ASSERT_MEM_EQ(sha256_896, out, 32);
    pkcs11_group_end();
}

/* C_Digest is single-part, so the million bytes must be in RAM at once: a board whose heap cannot hold them
 * skips this vector (the others above still prove the digest). */
TEST(CRYPTO, Sha256OfAMillionA)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_BYTE *message = pvPortMalloc(MILLION);
    if (message == NULL) {
        pkcs11_group_end();
        TEST_IGNORE("the kernel heap cannot hold the 1,000,000-byte message that single-part C_Digest needs");
    }
    memset(message, 'a', MILLION);
    CK_BYTE out[32];
    CK_ULONG out_length = sizeof(out);
    CK_RV init = C_DigestInit(session, &sha256);
    CK_RV rv = C_Digest(session, message, MILLION, out, &out_length);
    vPortFree(message); /* before any check, so a failure leaks nothing */
    TEST_ASSERT_RV(CKR_OK, init);
    TEST_ASSERT_RV(CKR_OK, rv);
    TEST_ASSERT_EQ(32, out_length);
    TEST_ASSERT_MEM_EQ(sha256_million_a, out, 32);
    pkcs11_group_end();
}

TEST(CRYPTO, DigestOperationRules)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_BYTE out[40];
    CK_ULONG length = 0;
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Digest(session, (CK_BYTE_PTR) "abc", 3, out, &length));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_DigestInit(CK_INVALID_HANDLE, &sha256));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_DigestInit(session, NULL));
    CK_MECHANISM sha1 = {CKM_SHA_1, NULL, 0};
    TEST_ASSERT_RV(CKR_MECHANISM_INVALID, C_DigestInit(session, &sha1));
    CK_BYTE parameter = 0;
    CK_MECHANISM with_parameter = {CKM_SHA256, &parameter, 1};
    TEST_ASSERT_RV(CKR_MECHANISM_PARAM_INVALID, C_DigestInit(session, &with_parameter));
    TEST_ASSERT_RV(CKR_OK, C_DigestInit(session, &sha256));
    TEST_ASSERT_RV(CKR_OPERATION_ACTIVE, C_DigestInit(session, &sha256));
    /* A size query and a short buffer leave the operation active; the answer ends it. */
    TEST_ASSERT_RV(CKR_OK, C_Digest(session, (CK_BYTE_PTR) "abc", 3, NULL, &length));
    TEST_ASSERT_EQ(32, length);
    length = 31;
    TEST_ASSERT_RV(CKR_BUFFER_TOO_SMALL, C_Digest(session, (CK_BYTE_PTR) "abc", 3, out, &length));
    TEST_ASSERT_EQ(32, length);
    length = sizeof(out);
    TEST_ASSERT_RV(CKR_OK, C_Digest(session, (CK_BYTE_PTR) "abc", 3, out, &length));
    TEST_ASSERT_MEM_EQ(kat_sha256_abc, out, 32);
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Digest(session, (CK_BYTE_PTR) "abc", 3, out, &length));
    /* Bad arguments end it too. */
    TEST_ASSERT_RV(CKR_OK, C_DigestInit(session, &sha256));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_Digest(session, NULL, 3, out, &length));
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Digest(session, (CK_BYTE_PTR) "abc", 3, out, &length));
    pkcs11_group_end();
}

/* ---- ECDSA P-256 ---- */

/* An EC public key object from an uncompressed point (the bare 65 bytes, which the module accepts). */
static CK_OBJECT_HANDLE create_ec_public_point(CK_SESSION_HANDLE session, const char *label, const CK_BYTE point[65])
{
    static const CK_BYTE p256_oid[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
    CK_OBJECT_CLASS object_class = CKO_PUBLIC_KEY;
    CK_KEY_TYPE key_type = CKK_EC;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &object_class, sizeof(object_class)},
                        {CKA_KEY_TYPE, &key_type, sizeof(key_type)},
                        {CKA_LABEL, (CK_VOID_PTR)label, (CK_ULONG)strlen(label)},
                        {CKA_EC_PARAMS, (CK_VOID_PTR)p256_oid, sizeof(p256_oid)},
                        {CKA_EC_POINT, (CK_VOID_PTR)point, 65}};
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_CreateObject(session, t, PKCS11_GROUP_COUNT(t), &object));
    return object;
}

/* A copy of signature with one bit of byte `at` flipped must not verify. */
static void expect_corrupted_rejected(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE public_key, const CK_BYTE hash[32],
                                      const CK_BYTE signature[64], size_t at)
{
    CK_BYTE corrupted[64];
    memcpy(corrupted, signature, sizeof(corrupted));
    corrupted[at] ^= 0x80;
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, pkcs11_group_ecdsa_verify(session, public_key, hash, corrupted));
}

TEST(CRYPTO, EcdsaVerifiesKnownSignatures)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    /* openssl's signature of SHA-256("abc") with the group's key. */
    CK_OBJECT_HANDLE openssl_key = pkcs11_group_create_ec_public(session, "Crypto Ec Public");
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, openssl_key, kat_sha256_abc, kat_ecdsa_signature));
    expect_corrupted_rejected(session, openssl_key, kat_sha256_abc, kat_ecdsa_signature, 10); /* in r */
    expect_corrupted_rejected(session, openssl_key, kat_sha256_abc, kat_ecdsa_signature, 50); /* in s */
    /* RFC 6979's signatures of "sample" and "test" with its key. */
    CK_OBJECT_HANDLE rfc_key = create_ec_public_point(session, "Crypto Rfc6979 Public", rfc6979_point);
    CK_BYTE sample_hash[32], test_hash[32];
    digest(session, "sample", 6, sample_hash);
    digest(session, "test", 4, test_hash);
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, rfc_key, sample_hash, rfc6979_sample_signature));
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, rfc_key, test_hash, rfc6979_test_signature));
    /* Each signature is for its own message and its own key only. */
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID,
                   pkcs11_group_ecdsa_verify(session, rfc_key, test_hash, rfc6979_sample_signature));
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID,
                   pkcs11_group_ecdsa_verify(session, openssl_key, sample_hash, rfc6979_sample_signature));
    expect_corrupted_rejected(session, rfc_key, sample_hash, rfc6979_sample_signature, 0);
    expect_corrupted_rejected(session, rfc_key, sample_hash, rfc6979_sample_signature, 63);
    pkcs11_group_end();
}

/* The module signs with RFC 6979 nonces (libraries/pkcs11/README.md), so the RFC's key gives the RFC's bytes. */
TEST(CRYPTO, EcdsaSignsTheRfc6979Vectors)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE key = pkcs11_group_create_ec_private_value(session, "Crypto Rfc6979 Key", rfc6979_x);
    /* The module derived the same public point from x. */
    CK_BYTE point[80];
    CK_ATTRIBUTE a = {CKA_EC_POINT, point, sizeof(point)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, view_of(session, "Crypto Rfc6979 Key"), &a, 1));
    TEST_ASSERT_EQ(2 + sizeof(rfc6979_point), a.ulValueLen);
    TEST_ASSERT_MEM_EQ(rfc6979_point, point + 2, sizeof(rfc6979_point));
    CK_BYTE hash[32], signature[64];
    digest(session, "sample", 6, hash);
    pkcs11_group_ecdsa_sign(session, key, hash, signature);
    TEST_ASSERT_MEM_EQ(rfc6979_sample_signature, signature, 64);
    digest(session, "test", 4, hash);
    pkcs11_group_ecdsa_sign(session, key, hash, signature);
    TEST_ASSERT_MEM_EQ(rfc6979_test_signature, signature, 64);
    pkcs11_group_end();
}

TEST(CRYPTO, EcdsaSignThenVerifyRoundTrips)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE key = pkcs11_group_create_ec_private(session, "Crypto Ec Key");
    CK_OBJECT_HANDLE view = view_of(session, "Crypto Ec Key");
    CK_OBJECT_HANDLE stored_public = pkcs11_group_create_ec_public(session, "Crypto Ec Public");
    CK_OBJECT_HANDLE other = create_ec_public_point(session, "Crypto Other Public", rfc6979_point);
    uint32_t state = 0x2545F491u;
    for (int round = 0; round < 8; round++) {
        CK_BYTE hash[32], signature[64];
        for (size_t i = 0; i < sizeof(hash); i++) {
            hash[i] = (CK_BYTE)test_random(&state);
        }
        pkcs11_group_ecdsa_sign(session, key, hash, signature);
        TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, view, hash, signature));
        TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, stored_public, hash, signature));
        TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, pkcs11_group_ecdsa_verify(session, other, hash, signature));
        expect_corrupted_rejected(session, view, hash, signature, (size_t)round * 8u);
        hash[31] ^= 0x01;
        TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, pkcs11_group_ecdsa_verify(session, view, hash, signature));
    }
    pkcs11_group_end();
}

/* ---- RSA-2048 PKCS#1 v1.5 ---- */

TEST(CRYPTO, RsaSignsAndVerifiesTheKnownSignature)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE key = pkcs11_group_create_rsa_private(session, "Crypto Rsa Key");
    CK_OBJECT_HANDLE stored_public = pkcs11_group_create_rsa_public(session, "Crypto Rsa Public");
    CK_BYTE info[PKCS11_GROUP_DIGEST_INFO_LENGTH], signature[256];
    pkcs11_group_digest_info_abc(info);
    /* PKCS#1 v1.5 is deterministic: the imported key signs exactly what openssl signed. */
    CK_ULONG length = 0;
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &rsa_pkcs, key));
    TEST_ASSERT_RV(CKR_OK, C_Sign(session, info, sizeof(info), NULL, &length));
    TEST_ASSERT_EQ(256, length);
    TEST_ASSERT_RV(CKR_OK, C_Sign(session, info, sizeof(info), signature, &length));
    TEST_ASSERT_EQ(256, length);
    TEST_ASSERT_MEM_EQ(kat_rsa_signature, signature, 256);
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, stored_public));
    TEST_ASSERT_RV(CKR_OK, C_Verify(session, info, sizeof(info), (CK_BYTE_PTR)kat_rsa_signature, 256));
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, view_of(session, "Crypto Rsa Key")));
    TEST_ASSERT_RV(CKR_OK, C_Verify(session, info, sizeof(info), signature, 256));
    /* A corrupted signature, and the right signature over other data, both fail. */
    signature[200] ^= 0x80;
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, stored_public));
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, C_Verify(session, info, sizeof(info), signature, 256));
    info[sizeof(info) - 1] ^= 0x01;
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, stored_public));
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, C_Verify(session, info, sizeof(info), (CK_BYTE_PTR)kat_rsa_signature, 256));
    /* Any DigestInfo-sized input round-trips. */
    CK_BYTE data[100];
    memset(data, 0x33, sizeof(data));
    length = sizeof(signature);
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &rsa_pkcs, key));
    TEST_ASSERT_RV(CKR_OK, C_Sign(session, data, sizeof(data), signature, &length));
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, stored_public));
    TEST_ASSERT_RV(CKR_OK, C_Verify(session, data, sizeof(data), signature, length));
    pkcs11_group_end();
}

/* ---- Key generation ---- */

TEST(CRYPTO, GeneratedP256KeysSignAndVerify)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE public_a = CK_INVALID_HANDLE, private_a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE public_b = CK_INVALID_HANDLE, private_b = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_generate_ec(session, "Crypto Made A", NULL, &public_a, &private_a));
    TEST_ASSERT_RV(CKR_OK,
                   pkcs11_group_generate_ec(session, "Crypto Made B", "Crypto Made B Public", &public_b, &private_b));
    TEST_ASSERT_EQ(CKO_PRIVATE_KEY, pkcs11_group_attribute_ulong(session, private_a, CKA_CLASS));
    TEST_ASSERT_EQ(CKO_PUBLIC_KEY, pkcs11_group_attribute_ulong(session, public_a, CKA_CLASS));
    TEST_ASSERT_EQ(CKK_EC, pkcs11_group_attribute_ulong(session, private_a, CKA_KEY_TYPE));
    TEST_ASSERT_EQ(CK_TRUE, pkcs11_group_attribute_bool(session, private_a, CKA_LOCAL));
    TEST_ASSERT_EQ(CKM_EC_KEY_PAIR_GEN, pkcs11_group_attribute_ulong(session, private_a, CKA_KEY_GEN_MECHANISM));
    /* Two generations give two different keys (the board's entropy reached the DRBG). */
    CK_BYTE point_a[80], point_b[80];
    CK_ATTRIBUTE a = {CKA_EC_POINT, point_a, sizeof(point_a)}, b = {CKA_EC_POINT, point_b, sizeof(point_b)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, public_a, &a, 1));
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, public_b, &b, 1));
    TEST_ASSERT_EQ(67, a.ulValueLen);
    TEST_ASSERT_EQ(67, b.ulValueLen);
    TEST_ASSERT_EQ(0x04, point_a[2]); /* uncompressed, inside the DER OCTET STRING */
    TEST_ASSERT(memcmp(point_a, point_b, 67) != 0);
    CK_BYTE hash[32], signature[64];
    digest(session, "generated", 9, hash);
    pkcs11_group_ecdsa_sign(session, private_a, hash, signature);
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, public_a, hash, signature));
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, pkcs11_group_ecdsa_verify(session, public_b, hash, signature));
    pkcs11_group_ecdsa_sign(session, private_b, hash, signature);
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, public_b, hash, signature));
    pkcs11_group_end();
}

TEST(CRYPTO, KeyGenerationRules)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    static const CK_BYTE p256_oid[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
    static const CK_BYTE p384_oid[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};
    CK_MECHANISM generate = {CKM_EC_KEY_PAIR_GEN, NULL, 0}, rsa_generate = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE p256[] = {{CKA_EC_PARAMS, (CK_VOID_PTR)p256_oid, sizeof(p256_oid)}};
    CK_ATTRIBUTE p384[] = {{CKA_EC_PARAMS, (CK_VOID_PTR)p384_oid, sizeof(p384_oid)}};
    CK_ATTRIBUTE labelled[] = {{CKA_LABEL, "Crypto Rules Key", 16}};
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE, private_key = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID,
                   C_GenerateKeyPair(CK_INVALID_HANDLE, &generate, p256, 1, labelled, 1, &public_key, &private_key));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD,
                   C_GenerateKeyPair(session, NULL, p256, 1, labelled, 1, &public_key, &private_key));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GenerateKeyPair(session, &generate, p256, 1, labelled, 1, NULL, &private_key));
    TEST_ASSERT_RV(CKR_MECHANISM_INVALID,
                   C_GenerateKeyPair(session, &rsa_generate, p256, 1, labelled, 1, &public_key, &private_key));
    TEST_ASSERT_RV(CKR_TEMPLATE_INCOMPLETE,
                   C_GenerateKeyPair(session, &generate, p256, 1, NULL, 0, &public_key, &private_key));
    TEST_ASSERT_RV(CKR_TEMPLATE_INCOMPLETE,
                   C_GenerateKeyPair(session, &generate, NULL, 0, labelled, 1, &public_key, &private_key));
    TEST_ASSERT_RV(CKR_CURVE_NOT_SUPPORTED,
                   C_GenerateKeyPair(session, &generate, p384, 1, labelled, 1, &public_key, &private_key));
    TEST_ASSERT_RV(CKR_OK, C_Logout(session));
    TEST_ASSERT_RV(CKR_USER_NOT_LOGGED_IN,
                   C_GenerateKeyPair(session, &generate, p256, 1, labelled, 1, &public_key, &private_key));
    pkcs11_group_login(session);
    CK_OBJECT_HANDLE found[1];
    TEST_ASSERT_EQ(0, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 1));
    pkcs11_group_end();
}

/* ---- The rules of signing and verifying ---- */

TEST(CRYPTO, SignFollowsTheSizeAndOperationRules)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE key = pkcs11_group_create_ec_private(session, "Crypto Ec Key");
    CK_BYTE hash[32] = {1}, signature[64];
    CK_ULONG length = 0;
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Sign(session, hash, 32, signature, &length));
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &ecdsa, key));
    TEST_ASSERT_RV(CKR_OPERATION_ACTIVE, C_SignInit(session, &ecdsa, key));
    TEST_ASSERT_RV(CKR_OK, C_Sign(session, hash, 32, NULL, &length));
    TEST_ASSERT_EQ(64, length);
    length = 63;
    TEST_ASSERT_RV(CKR_BUFFER_TOO_SMALL, C_Sign(session, hash, 32, signature, &length));
    TEST_ASSERT_EQ(64, length);
    TEST_ASSERT_RV(CKR_OK, C_Sign(session, hash, 32, signature, &length));
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Sign(session, hash, 32, signature, &length));
    /* ECDSA signs a 32-byte hash and nothing else; an error ends the operation. */
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &ecdsa, key));
    TEST_ASSERT_RV(CKR_DATA_LEN_RANGE, C_Sign(session, hash, 31, signature, &length));
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Sign(session, hash, 32, signature, &length));
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &ecdsa, key));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_Sign(session, hash, 32, signature, NULL));
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Sign(session, hash, 32, signature, &length));
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_Sign(CK_INVALID_HANDLE, hash, 32, signature, &length));
    pkcs11_group_end();
}

TEST(CRYPTO, SignAndVerifyRefuseTheWrongKeys)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE ec_private = pkcs11_group_create_ec_private(session, "Crypto Ec Key");
    CK_OBJECT_HANDLE ec_public = pkcs11_group_create_ec_public(session, "Crypto Ec Public");
    CK_OBJECT_HANDLE rsa_private = pkcs11_group_create_rsa_private(session, "Crypto Rsa Key");
    CK_OBJECT_HANDLE certificate = pkcs11_group_create_certificate(session, "Crypto Cert");
    CK_BYTE parameter = 0;
    CK_MECHANISM with_parameter = {CKM_ECDSA, &parameter, 1};
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_SignInit(CK_INVALID_HANDLE, &ecdsa, ec_private));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_SignInit(session, NULL, ec_private));
    TEST_ASSERT_RV(CKR_MECHANISM_INVALID, C_SignInit(session, &sha256, ec_private));
    TEST_ASSERT_RV(CKR_MECHANISM_PARAM_INVALID, C_SignInit(session, &with_parameter, ec_private));
    TEST_ASSERT_RV(CKR_KEY_HANDLE_INVALID, C_SignInit(session, &ecdsa, 0x7FFFFFF0UL));
    TEST_ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT, C_SignInit(session, &ecdsa, rsa_private));
    TEST_ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT, C_SignInit(session, &rsa_pkcs, ec_private));
    TEST_ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED, C_SignInit(session, &ecdsa, ec_public));
    TEST_ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT, C_SignInit(session, &ecdsa, certificate));
    TEST_ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED, C_VerifyInit(session, &ecdsa, ec_private));
    TEST_ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT, C_VerifyInit(session, &rsa_pkcs, ec_public));
    TEST_ASSERT_RV(CKR_KEY_HANDLE_INVALID, C_VerifyInit(session, &ecdsa, 0x7FFFFFF0UL));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_VerifyInit(session, NULL, ec_public));
    /* A private key needs the login, at C_SignInit and again at C_Sign; verifying needs none. */
    CK_BYTE hash[32] = {2}, signature[64];
    CK_ULONG length = sizeof(signature);
    TEST_ASSERT_RV(CKR_OK, C_Logout(session));
    TEST_ASSERT_RV(CKR_USER_NOT_LOGGED_IN, C_SignInit(session, &ecdsa, ec_private));
    pkcs11_group_login(session);
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &ecdsa, ec_private));
    TEST_ASSERT_RV(CKR_OK, C_Logout(session));
    TEST_ASSERT_RV(CKR_USER_NOT_LOGGED_IN, C_Sign(session, hash, 32, signature, &length));
    TEST_ASSERT_RV(CKR_OK, pkcs11_group_ecdsa_verify(session, ec_public, kat_sha256_abc, kat_ecdsa_signature));
    /* A key destroyed between C_SignInit and C_Sign. */
    pkcs11_group_login(session);
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &ecdsa, ec_private));
    TEST_ASSERT_RV(CKR_OK, C_DestroyObject(session, ec_private));
    TEST_ASSERT_RV(CKR_KEY_HANDLE_INVALID, C_Sign(session, hash, 32, signature, &length));
    pkcs11_group_end();
}

TEST(CRYPTO, VerifyChecksLengths)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_OBJECT_HANDLE ec_public = pkcs11_group_create_ec_public(session, "Crypto Ec Public");
    CK_OBJECT_HANDLE rsa_public = pkcs11_group_create_rsa_public(session, "Crypto Rsa Public");
    static CK_BYTE zeros[300];
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Verify(session, zeros, 32, zeros, 64));
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &ecdsa, ec_public));
    TEST_ASSERT_RV(CKR_OPERATION_ACTIVE, C_VerifyInit(session, &ecdsa, ec_public));
    TEST_ASSERT_RV(CKR_SIGNATURE_LEN_RANGE, C_Verify(session, zeros, 32, zeros, 63));
    TEST_ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, C_Verify(session, zeros, 32, zeros, 64)); /* it ended */
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &ecdsa, ec_public));
    TEST_ASSERT_RV(CKR_DATA_LEN_RANGE, C_Verify(session, zeros, 20, zeros, 64));
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &ecdsa, ec_public));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_Verify(session, zeros, 32, NULL, 64));
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &ecdsa, ec_public));
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, C_Verify(session, zeros, 32, zeros, 64)); /* r = s = 0 */
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, rsa_public));
    TEST_ASSERT_RV(CKR_SIGNATURE_LEN_RANGE, C_Verify(session, zeros, 51, zeros, 255));
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, rsa_public));
    TEST_ASSERT_RV(CKR_DATA_LEN_RANGE, C_Verify(session, zeros, 246, zeros, 256));
    TEST_ASSERT_RV(CKR_OK, C_VerifyInit(session, &rsa_pkcs, rsa_public));
    TEST_ASSERT_RV(CKR_SIGNATURE_INVALID, C_Verify(session, zeros, 51, zeros, 256));
    pkcs11_group_end();
}

/* ---- Random bytes ---- */

static unsigned ones_in(const CK_BYTE *bytes, size_t length)
{
    unsigned ones = 0;
    for (size_t i = 0; i < length; i++) {
        for (CK_BYTE b = bytes[i]; b != 0; b &= (CK_BYTE)(b - 1u)) {
            ones++;
        }
    }
    return ones;
}

TEST(CRYPTO, RandomBytesDifferAndLookRandom)
{
    CK_SESSION_HANDLE session = pkcs11_group_begin();
    CK_BYTE a[32], b[32], zero[32] = {0};
    TEST_ASSERT_RV(CKR_SESSION_HANDLE_INVALID, C_GenerateRandom(CK_INVALID_HANDLE, a, sizeof(a)));
    TEST_ASSERT_RV(CKR_ARGUMENTS_BAD, C_GenerateRandom(session, NULL, 1));
    TEST_ASSERT_RV(CKR_OK, C_GenerateRandom(session, NULL, 0));
    TEST_ASSERT_RV(CKR_OK, C_GenerateRandom(session, a, sizeof(a)));
    TEST_ASSERT_RV(CKR_OK, C_GenerateRandom(session, b, sizeof(b)));
    TEST_ASSERT(memcmp(a, b, sizeof(a)) != 0);
    TEST_ASSERT(memcmp(a, zero, sizeof(a)) != 0);
    /* More than one DRBG request at once, and a monobit check on it: 32768 bits have 16384 ones, standard
     * deviation 90.5; six deviations either way fail a working generator about once in 10^9 runs. */
    static CK_BYTE big[4096];
    TEST_ASSERT_RV(CKR_OK, C_GenerateRandom(session, big, sizeof(big)));
    TEST_ASSERT_RANGE(16384 - 543, 16384 + 543, ones_in(big, sizeof(big)));
    /* A restarted module is seeded again from the board's entropy: it does not repeat itself. */
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
    TEST_ASSERT_RV(CKR_OK, C_Initialize(NULL));
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session));
    TEST_ASSERT_RV(CKR_OK, C_GenerateRandom(session, b, sizeof(b)));
    TEST_ASSERT(memcmp(a, b, sizeof(a)) != 0);
    pkcs11_group_end();
}

/* ---- Last: what the group leaves behind ---- */

/* Runs last (cases run in source order): every case above emptied the store at its end. */
TEST(CRYPTO, GroupLeavesTheStoreEmpty)
{
    pkcs11_group_check_store_left_empty();
}
