/* Alder PKCS#11 host tests: mbedTLS keys over the token (pkcs11_pk.h): signatures that mbedTLS's own verify accepts,
 * the RSA known answer, public halves compared, public keys read back, and the failures.
 * It must never give mbedTLS a private key: every signature here comes from C_Sign. */
#include <string.h>

#include "mbedtls/ecp.h"
#include "mbedtls/md.h"
#include "mbedtls/x509_crt.h"
#include "pkcs11.h"
#include "pkcs11_pk.h"
#include "pkcs11_test_util.h"
#include "pkcs11_test_vectors.h"

static CK_FUNCTION_LIST_PTR functions(void)
{
    CK_FUNCTION_LIST_PTR list = NULL;
    CHECK_RV(C_GetFunctionList(&list), CKR_OK);
    return list;
}

static void hash_of(mbedtls_md_type_t type, const char *text, uint8_t *out)
{
    CHECK(mbedtls_md(mbedtls_md_info_from_type(type), (const unsigned char *)text, strlen(text), out) == 0);
}

/* Signs `text` hashed with `type` through the token key and verifies it with mbedTLS's own verify on `checker`. */
static void sign_and_verify(mbedtls_pk_context *token_key, mbedtls_pk_context *checker, mbedtls_md_type_t type)
{
    uint8_t hash[MBEDTLS_MD_MAX_SIZE];
    uint8_t signature[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t length = 0;
    size_t hash_length = mbedtls_md_get_size(mbedtls_md_info_from_type(type));
    hash_of(type, "Alder signs through the token", hash);
    CHECK(mbedtls_pk_sign(token_key, type, hash, hash_length, signature, &length, NULL, NULL) == 0);
    CHECK(length > 0 && length <= sizeof(signature));
    CHECK(mbedtls_pk_verify(checker, type, hash, hash_length, signature, length) == 0);
    /* The token key's own verify (the public half it copied) agrees, and refuses a damaged signature. */
    CHECK(mbedtls_pk_verify(token_key, type, hash, hash_length, signature, length) == 0);
    signature[length / 2] ^= 0x40;
    CHECK(mbedtls_pk_verify(checker, type, hash, hash_length, signature, length) != 0);
}

static void EcKeySignsForTheCertificate(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE private_key = test_create_ec_private(session, "Device Priv TLS Key");
    mbedtls_x509_crt certificate;
    mbedtls_x509_crt_init(&certificate);
    CHECK(mbedtls_x509_crt_parse_der(&certificate, kat_certificate, sizeof(kat_certificate)) == 0);
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    CHECK(pkcs11_pk_setup(&key, functions(), session, private_key, &certificate.pk) == 0);
    CHECK(mbedtls_pk_get_type(&key) == MBEDTLS_PK_ECKEY);
    CHECK(mbedtls_pk_can_do(&key, MBEDTLS_PK_ECDSA) && !mbedtls_pk_can_do(&key, MBEDTLS_PK_ECKEY_DH));
    CHECK(mbedtls_pk_get_bitlen(&key) == 256);
    /* SHA-256 is the token's size; SHA-384 is cut and SHA-1 widened, both as ECDSA defines. */
    sign_and_verify(&key, &certificate.pk, MBEDTLS_MD_SHA256);
    sign_and_verify(&key, &certificate.pk, MBEDTLS_MD_SHA384);
    sign_and_verify(&key, &certificate.pk, MBEDTLS_MD_SHA1);
    CHECK(pkcs11_pk_same_public(&certificate.pk, &key) && pkcs11_pk_same_public(&key, &certificate.pk));
    mbedtls_pk_free(&key);
    mbedtls_x509_crt_free(&certificate);
}

static void RsaKeyGivesTheKnownSignature(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE private_key = test_create_rsa_private(session, "Device Priv TLS Key");
    mbedtls_pk_context public_key, key;
    mbedtls_pk_init(&public_key);
    mbedtls_pk_init(&key);
    /* The private key's public view (handle + 1, README "Object model") is read back as an mbedTLS key. */
    CHECK(pkcs11_pk_load_public(&public_key, functions(), session, private_key + 1) == 0);
    CHECK(mbedtls_pk_get_type(&public_key) == MBEDTLS_PK_RSA && mbedtls_pk_get_bitlen(&public_key) == 2048);
    CHECK(pkcs11_pk_setup(&key, functions(), session, private_key, &public_key) == 0);
    CHECK(mbedtls_pk_get_type(&key) == MBEDTLS_PK_RSA && mbedtls_pk_get_bitlen(&key) == 2048);
    uint8_t signature[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t length = 0;
    CHECK(mbedtls_pk_sign(&key, MBEDTLS_MD_SHA256, kat_sha256_abc, 32, signature, &length, NULL, NULL) == 0);
    CHECK(length == 256 && memcmp(signature, kat_rsa_signature, 256) == 0);
    sign_and_verify(&key, &public_key, MBEDTLS_MD_SHA384);
    sign_and_verify(&key, &public_key, MBEDTLS_MD_SHA1);
    CHECK(pkcs11_pk_same_public(&public_key, &key));
    /* A hash whose length is not its algorithm's is refused before the token is asked. */
    CHECK(mbedtls_pk_sign(&key, MBEDTLS_MD_SHA256, kat_sha256_abc, 31, signature, &length, NULL, NULL) ==
          MBEDTLS_ERR_PK_BAD_INPUT_DATA);
    mbedtls_pk_free(&key);
    mbedtls_pk_free(&public_key);
}

static void PairCheckTellsKeysApart(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE stored_public = test_create_ec_public(session, "Device Pub TLS Key");
    CK_OBJECT_HANDLE other_public = 0, other_private = 0;
    CHECK_RV(test_generate_ec(session, "Other Key", "Other Pub", &other_public, &other_private), CKR_OK);
    mbedtls_pk_context known, other, key;
    mbedtls_pk_init(&known);
    mbedtls_pk_init(&other);
    mbedtls_pk_init(&key);
    CHECK(pkcs11_pk_load_public(&known, functions(), session, stored_public) == 0);
    CHECK(pkcs11_pk_load_public(&other, functions(), session, other_public) == 0);
    CHECK(pkcs11_pk_setup(&key, functions(), session, other_private, &other) == 0);
    CHECK(pkcs11_pk_same_public(&other, &key));
    CHECK(!pkcs11_pk_same_public(&known, &key) && !pkcs11_pk_same_public(&key, &known));
    CHECK(!pkcs11_pk_same_public(&key, NULL) && !pkcs11_pk_same_public(NULL, &key));
    sign_and_verify(&key, &other, MBEDTLS_MD_SHA256);
    mbedtls_pk_free(&key);
    mbedtls_pk_free(&other);
    mbedtls_pk_free(&known);
}

static void SignFailsWhenTheTokenRefuses(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE private_key = test_create_ec_private(session, "Device Priv TLS Key");
    mbedtls_pk_context public_key, key;
    mbedtls_pk_init(&public_key);
    mbedtls_pk_init(&key);
    CHECK(pkcs11_pk_load_public(&public_key, functions(), session, private_key + 1) == 0);
    CHECK(pkcs11_pk_setup(&key, functions(), session, private_key, &public_key) == 0);
    CHECK_RV(C_Logout(session), CKR_OK);
    uint8_t signature[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t length = 0;
    CHECK(mbedtls_pk_sign(&key, MBEDTLS_MD_SHA256, kat_sha256_abc, 32, signature, &length, NULL, NULL) ==
          MBEDTLS_ERR_PK_HW_ACCEL_FAILED);
    mbedtls_pk_free(&key);
    mbedtls_pk_free(&public_key);
}

static void BadArgumentsAndOtherKeysAreRefused(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE certificate = test_create_certificate(session, "Device Cert");
    mbedtls_pk_context pk, key;
    mbedtls_pk_init(&pk);
    mbedtls_pk_init(&key);
    CHECK(pkcs11_pk_load_public(NULL, functions(), session, certificate) == MBEDTLS_ERR_PK_BAD_INPUT_DATA);
    CHECK(pkcs11_pk_load_public(&pk, NULL, session, certificate) == MBEDTLS_ERR_PK_BAD_INPUT_DATA);
    /* A certificate has no CKA_KEY_TYPE: the token says so, and nothing is set up. */
    CHECK(pkcs11_pk_load_public(&pk, functions(), session, certificate) == MBEDTLS_ERR_PK_FILE_IO_ERROR);
    CHECK(mbedtls_pk_get_type(&pk) == MBEDTLS_PK_NONE);
    CHECK(pkcs11_pk_setup(&key, functions(), session, 1, NULL) == MBEDTLS_ERR_PK_BAD_INPUT_DATA);
    CHECK(pkcs11_pk_setup(&key, functions(), session, 1, &pk) == MBEDTLS_ERR_PK_BAD_INPUT_DATA); /* not set up */
    /* A P-384 public key: the token signs P-256 only. */
    CHECK(mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0);
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(pk);
    CHECK(mbedtls_ecp_group_load(&ec->grp, MBEDTLS_ECP_DP_SECP384R1) == 0);
    CHECK(mbedtls_ecp_copy(&ec->Q, &ec->grp.G) == 0);
    CHECK(pkcs11_pk_setup(&key, functions(), session, 1, &pk) == MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE);
    CHECK(mbedtls_pk_get_type(&key) == MBEDTLS_PK_NONE);
    mbedtls_pk_free(&pk);
}

int main(void)
{
    RUN(Pkcs11Pk, EcKeySignsForTheCertificate);
    RUN(Pkcs11Pk, RsaKeyGivesTheKnownSignature);
    RUN(Pkcs11Pk, PairCheckTellsKeysApart);
    RUN(Pkcs11Pk, SignFailsWhenTheTokenRefuses);
    RUN(Pkcs11Pk, BadArgumentsAndOtherKeysAreRefused);
    return test_summary();
}
