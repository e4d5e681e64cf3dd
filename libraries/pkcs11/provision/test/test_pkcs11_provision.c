/* Alder PKCS#11 provisioning tests: the library (pkcs11_provision.h) on alder_pkcs11_host, each case in a fresh store:
 * imports that the token then uses, the checks, generation and the CSR, and every error path with its status.
 * It must never accept a status by its class alone: each case names the exact status and what the store then holds. */
#include <string.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/md.h"
#include "mbedtls/pem.h"
#include "mbedtls/pk.h"
#include "mbedtls/rsa.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls/x509_csr.h"
#include "pkcs11.h"
#include "pkcs11_pal.h"
#include "pkcs11_pk.h"
#include "pkcs11_provision.h"
#include "pkcs11_test_util.h"
#include "pkcs11_test_vectors.h"

/* A throwaway P-256 key, encrypted: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
 * -aes-128-cbc -pass pass:alder-test (PKCS#8, PBES2). Test material only. */
static const char encrypted_key_pem[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                                        "MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAh1wG2eqg15ZQICCAAw\n"
                                        "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEEyCIylS0Z4VY6KOY/5PbY8EgZCR\n"
                                        "txWC8Ptdq/2wX0idt/89cb72ooZn5KAQafUykEHfuN4Ul1cZUgZpQZQZsGyuNwRb\n"
                                        "jtzELQBDDCL6WiWqdCvbzvJycWhGf+sQyvi2zoxHmXQKcHg82pO884hfyIpzUu2w\n"
                                        "f8kicJWn7AO+Qni/O1iBXTdkBmddPTnAJ/VqA67g58Nqb0nG7HP1yvAFOcDavR4=\n"
                                        "-----END ENCRYPTED PRIVATE KEY-----\n";

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;

static CK_FUNCTION_LIST_PTR functions(void)
{
    CK_FUNCTION_LIST_PTR list = NULL;
    CHECK_RV(C_GetFunctionList(&list), CKR_OK);
    return list;
}

/* ---- keys and certificates made for the cases ------------------------------------------------- */

/* A key as the input the library takes: PEM with its NUL counted, or DER at the buffer's start. */
struct encoded {
    uint8_t bytes[4096];
    size_t length;
};

static void encode_pem(mbedtls_pk_context *pk, struct encoded *out)
{
    CHECK(mbedtls_pk_write_key_pem(pk, out->bytes, sizeof out->bytes) == 0);
    out->length = strlen((const char *)out->bytes) + 1;
}

static void encode_der(mbedtls_pk_context *pk, struct encoded *out)
{
    int length = mbedtls_pk_write_key_der(pk, out->bytes, sizeof out->bytes);
    CHECK(length > 0);
    out->length = length > 0 ? (size_t)length : 0;
    /* mbedTLS writes DER at the end of the buffer. */
    memmove(out->bytes, out->bytes + sizeof out->bytes - out->length, out->length);
}

/* The known-answer EC key (its certificate is kat_certificate). */
static void kat_ec_key(mbedtls_pk_context *pk)
{
    CHECK(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0);
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
    CHECK(mbedtls_ecp_group_load(&ec->grp, MBEDTLS_ECP_DP_SECP256R1) == 0);
    CHECK(mbedtls_mpi_read_binary(&ec->d, kat_ec_private, sizeof kat_ec_private) == 0);
    CHECK(mbedtls_ecp_point_read_binary(&ec->grp, &ec->Q, kat_ec_point, sizeof kat_ec_point) == 0);
}

static void kat_rsa_key(mbedtls_pk_context *pk)
{
    CHECK(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) == 0);
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
    CHECK(mbedtls_rsa_import_raw(rsa, kat_rsa_modulus, sizeof kat_rsa_modulus, kat_rsa_prime_1, sizeof kat_rsa_prime_1,
                                 kat_rsa_prime_2, sizeof kat_rsa_prime_2, kat_rsa_private_exponent,
                                 sizeof kat_rsa_private_exponent, kat_rsa_public_exponent,
                                 sizeof kat_rsa_public_exponent) == 0);
    CHECK(mbedtls_rsa_complete(rsa) == 0);
}

static void new_ec_key(mbedtls_pk_context *pk, mbedtls_ecp_group_id curve)
{
    CHECK(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0);
    CHECK(mbedtls_ecp_gen_key(curve, mbedtls_pk_ec(*pk), mbedtls_ctr_drbg_random, &drbg) == 0);
}

/* ---- what the store holds --------------------------------------------------------------------- */

struct listing {
    int count;
    char text[1024];
};

static void collect(void *user, const pkcs11_provision_object_t *object)
{
    struct listing *listing = user;
    size_t used = strlen(listing->text);
    snprintf(listing->text + used, sizeof listing->text - used, "%s/%lu/%lu;", object->label,
             (unsigned long)object->object_class, (unsigned long)object->type);
    listing->count++;
}

static struct listing list_store(pkcs11_provision_t *provision)
{
    struct listing listing;
    memset(&listing, 0, sizeof listing);
    CHECK(pkcs11_provision_list(provision, collect, &listing) == PKCS11_PROVISION_OK);
    return listing;
}

static bool listed(const struct listing *listing, const char *label, CK_OBJECT_CLASS object_class, CK_ULONG type)
{
    char entry[200];
    snprintf(entry, sizeof entry, "%s/%lu/%lu;", label, (unsigned long)object_class, (unsigned long)type);
    return strstr(listing->text, entry) != NULL;
}

static pkcs11_provision_t open_store(void)
{
    pkcs11_provision_t provision;
    CHECK(pkcs11_provision_open(&provision, functions(), "0000") == PKCS11_PROVISION_OK);
    return provision;
}

/* ---- cases -------------------------------------------------------------------------------------- */

static void StatusesHaveDistinctNames(void)
{
    for (int a = PKCS11_PROVISION_OK; a <= PKCS11_PROVISION_CRYPTO_ERROR; a++) {
        const char *name = pkcs11_provision_status_name((pkcs11_provision_status_t)a);
        CHECK(strncmp(name, "PKCS11_PROVISION_", 17) == 0 && strcmp(name, "PKCS11_PROVISION_(unknown)") != 0);
        CHECK(strlen(pkcs11_provision_status_text((pkcs11_provision_status_t)a)) > 3);
        for (int b = PKCS11_PROVISION_OK; b < a; b++) {
            CHECK(strcmp(name, pkcs11_provision_status_name((pkcs11_provision_status_t)b)) != 0);
        }
    }
    CHECK(strcmp(pkcs11_provision_status_name(PKCS11_PROVISION_KEY_MISMATCH), "PKCS11_PROVISION_KEY_MISMATCH") == 0);
    CHECK(strcmp(pkcs11_provision_status_name((pkcs11_provision_status_t)99), "PKCS11_PROVISION_(unknown)") == 0);
    CHECK(strcmp(pkcs11_provision_status_text((pkcs11_provision_status_t)-1), "unknown status") == 0);
}

static void OpenAndCloseLeaveTheModuleAsTheyFoundIt(void)
{
    pkcs11_provision_t provision;
    CHECK(pkcs11_provision_open(NULL, functions(), "0000") == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_open(&provision, NULL, "0000") == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_open(&provision, functions(), NULL) == PKCS11_PROVISION_BAD_ARGUMENT);
    /* Not initialized before: open initializes, close finalizes. */
    provision = open_store();
    CHECK(strcmp(provision.key_label, PKCS11_LABEL_DEVICE_PRIVATE_KEY) == 0);
    CHECK(strcmp(provision.public_key_label, PKCS11_LABEL_DEVICE_PUBLIC_KEY) == 0);
    pkcs11_provision_close(&provision);
    pkcs11_provision_close(&provision); /* twice is harmless */
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    /* Initialized before: close leaves it initialized, with the other session still open. */
    CK_SESSION_HANDLE other = CK_INVALID_HANDLE;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &other), CKR_OK);
    provision = open_store();
    pkcs11_provision_close(&provision);
    CHECK_RV(C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    CK_SESSION_INFO info;
    CHECK_RV(C_GetSessionInfo(other, &info), CKR_OK);
    CHECK(info.state == CKS_RO_PUBLIC_SESSION); /* open's login was undone */
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    /* A wrong PIN: its own status, the CK_RV kept, and nothing left open. */
    CHECK(pkcs11_provision_open(&provision, functions(), "9999") == PKCS11_PROVISION_PIN_INCORRECT);
    CHECK(provision.last_rv == CKR_PIN_INCORRECT);
    CHECK(provision.session == CK_INVALID_HANDLE);
    CHECK_RV(C_Initialize(NULL), CKR_OK);
}

static void EcKeyAndCertificateAreStoredAndMatch(void)
{
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    kat_ec_key(&key);
    struct encoded pem;
    encode_pem(&key, &pem);
    CHECK(pkcs11_provision_match(pem.bytes, pem.length, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_OK);
    pkcs11_provision_t provision = open_store();
    CHECK(pkcs11_provision_import_key(&provision, pem.bytes, pem.length) == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_check_certificate(&provision, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate, NULL) ==
          PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_check_stored(&provision, NULL) == PKCS11_PROVISION_OK);
    struct listing listing = list_store(&provision);
    CHECK(listing.count == 4);
    CHECK(listed(&listing, "Device Priv TLS Key", CKO_PRIVATE_KEY, CKK_EC));
    CHECK(listed(&listing, "Device Priv TLS Key", CKO_PUBLIC_KEY, CKK_EC)); /* the module's view */
    CHECK(listed(&listing, "Device Pub TLS Key", CKO_PUBLIC_KEY, CKK_EC));
    CHECK(listed(&listing, "Device Cert", CKO_CERTIFICATE, CKC_X_509));
    /* The token signs with the imported key: the signature verifies under the certificate's key. */
    CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE, public_key = CK_INVALID_HANDLE;
    CHECK(test_find(provision.session, CKO_PRIVATE_KEY, "Device Priv TLS Key", &private_key, 1) == 1);
    CHECK(test_find(provision.session, CKO_PUBLIC_KEY, "Device Pub TLS Key", &public_key, 1) == 1);
    CHECK(test_ecdsa_round_trip(provision.session, private_key, public_key));
    /* The private value is not readable. */
    uint8_t value[64];
    CK_ATTRIBUTE secret = {CKA_VALUE, value, sizeof value};
    CHECK_RV(C_GetAttributeValue(provision.session, private_key, &secret, 1), CKR_ATTRIBUTE_SENSITIVE);
    pkcs11_provision_close(&provision);
    mbedtls_pk_free(&key);
}

static void RsaKeyIsStoredWithEveryPart(void)
{
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    kat_rsa_key(&key);
    struct encoded der;
    encode_der(&key, &der);
    pkcs11_provision_t provision = open_store();
    CHECK(pkcs11_provision_import_key(&provision, der.bytes, der.length) == PKCS11_PROVISION_OK);
    struct listing listing = list_store(&provision);
    CHECK(listing.count == 3);
    CHECK(listed(&listing, "Device Priv TLS Key", CKO_PRIVATE_KEY, CKK_RSA));
    CHECK(listed(&listing, "Device Pub TLS Key", CKO_PUBLIC_KEY, CKK_RSA));
    /* PKCS#1 v1.5 is deterministic: the token's signature is openssl's, byte for byte. */
    CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
    CHECK(test_find(provision.session, CKO_PRIVATE_KEY, "Device Priv TLS Key", &private_key, 1) == 1);
    uint8_t digest_info[19 + 32], signature[256];
    memcpy(digest_info, kat_sha256_digest_info_prefix, 19);
    memcpy(digest_info + 19, kat_sha256_abc, 32);
    CK_MECHANISM mechanism = {CKM_RSA_PKCS, NULL, 0};
    CK_ULONG length = sizeof signature;
    CHECK_RV(C_SignInit(provision.session, &mechanism, private_key), CKR_OK);
    CHECK_RV(C_Sign(provision.session, digest_info, sizeof digest_info, signature, &length), CKR_OK);
    CHECK(length == 256 && memcmp(signature, kat_rsa_signature, 256) == 0);
    /* The separate public key is the key's own. */
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
    CHECK(test_find(provision.session, CKO_PUBLIC_KEY, "Device Pub TLS Key", &public_key, 1) == 1);
    mbedtls_pk_context stored;
    mbedtls_pk_init(&stored);
    CHECK(pkcs11_pk_load_public(&stored, functions(), provision.session, public_key) == 0);
    CHECK(pkcs11_pk_same_public(&stored, &key));
    mbedtls_pk_free(&stored);
    pkcs11_provision_close(&provision);
    mbedtls_pk_free(&key);
}

static void BadKeysGetTheirOwnStatus(void)
{
    pkcs11_provision_t provision = open_store();
    mbedtls_pk_context key;
    struct encoded pem, der;
    mbedtls_pk_init(&key);
    kat_ec_key(&key);
    encode_pem(&key, &pem);
    encode_der(&key, &der);
    mbedtls_pk_free(&key);
    CHECK(pkcs11_provision_import_key(&provision, NULL, 10) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_import_key(&provision, der.bytes, 0) == PKCS11_PROVISION_BAD_ARGUMENT);
    /* PEM whose NUL is not counted. */
    CHECK(pkcs11_provision_import_key(&provision, pem.bytes, pem.length - 1) == PKCS11_PROVISION_BAD_ARGUMENT);
    /* Truncated DER, damaged base64, a certificate where a key belongs. */
    CHECK(pkcs11_provision_import_key(&provision, der.bytes, der.length - 10) == PKCS11_PROVISION_BAD_ENCODING);
    CHECK(provision.last_mbedtls_error != 0);
    pem.bytes[40] = '*';
    CHECK(pkcs11_provision_import_key(&provision, pem.bytes, pem.length) == PKCS11_PROVISION_BAD_ENCODING);
    CHECK(pkcs11_provision_import_key(&provision, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_BAD_ENCODING);
    CHECK(pkcs11_provision_import_key(&provision, (const uint8_t *)encrypted_key_pem, sizeof encrypted_key_pem) ==
          PKCS11_PROVISION_KEY_ENCRYPTED);
    /* Keys that parse but that the module cannot use: P-384 and RSA-1024. */
    mbedtls_pk_init(&key);
    new_ec_key(&key, MBEDTLS_ECP_DP_SECP384R1);
    encode_der(&key, &der);
    mbedtls_pk_free(&key);
    CHECK(pkcs11_provision_import_key(&provision, der.bytes, der.length) == PKCS11_PROVISION_UNSUPPORTED_KEY);
    mbedtls_pk_init(&key);
    CHECK(mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) == 0);
    CHECK(mbedtls_rsa_gen_key(mbedtls_pk_rsa(key), mbedtls_ctr_drbg_random, &drbg, 1024, 65537) == 0);
    encode_pem(&key, &pem);
    mbedtls_pk_free(&key);
    CHECK(pkcs11_provision_import_key(&provision, pem.bytes, pem.length) == PKCS11_PROVISION_UNSUPPORTED_KEY);
    /* None of it reached the store. */
    CHECK(list_store(&provision).count == 0);
    pkcs11_provision_close(&provision);
}

static void BadCertificatesGetTheirOwnStatus(void)
{
    pkcs11_provision_t provision = open_store();
    /* Two certificates in one PEM. */
    uint8_t pem[2048];
    size_t one = 0;
    CHECK(mbedtls_pem_write_buffer("-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n", kat_certificate,
                                   sizeof kat_certificate, pem, sizeof pem / 2, &one) == 0);
    CHECK(pkcs11_provision_import_certificate(&provision, pem, one, "Root Cert") == PKCS11_PROVISION_OK);
    memmove(pem + one - 1, pem, one); /* the second copy starts on the first one's NUL */
    CHECK(pkcs11_provision_import_certificate(&provision, pem, 2 * one - 1, NULL) ==
          PKCS11_PROVISION_SEVERAL_CERTIFICATES);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate - 1, NULL) ==
          PKCS11_PROVISION_BAD_ENCODING);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_ec_point, sizeof kat_ec_point, NULL) ==
          PKCS11_PROVISION_BAD_ENCODING);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate, "") ==
          PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_check_certificate(&provision, kat_certificate, 20) == PKCS11_PROVISION_BAD_ENCODING);
    struct listing listing = list_store(&provision);
    CHECK(listing.count == 1 && listed(&listing, "Root Cert", CKO_CERTIFICATE, CKC_X_509));
    pkcs11_provision_close(&provision);
}

static void MismatchedPairsAreFound(void)
{
    mbedtls_pk_context other;
    mbedtls_pk_init(&other);
    new_ec_key(&other, MBEDTLS_ECP_DP_SECP256R1);
    struct encoded pem;
    encode_pem(&other, &pem);
    CHECK(pkcs11_provision_match(pem.bytes, pem.length, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_KEY_MISMATCH);
    pkcs11_provision_t provision = open_store();
    /* Nothing stored yet: no key to check against, no certificate to check. */
    CHECK(pkcs11_provision_check_certificate(&provision, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_NOT_FOUND);
    CHECK(pkcs11_provision_check_stored(&provision, NULL) == PKCS11_PROVISION_NOT_FOUND);
    CHECK(pkcs11_provision_import_key(&provision, pem.bytes, pem.length) == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_check_certificate(&provision, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_KEY_MISMATCH);
    /* Stored anyway (import does not check), the stored pair is reported as mismatched. */
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate, NULL) ==
          PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_check_stored(&provision, NULL) == PKCS11_PROVISION_KEY_MISMATCH);
    /* An RSA key against an EC certificate. */
    mbedtls_pk_context rsa;
    mbedtls_pk_init(&rsa);
    kat_rsa_key(&rsa);
    struct encoded der;
    encode_der(&rsa, &der);
    CHECK(pkcs11_provision_match(der.bytes, der.length, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_KEY_MISMATCH);
    pkcs11_provision_close(&provision);
    mbedtls_pk_free(&rsa);
    mbedtls_pk_free(&other);
}

/* The CSR parses, names the subject, carries the stored public key, and its signature verifies under that key. */
static void check_csr(pkcs11_provision_t *provision, const char *csr, size_t length)
{
    mbedtls_x509_csr request;
    mbedtls_x509_csr_init(&request);
    CHECK(length == strlen(csr) && strncmp(csr, "-----BEGIN CERTIFICATE REQUEST-----", 35) == 0);
    CHECK(mbedtls_x509_csr_parse(&request, (const unsigned char *)csr, length + 1) == 0);
    char subject[128];
    CHECK(mbedtls_x509_dn_gets(subject, sizeof subject, &request.subject) > 0);
    CHECK(strcmp(subject, "CN=thing-1, O=Acme") == 0);
    uint8_t hash[32];
    CHECK(request.sig_md == MBEDTLS_MD_SHA256);
    CHECK(mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), request.cri.p, request.cri.len, hash) == 0);
    CHECK(mbedtls_pk_verify(&request.pk, MBEDTLS_MD_SHA256, hash, 32, request.sig.p, request.sig.len) == 0);
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
    CHECK(test_find(provision->session, CKO_PUBLIC_KEY, "Device Pub TLS Key", &public_key, 1) == 1);
    mbedtls_pk_context stored;
    mbedtls_pk_init(&stored);
    CHECK(pkcs11_pk_load_public(&stored, functions(), provision->session, public_key) == 0);
    CHECK(pkcs11_pk_same_public(&stored, &request.pk));
    mbedtls_pk_free(&stored);
    mbedtls_x509_csr_free(&request);
}

static void GeneratedKeySignsItsCsr(void)
{
    pkcs11_provision_t provision = open_store();
    char csr[2048];
    size_t length = 99;
    CHECK(pkcs11_provision_write_csr(&provision, "CN=thing-1,O=Acme", csr, sizeof csr, &length) ==
          PKCS11_PROVISION_NOT_FOUND);
    CHECK(length == 0 && csr[0] == '\0');
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_write_csr(&provision, "CN=thing-1,O=Acme", csr, sizeof csr, &length) == PKCS11_PROVISION_OK);
    check_csr(&provision, csr, length);
    struct listing listing = list_store(&provision);
    CHECK(listing.count == 3);
    CHECK(listed(&listing, "Device Priv TLS Key", CKO_PRIVATE_KEY, CKK_EC));
    CHECK(listed(&listing, "Device Pub TLS Key", CKO_PUBLIC_KEY, CKK_EC));
    /* Generating again replaces both halves: still one of each, and the old certificate no longer matches. */
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate, NULL) ==
          PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_OK);
    listing = list_store(&provision);
    CHECK(listing.count == 4);
    CHECK(pkcs11_provision_check_stored(&provision, NULL) == PKCS11_PROVISION_KEY_MISMATCH);
    pkcs11_provision_close(&provision);
}

static void CsrErrorsAreReported(void)
{
    pkcs11_provision_t provision = open_store();
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_OK);
    char csr[2048];
    size_t length = 0;
    CHECK(pkcs11_provision_write_csr(&provision, "", csr, sizeof csr, &length) == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_write_csr(&provision, "XX=thing-1", csr, sizeof csr, &length) ==
          PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_write_csr(&provision, "CN", csr, sizeof csr, &length) == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_write_csr(&provision, NULL, csr, sizeof csr, &length) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_check_subject("CN=thing-1,O=Acme,C=DE") == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_check_subject("XX=thing-1") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject("CN") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject("CN=a,O") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject("CN=a,,O=b") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject("CN=a\\,b,O=c") == PKCS11_PROVISION_OK);
    /* Empty values and types; "C=1,C=" crashed mbedTLS 2.28 (found by fuzz_pkcs11_provision). */
    CHECK(pkcs11_provision_check_subject("C=1,C=") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject("CN=") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject("=x") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject("") == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_check_subject(NULL) == PKCS11_PROVISION_BAD_SUBJECT);
    CHECK(pkcs11_provision_write_csr(&provision, "CN=a", NULL, sizeof csr, &length) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_write_csr(&provision, "CN=a", csr, sizeof csr, NULL) == PKCS11_PROVISION_BAD_ARGUMENT);
    /* Too small for the DER, then big enough for the DER but not for its PEM. */
    CHECK(pkcs11_provision_write_csr(&provision, "CN=a", csr, 100, &length) == PKCS11_PROVISION_BUFFER_TOO_SMALL);
    CHECK(length == 0 && csr[0] == '\0');
    CHECK(pkcs11_provision_write_csr(&provision, "CN=a", csr, 300, &length) == PKCS11_PROVISION_BUFFER_TOO_SMALL);
    CHECK(pkcs11_provision_write_csr(&provision, "CN=a", csr, sizeof csr, &length) == PKCS11_PROVISION_OK);
    /* A key the token may not sign with (CKA_SIGN false) under the label: the token refuses, and it is said so. */
    CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
    CK_KEY_TYPE ec = CKK_EC;
    CK_BBOOL no = CK_FALSE;
    static const uint8_t p256[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &private_class, sizeof private_class},
                        {CKA_KEY_TYPE, &ec, sizeof ec},
                        {CKA_LABEL, (CK_VOID_PTR) "Device Priv TLS Key", 19},
                        {CKA_SIGN, &no, sizeof no},
                        {CKA_EC_PARAMS, (CK_VOID_PTR)p256, sizeof p256},
                        {CKA_VALUE, (CK_VOID_PTR)kat_ec_private, sizeof kat_ec_private}};
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    CHECK_RV(C_CreateObject(provision.session, t, 6, &object), CKR_OK);
    CHECK(pkcs11_provision_write_csr(&provision, "CN=a", csr, sizeof csr, &length) == PKCS11_PROVISION_SIGN_FAILED);
    pkcs11_provision_close(&provision);
}

static void LabelsCanBeChosen(void)
{
    pkcs11_provision_t provision = open_store();
    provision.key_label = "Other Key";
    provision.public_key_label = NULL; /* the module's public view is enough */
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_OK);
    char csr[2048];
    size_t length = 0;
    CHECK(pkcs11_provision_write_csr(&provision, "CN=other", csr, sizeof csr, &length) == PKCS11_PROVISION_OK);
    struct listing listing = list_store(&provision);
    CHECK(listing.count == 2);
    CHECK(listed(&listing, "Other Key", CKO_PRIVATE_KEY, CKK_EC) &&
          listed(&listing, "Other Key", CKO_PUBLIC_KEY, CKK_EC));
    provision.key_label = "";
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_BAD_ARGUMENT);
    pkcs11_provision_close(&provision);
}

static void TokenRefusalsKeepTheirCode(void)
{
    /* A session that is not logged in, then a read-only one: the module's own code comes back. */
    CHECK_RV(C_Initialize(NULL), CKR_OK);
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session), CKR_OK);
    pkcs11_provision_t provision;
    CHECK(pkcs11_provision_attach(&provision, functions(), CK_INVALID_HANDLE) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_attach(&provision, functions(), session) == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate, NULL) ==
          PKCS11_PROVISION_TOKEN_ERROR);
    CHECK(provision.last_rv == CKR_USER_NOT_LOGGED_IN);
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_TOKEN_ERROR);
    CHECK(provision.last_rv == CKR_USER_NOT_LOGGED_IN);
    pkcs11_provision_close(&provision); /* attached: the session stays the caller's */
    CK_SESSION_INFO info;
    CHECK_RV(C_GetSessionInfo(session, &info), CKR_OK);
    CK_SESSION_HANDLE read_only = CK_INVALID_HANDLE;
    CHECK_RV(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &read_only), CKR_OK);
    CHECK_RV(C_Login(read_only, CKU_USER, (CK_UTF8CHAR_PTR) "0000", 4), CKR_OK);
    CHECK(pkcs11_provision_attach(&provision, functions(), read_only) == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate, NULL) ==
          PKCS11_PROVISION_TOKEN_ERROR);
    CHECK(provision.last_rv == CKR_SESSION_READ_ONLY);
    /* A label of another class: the module will not let a certificate replace a key. */
    CHECK(pkcs11_provision_attach(&provision, functions(), session) == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_OK);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate,
                                              "Device Priv TLS Key") == PKCS11_PROVISION_TOKEN_ERROR);
    CHECK(provision.last_rv == CKR_ATTRIBUTE_VALUE_INVALID);
    CHECK(provision.last_mbedtls_error == 0);
}

static void ClosedContextIsRefused(void)
{
    pkcs11_provision_t provision;
    memset(&provision, 0, sizeof provision);
    char csr[64];
    size_t length = 0;
    CHECK(pkcs11_provision_import_key(&provision, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_import_certificate(&provision, kat_certificate, sizeof kat_certificate, NULL) ==
          PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_check_certificate(&provision, kat_certificate, sizeof kat_certificate) ==
          PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_check_stored(&provision, NULL) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_generate_key(&provision) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_write_csr(&provision, "CN=a", csr, sizeof csr, &length) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_list(&provision, collect, NULL) == PKCS11_PROVISION_BAD_ARGUMENT);
    CHECK(pkcs11_provision_import_key(NULL, kat_certificate, 1) == PKCS11_PROVISION_BAD_ARGUMENT);
    pkcs11_provision_close(NULL);
    pkcs11_provision_close(&provision);
    CHECK(pkcs11_provision_match(NULL, 0, kat_certificate, sizeof kat_certificate) == PKCS11_PROVISION_BAD_ARGUMENT);
}

int main(void)
{
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)"provision", 9) != 0) {
        printf("cannot seed the test's DRBG\nFAIL\n");
        return 1;
    }
    RUN(Pkcs11Provision, StatusesHaveDistinctNames);
    RUN(Pkcs11Provision, OpenAndCloseLeaveTheModuleAsTheyFoundIt);
    RUN(Pkcs11Provision, EcKeyAndCertificateAreStoredAndMatch);
    RUN(Pkcs11Provision, RsaKeyIsStoredWithEveryPart);
    RUN(Pkcs11Provision, BadKeysGetTheirOwnStatus);
    RUN(Pkcs11Provision, BadCertificatesGetTheirOwnStatus);
    RUN(Pkcs11Provision, MismatchedPairsAreFound);
    RUN(Pkcs11Provision, GeneratedKeySignsItsCsr);
    RUN(Pkcs11Provision, CsrErrorsAreReported);
    RUN(Pkcs11Provision, LabelsCanBeChosen);
    RUN(Pkcs11Provision, TokenRefusalsKeepTheirCode);
    RUN(Pkcs11Provision, ClosedContextIsRefused);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
    return test_summary();
}
