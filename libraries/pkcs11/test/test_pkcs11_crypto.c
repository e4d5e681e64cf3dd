/* Alder PKCS#11 host tests: digests, signatures and their rules: known answers made by openssl, sign-then-verify
 * round trips, size queries, and every error a caller can provoke.
 * It must never compare an ECDSA signature byte for byte with another: ECDSA signatures differ each time. */
#include <string.h>

#include "pkcs11.h"
#include "pkcs11_test_util.h"
#include "pkcs11_test_vectors.h"

static CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
static CK_MECHANISM rsa_pkcs = {CKM_RSA_PKCS, NULL, 0};
static CK_MECHANISM sha256 = {CKM_SHA256, NULL, 0};

static void digest_info(CK_BYTE out[51])
{
    memcpy(out, kat_sha256_digest_info_prefix, 19);
    memcpy(out + 19, kat_sha256_abc, 32);
}

static void Sha256KnownAnswer(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_BYTE digest[40];
    CK_ULONG length = 0;
    CHECK_RV(C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &length), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_DigestInit(99, &sha256), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_DigestInit(session, NULL), CKR_ARGUMENTS_BAD);
    CK_MECHANISM sha1 = {CKM_SHA_1, NULL, 0};
    CHECK_RV(C_DigestInit(session, &sha1), CKR_MECHANISM_INVALID);
    CK_BYTE parameter = 0;
    CK_MECHANISM with_parameter = {CKM_SHA256, &parameter, 1};
    CHECK_RV(C_DigestInit(session, &with_parameter), CKR_MECHANISM_PARAM_INVALID);
    CHECK_RV(C_DigestInit(session, &sha256), CKR_OK);
    CHECK_RV(C_DigestInit(session, &sha256), CKR_OPERATION_ACTIVE);
    /* Size query and a short buffer leave the operation active. */
    CHECK_RV(C_Digest(session, (CK_BYTE_PTR) "abc", 3, NULL, &length), CKR_OK);
    CHECK(length == 32);
    length = 31;
    CHECK_RV(C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &length), CKR_BUFFER_TOO_SMALL);
    CHECK(length == 32);
    length = sizeof(digest);
    CHECK_RV(C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &length), CKR_OK);
    CHECK(length == 32 && memcmp(digest, kat_sha256_abc, 32) == 0);
    /* It ended. */
    CHECK_RV(C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &length), CKR_OPERATION_NOT_INITIALIZED);
    /* Bad arguments end it too. */
    CHECK_RV(C_DigestInit(session, &sha256), CKR_OK);
    CHECK_RV(C_Digest(session, NULL, 3, digest, &length), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &length), CKR_OPERATION_NOT_INITIALIZED);
    /* The empty message. */
    static const CK_BYTE empty_sha256[4] = {0xe3, 0xb0, 0xc4, 0x42};
    CHECK_RV(C_DigestInit(session, &sha256), CKR_OK);
    length = sizeof(digest);
    CHECK_RV(C_Digest(session, NULL, 0, digest, &length), CKR_OK);
    CHECK(memcmp(digest, empty_sha256, 4) == 0);
}

static void EcdsaVerifiesAKnownSignature(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE pub = test_create_ec_public(session, "Ec Public");
    CK_BYTE signature[64];
    memcpy(signature, kat_ecdsa_signature, 64);
    CHECK_RV(C_VerifyInit(session, &ecdsa, pub), CKR_OK);
    CHECK_RV(C_Verify(session, (CK_BYTE_PTR)kat_sha256_abc, 32, signature, 64), CKR_OK);
    signature[10] ^= 0x01;
    CHECK_RV(C_VerifyInit(session, &ecdsa, pub), CKR_OK);
    CHECK_RV(C_Verify(session, (CK_BYTE_PTR)kat_sha256_abc, 32, signature, 64), CKR_SIGNATURE_INVALID);
    /* The private key's public view verifies it as well. */
    CK_OBJECT_HANDLE priv = test_create_ec_private(session, "Ec Private");
    CHECK_RV(C_VerifyInit(session, &ecdsa, priv + 1), CKR_OK);
    CHECK_RV(C_Verify(session, (CK_BYTE_PTR)kat_sha256_abc, 32, (CK_BYTE_PTR)kat_ecdsa_signature, 64), CKR_OK);
}

static void RsaVerifiesAndSignsKnownAnswers(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE pub = test_create_rsa_public(session, "Rsa Public");
    CK_OBJECT_HANDLE priv = test_create_rsa_private(session, "Rsa Private");
    CK_BYTE info[51], signature[256];
    digest_info(info);
    CHECK_RV(C_VerifyInit(session, &rsa_pkcs, pub), CKR_OK);
    CHECK_RV(C_Verify(session, info, sizeof(info), (CK_BYTE_PTR)kat_rsa_signature, 256), CKR_OK);
    memcpy(signature, kat_rsa_signature, 256);
    signature[200] ^= 0x80;
    CHECK_RV(C_VerifyInit(session, &rsa_pkcs, pub), CKR_OK);
    CHECK_RV(C_Verify(session, info, sizeof(info), signature, 256), CKR_SIGNATURE_INVALID);
    /* PKCS#1 v1.5 is deterministic: the imported key signs exactly what openssl signed. */
    CK_ULONG length = sizeof(signature);
    CHECK_RV(C_SignInit(session, &rsa_pkcs, priv), CKR_OK);
    CHECK_RV(C_Sign(session, info, sizeof(info), signature, &length), CKR_OK);
    CHECK(length == 256 && memcmp(signature, kat_rsa_signature, 256) == 0);
}

static void SignThenVerifyRoundTrips(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE ec_priv = test_create_ec_private(session, "Ec Private");
    CK_OBJECT_HANDLE ec_pub = test_create_ec_public(session, "Ec Public");
    CHECK(test_ecdsa_round_trip(session, ec_priv, ec_pub));
    CK_OBJECT_HANDLE gen_pub = 0, gen_priv = 0;
    CHECK_RV(test_generate_ec(session, "Generated", NULL, &gen_pub, &gen_priv), CKR_OK);
    CHECK(test_ecdsa_round_trip(session, gen_priv, gen_pub));
    CHECK(!test_ecdsa_round_trip(session, gen_priv, ec_pub)); /* another key's signature fails */
    CK_OBJECT_HANDLE rsa_priv = test_create_rsa_private(session, "Rsa Private");
    CK_BYTE data[100], signature[256];
    memset(data, 0x33, sizeof(data));
    CK_ULONG length = sizeof(signature);
    CHECK_RV(C_SignInit(session, &rsa_pkcs, rsa_priv), CKR_OK);
    CHECK_RV(C_Sign(session, data, sizeof(data), signature, &length), CKR_OK);
    CHECK_RV(C_VerifyInit(session, &rsa_pkcs, rsa_priv + 1), CKR_OK);
    CHECK_RV(C_Verify(session, data, sizeof(data), signature, length), CKR_OK);
}

static void SignFollowsTheSizeQueryRules(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE priv = test_create_ec_private(session, "Ec Private");
    CK_BYTE hash[32] = {1}, signature[64];
    CK_ULONG length = 0;
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_SignInit(session, &ecdsa, priv), CKR_OK);
    CHECK_RV(C_SignInit(session, &ecdsa, priv), CKR_OPERATION_ACTIVE);
    CHECK_RV(C_Sign(session, hash, 32, NULL, &length), CKR_OK);
    CHECK(length == 64);
    length = 63;
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_BUFFER_TOO_SMALL);
    CHECK(length == 64);
    length = 64;
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_OK);
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_OPERATION_NOT_INITIALIZED);
    /* ECDSA signs a 32-byte hash and nothing else; the error ends the operation. */
    CHECK_RV(C_SignInit(session, &ecdsa, priv), CKR_OK);
    CHECK_RV(C_Sign(session, hash, 31, signature, &length), CKR_DATA_LEN_RANGE);
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_SignInit(session, &ecdsa, priv), CKR_OK);
    CHECK_RV(C_Sign(session, hash, 32, signature, NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_Sign(99, hash, 32, signature, &length), CKR_SESSION_HANDLE_INVALID);
}

static void SignAndVerifyRefuseTheWrongKeys(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE ec_priv = test_create_ec_private(session, "Ec Private");
    CK_OBJECT_HANDLE ec_pub = test_create_ec_public(session, "Ec Public");
    CK_OBJECT_HANDLE rsa_priv = test_create_rsa_private(session, "Rsa Private");
    CK_OBJECT_HANDLE cert = test_create_certificate(session, "Cert");
    CK_MECHANISM sha_as_sign = {CKM_SHA256, NULL, 0};
    CK_BYTE parameter = 0;
    CK_MECHANISM with_parameter = {CKM_ECDSA, &parameter, 1};
    CHECK_RV(C_SignInit(99, &ecdsa, ec_priv), CKR_SESSION_HANDLE_INVALID);
    CHECK_RV(C_SignInit(session, NULL, ec_priv), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_SignInit(session, &sha_as_sign, ec_priv), CKR_MECHANISM_INVALID);
    CHECK_RV(C_SignInit(session, &with_parameter, ec_priv), CKR_MECHANISM_PARAM_INVALID);
    CHECK_RV(C_SignInit(session, &ecdsa, 1000), CKR_KEY_HANDLE_INVALID);
    CHECK_RV(C_SignInit(session, &ecdsa, rsa_priv), CKR_KEY_TYPE_INCONSISTENT);
    CHECK_RV(C_SignInit(session, &rsa_pkcs, ec_priv), CKR_KEY_TYPE_INCONSISTENT);
    CHECK_RV(C_SignInit(session, &ecdsa, ec_pub), CKR_KEY_FUNCTION_NOT_PERMITTED);
    CHECK_RV(C_SignInit(session, &ecdsa, cert), CKR_KEY_TYPE_INCONSISTENT);
    CHECK_RV(C_VerifyInit(session, &ecdsa, ec_priv), CKR_KEY_FUNCTION_NOT_PERMITTED);
    CHECK_RV(C_VerifyInit(session, &rsa_pkcs, ec_pub), CKR_KEY_TYPE_INCONSISTENT);
    CHECK_RV(C_VerifyInit(session, &ecdsa, 1000), CKR_KEY_HANDLE_INVALID);
    CHECK_RV(C_VerifyInit(session, NULL, ec_pub), CKR_ARGUMENTS_BAD);
    /* A private key needs the login, at init and again at C_Sign. */
    CHECK_RV(C_Logout(session), CKR_OK);
    CHECK_RV(C_SignInit(session, &ecdsa, ec_priv), CKR_USER_NOT_LOGGED_IN);
    CHECK_RV(C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OK);
    CHECK_RV(C_SignInit(session, &ecdsa, ec_priv), CKR_OK);
    CHECK_RV(C_Logout(session), CKR_OK);
    CK_BYTE hash[32] = {2}, signature[64];
    CK_ULONG length = sizeof(signature);
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_USER_NOT_LOGGED_IN);
    /* Verifying with a public key needs no login. */
    CHECK_RV(C_VerifyInit(session, &ecdsa, ec_pub), CKR_OK);
    CHECK_RV(C_Verify(session, (CK_BYTE_PTR)kat_sha256_abc, 32, (CK_BYTE_PTR)kat_ecdsa_signature, 64), CKR_OK);
    /* A key destroyed between init and use. */
    CHECK_RV(C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OK);
    CHECK_RV(C_SignInit(session, &ecdsa, ec_priv), CKR_OK);
    CHECK_RV(C_DestroyObject(session, ec_priv), CKR_OK);
    CHECK_RV(C_Sign(session, hash, 32, signature, &length), CKR_KEY_HANDLE_INVALID);
}

static void VerifyChecksLengths(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE ec_pub = test_create_ec_public(session, "Ec Public");
    CK_OBJECT_HANDLE rsa_pub = test_create_rsa_public(session, "Rsa Public");
    CK_BYTE big[300] = {0};
    CHECK_RV(C_Verify(session, big, 32, big, 64), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(C_VerifyInit(session, &ecdsa, ec_pub), CKR_OK);
    CHECK_RV(C_VerifyInit(session, &ecdsa, ec_pub), CKR_OPERATION_ACTIVE);
    CHECK_RV(C_Verify(session, big, 32, big, 63), CKR_SIGNATURE_LEN_RANGE);
    CHECK_RV(C_Verify(session, big, 32, big, 64), CKR_OPERATION_NOT_INITIALIZED); /* ended */
    CHECK_RV(C_VerifyInit(session, &ecdsa, ec_pub), CKR_OK);
    CHECK_RV(C_Verify(session, big, 20, big, 64), CKR_DATA_LEN_RANGE);
    CHECK_RV(C_VerifyInit(session, &ecdsa, ec_pub), CKR_OK);
    CHECK_RV(C_Verify(session, big, 32, NULL, 64), CKR_ARGUMENTS_BAD);
    CHECK_RV(C_VerifyInit(session, &ecdsa, ec_pub), CKR_OK);
    CHECK_RV(C_Verify(session, big, 32, big, 64), CKR_SIGNATURE_INVALID); /* r = s = 0 */
    CHECK_RV(C_VerifyInit(session, &rsa_pkcs, rsa_pub), CKR_OK);
    CHECK_RV(C_Verify(session, big, 51, big, 255), CKR_SIGNATURE_LEN_RANGE);
    CHECK_RV(C_VerifyInit(session, &rsa_pkcs, rsa_pub), CKR_OK);
    CHECK_RV(C_Verify(session, big, 246, big, 256), CKR_DATA_LEN_RANGE);
    CHECK_RV(C_VerifyInit(session, &rsa_pkcs, rsa_pub), CKR_OK);
    CHECK_RV(C_Verify(session, big, 51, big, 256), CKR_SIGNATURE_INVALID);
}

int main(void)
{
    RUN(Pkcs11Crypto, Sha256KnownAnswer);
    RUN(Pkcs11Crypto, EcdsaVerifiesAKnownSignature);
    RUN(Pkcs11Crypto, RsaVerifiesAndSignsKnownAnswers);
    RUN(Pkcs11Crypto, SignThenVerifyRoundTrips);
    RUN(Pkcs11Crypto, SignFollowsTheSizeQueryRules);
    RUN(Pkcs11Crypto, SignAndVerifyRefuseTheWrongKeys);
    RUN(Pkcs11Crypto, VerifyChecksLengths);
    return test_summary();
}
