/* Alder qualification groups PKCS11 and CRYPTO: the shared helpers (pkcs11_group_util.h): an emptied store per case,
 * objects from the known-answer vectors (templates shared with the host tests: ../pkcs11_test_templates.h), searches
 * and named return codes.
 * It must never print or compare a private key's bytes outside C_CreateObject's template: only the module holds them. */
#include "pkcs11_group_util.h"

#include <string.h>

#include "alder_test.h"
#include "pkcs11_test_templates.h"
#include "pkcs11_test_vectors.h"

/* Search batch while emptying the store: any size works, the loop runs until a search finds nothing to destroy. */
#define EMPTY_BATCH 8u

struct rv_name {
    CK_RV rv;
    const char *name;
};

#define RV(code)                                                                                                       \
    {                                                                                                                  \
        code, #code                                                                                                    \
    }
static const struct rv_name rv_names[] = {
    RV(CKR_OK),
    RV(CKR_HOST_MEMORY),
    RV(CKR_SLOT_ID_INVALID),
    RV(CKR_GENERAL_ERROR),
    RV(CKR_FUNCTION_FAILED),
    RV(CKR_ARGUMENTS_BAD),
    RV(CKR_CANT_LOCK),
    RV(CKR_ATTRIBUTE_READ_ONLY),
    RV(CKR_ATTRIBUTE_SENSITIVE),
    RV(CKR_ATTRIBUTE_TYPE_INVALID),
    RV(CKR_ATTRIBUTE_VALUE_INVALID),
    RV(CKR_ACTION_PROHIBITED),
    RV(CKR_DATA_LEN_RANGE),
    RV(CKR_DEVICE_ERROR),
    RV(CKR_DEVICE_MEMORY),
    RV(CKR_FUNCTION_NOT_PARALLEL),
    RV(CKR_FUNCTION_NOT_SUPPORTED),
    RV(CKR_KEY_HANDLE_INVALID),
    RV(CKR_KEY_TYPE_INCONSISTENT),
    RV(CKR_KEY_FUNCTION_NOT_PERMITTED),
    RV(CKR_MECHANISM_INVALID),
    RV(CKR_MECHANISM_PARAM_INVALID),
    RV(CKR_OBJECT_HANDLE_INVALID),
    RV(CKR_OPERATION_ACTIVE),
    RV(CKR_OPERATION_NOT_INITIALIZED),
    RV(CKR_PIN_INCORRECT),
    RV(CKR_SESSION_COUNT),
    RV(CKR_SESSION_HANDLE_INVALID),
    RV(CKR_SESSION_PARALLEL_NOT_SUPPORTED),
    RV(CKR_SESSION_READ_ONLY),
    RV(CKR_SIGNATURE_INVALID),
    RV(CKR_SIGNATURE_LEN_RANGE),
    RV(CKR_TEMPLATE_INCOMPLETE),
    RV(CKR_TEMPLATE_INCONSISTENT),
    RV(CKR_USER_ALREADY_LOGGED_IN),
    RV(CKR_USER_NOT_LOGGED_IN),
    RV(CKR_USER_TYPE_INVALID),
    RV(CKR_RANDOM_SEED_NOT_SUPPORTED),
    RV(CKR_CURVE_NOT_SUPPORTED),
    RV(CKR_BUFFER_TOO_SMALL),
    RV(CKR_CRYPTOKI_NOT_INITIALIZED),
    RV(CKR_CRYPTOKI_ALREADY_INITIALIZED),
    RV(CKR_MUTEX_BAD),
    RV(CKR_MUTEX_NOT_LOCKED),
};
#undef RV

const char *pkcs11_group_rv_name(CK_RV rv)
{
    for (size_t i = 0; i < PKCS11_GROUP_COUNT(rv_names); i++) {
        if (rv_names[i].rv == rv) {
            return rv_names[i].name;
        }
    }
    return NULL;
}

void pkcs11_group_check_rv(const char *file, int line, const char *call, CK_RV expected, CK_RV actual)
{
    if (actual == expected) {
        return;
    }
    const char *got = pkcs11_group_rv_name(actual);
    const char *wanted = pkcs11_group_rv_name(expected);
    /* The codes first: a long call's text may not fit the report line. */
    alder_test_fail(file, line, "got %s (0x%lx), expected %s (0x%lx): %s", got != NULL ? got : "a code",
                    (unsigned long)actual, wanted != NULL ? wanted : "a code", (unsigned long)expected, call);
}

void pkcs11_group_login(CK_SESSION_HANDLE session)
{
    CK_RV rv = C_Login(session, CKU_USER, PKCS11_GROUP_PIN, PKCS11_GROUP_PIN_LENGTH);
    if (rv != CKR_USER_ALREADY_LOGGED_IN) {
        TEST_ASSERT_RV(CKR_OK, rv);
    }
}

/* One pass: destroy what a search finds. A private key's public view answers CKR_ACTION_PROHIBITED (it goes with
 * its key), or CKR_OBJECT_HANDLE_INVALID once its key went earlier in the same pass. Returns how many went. */
static CK_ULONG destroy_found(CK_SESSION_HANDLE session)
{
    CK_OBJECT_HANDLE found[EMPTY_BATCH];
    CK_ULONG count = pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, EMPTY_BATCH);
    CK_ULONG destroyed = 0;
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV rv = C_DestroyObject(session, found[i]);
        if (rv == CKR_OK) {
            destroyed++;
        } else if (rv != CKR_ACTION_PROHIBITED && rv != CKR_OBJECT_HANDLE_INVALID) {
            TEST_ASSERT_RV(CKR_OK, rv);
        }
    }
    return destroyed;
}

void pkcs11_group_empty_store(CK_SESSION_HANDLE session)
{
    /* Each pass destroys at least one stored object or ends the loop; the store holds at most MAX_OBJECTS. */
    for (int pass = 0; pass <= PKCS11_CONFIG_MAX_OBJECTS; pass++) {
        if (destroy_found(session) == 0) {
            break;
        }
    }
    CK_OBJECT_HANDLE left[1];
    CK_ULONG remaining = pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, left, 1);
    if (remaining != 0) {
        TEST_FAIL("the store still holds objects that C_DestroyObject did not remove");
    }
}

static CK_SESSION_HANDLE open_logged_in_session(void)
{
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session));
    pkcs11_group_login(session);
    return session;
}

void pkcs11_group_finalize_leftover(void)
{
    /* Finalizing frees the failed case's lock, which is no leak of this case. */
    if (C_Finalize(NULL) == CKR_OK) {
        test_allow_heap_change();
    }
}

CK_SESSION_HANDLE pkcs11_group_begin(void)
{
    pkcs11_group_finalize_leftover();
    TEST_ASSERT_RV(CKR_OK, C_Initialize(NULL));
    CK_SESSION_HANDLE session = open_logged_in_session();
    pkcs11_group_empty_store(session);
    return session;
}

void pkcs11_group_end(void)
{
    CK_RV rv = C_Initialize(NULL);
    if (rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        TEST_ASSERT_RV(CKR_OK, rv);
    }
    pkcs11_group_empty_store(open_logged_in_session());
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL)); /* closes every session; frees the module's lock */
}

void pkcs11_group_check_store_left_empty(void)
{
    pkcs11_group_finalize_leftover();
    TEST_ASSERT_RV(CKR_OK, C_Initialize(NULL));
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session));
    pkcs11_group_login(session);
    CK_OBJECT_HANDLE found[1];
    TEST_ASSERT_EQ(0, pkcs11_group_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 1));
    TEST_ASSERT_RV(CKR_OK, C_Finalize(NULL));
}

static CK_OBJECT_HANDLE create(CK_SESSION_HANDLE session, pkcs11_test_template_t *t)
{
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
    TEST_ASSERT_RV(CKR_OK, C_CreateObject(session, t->attributes, t->count, &object));
    TEST_ASSERT_NE(CK_INVALID_HANDLE, object);
    return object;
}

CK_OBJECT_HANDLE pkcs11_group_create_certificate(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_certificate(&t, label);
    return create(session, &t);
}

CK_OBJECT_HANDLE pkcs11_group_create_ec_private_value(CK_SESSION_HANDLE session, const char *label,
                                                      const CK_BYTE scalar[32])
{
    pkcs11_test_template_t t;
    pkcs11_test_template_ec_private(&t, label, scalar);
    return create(session, &t);
}

CK_OBJECT_HANDLE pkcs11_group_create_ec_private(CK_SESSION_HANDLE session, const char *label)
{
    return pkcs11_group_create_ec_private_value(session, label, kat_ec_private);
}

CK_OBJECT_HANDLE pkcs11_group_create_ec_public(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_ec_public(&t, label);
    return create(session, &t);
}

CK_OBJECT_HANDLE pkcs11_group_create_rsa_private(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_rsa_private(&t, label);
    return create(session, &t);
}

CK_OBJECT_HANDLE pkcs11_group_create_rsa_public(CK_SESSION_HANDLE session, const char *label)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_rsa_public(&t, label);
    return create(session, &t);
}

CK_RV pkcs11_group_generate_ec(CK_SESSION_HANDLE session, const char *private_label, const char *public_label,
                               CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key)
{
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    pkcs11_test_template_t public_template, private_template;
    pkcs11_test_template_ec_generate(&public_template, &private_template, private_label, public_label);
    return C_GenerateKeyPair(session, &mechanism, public_template.attributes, public_template.count,
                             private_template.attributes, private_template.count, public_key, private_key);
}

CK_ULONG pkcs11_group_find(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label,
                           CK_OBJECT_HANDLE *found, CK_ULONG max)
{
    pkcs11_test_template_t t;
    pkcs11_test_template_search(&t, object_class, label);
    CK_ULONG n = 0;
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsInit(session, t.count > 0 ? t.attributes : NULL, t.count));
    TEST_ASSERT_RV(CKR_OK, C_FindObjects(session, found, max, &n));
    TEST_ASSERT_RV(CKR_OK, C_FindObjectsFinal(session));
    TEST_ASSERT_RANGE(0, max, n);
    return n;
}

CK_OBJECT_HANDLE pkcs11_group_find_one(CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class, const char *label)
{
    CK_OBJECT_HANDLE found[2] = {CK_INVALID_HANDLE, CK_INVALID_HANDLE};
    TEST_ASSERT_EQ(1, pkcs11_group_find(session, object_class, label, found, 2));
    return found[0];
}

CK_ULONG pkcs11_group_attribute_ulong(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type)
{
    CK_ULONG value = 0;
    CK_ATTRIBUTE a = {type, &value, sizeof(value)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, object, &a, 1));
    TEST_ASSERT_EQ(sizeof(value), a.ulValueLen);
    return value;
}

CK_BBOOL pkcs11_group_attribute_bool(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type)
{
    CK_BBOOL value = 0xEE; /* neither CK_TRUE nor CK_FALSE: a call that writes nothing shows */
    CK_ATTRIBUTE a = {type, &value, sizeof(value)};
    TEST_ASSERT_RV(CKR_OK, C_GetAttributeValue(session, object, &a, 1));
    TEST_ASSERT_EQ(sizeof(value), a.ulValueLen);
    return value;
}

void pkcs11_group_ecdsa_sign(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE private_key, const CK_BYTE hash[32],
                             CK_BYTE signature[64])
{
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    CK_ULONG length = 64;
    TEST_ASSERT_RV(CKR_OK, C_SignInit(session, &ecdsa, private_key));
    TEST_ASSERT_RV(CKR_OK, C_Sign(session, (CK_BYTE_PTR)hash, 32, signature, &length));
    TEST_ASSERT_EQ(64, length);
}

CK_RV pkcs11_group_ecdsa_verify(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE public_key, const CK_BYTE hash[32],
                                const CK_BYTE signature[64])
{
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    CK_RV rv = C_VerifyInit(session, &ecdsa, public_key);
    if (rv != CKR_OK) {
        return rv;
    }
    return C_Verify(session, (CK_BYTE_PTR)hash, 32, (CK_BYTE_PTR)signature, 64);
}

void pkcs11_group_digest_info_abc(CK_BYTE out[PKCS11_GROUP_DIGEST_INFO_LENGTH])
{
    memcpy(out, kat_sha256_digest_info_prefix, sizeof(kat_sha256_digest_info_prefix));
    memcpy(out + sizeof(kat_sha256_digest_info_prefix), kat_sha256_abc, sizeof(kat_sha256_abc));
}
