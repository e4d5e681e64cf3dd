/* Alder PKCS#11 host tests: the pure parts on their own: the object record codec (every length and field check)
 * and the template checks (pkcs11_template_parse, pkcs11_find_compile, pkcs11_find_matches).
 * It must never touch the PAL or the module's state: these run on buffers alone. */
#include <string.h>

#include "pkcs11.h"
#include "pkcs11_store.h"
#include "pkcs11_template.h"
#include "pkcs11_test_util.h"

static const uint8_t value[] = {0x30, 0x03, 0x02, 0x01, 0x05};

static pkcs11_store_record_t sample(void)
{
    pkcs11_store_record_t r = {PKCS11_STORE_KIND_PUBLIC_KEY,
                               PKCS11_STORE_FLAG_VERIFY,
                               CKK_EC,
                               (const uint8_t *)"Label",
                               5,
                               (const uint8_t *)"\x01\x02",
                               2,
                               value,
                               sizeof(value)};
    return r;
}

static size_t encode(const pkcs11_store_record_t *r, uint8_t *out, size_t capacity)
{
    size_t size = 0;
    CHECK(pkcs11_store_encode(r, out, capacity, &size) == PKCS11_STORE_OK);
    return size;
}

/* Set the CRC of a hand-edited record, so the test reaches the check behind it. */
static void reseal(uint8_t *bytes, size_t size)
{
    uint32_t crc = pkcs11_store_crc32(bytes, size - 4);
    for (int i = 0; i < 4; i++) {
        bytes[size - 4 + i] = (uint8_t)(crc >> (8 * i));
    }
}

static void Crc32KnownAnswer(void)
{
    CHECK(pkcs11_store_crc32((const uint8_t *)"123456789", 9) == 0xCBF43926u);
    CHECK(pkcs11_store_crc32(NULL, 0) == 0);
}

static void RecordRoundTrips(void)
{
    pkcs11_store_record_t r = sample(), back;
    uint8_t bytes[128];
    size_t size = encode(&r, bytes, sizeof(bytes));
    CHECK(size == pkcs11_store_encoded_size(&r));
    CHECK(size == 16 + 3 + 5 + 3 + 2 + 3 + 5 + 4);
    CHECK(memcmp(bytes, "ALPK", 4) == 0 && bytes[4] == 1);
    CHECK(pkcs11_store_decode(bytes, size, &back) == PKCS11_STORE_OK);
    CHECK(back.kind == r.kind && back.flags == r.flags && back.type == r.type);
    CHECK(back.label_len == 5 && memcmp(back.label, "Label", 5) == 0);
    CHECK(back.id_len == 2 && memcmp(back.id, "\x01\x02", 2) == 0);
    CHECK(back.value_len == sizeof(value) && memcmp(back.value, value, sizeof(value)) == 0);
    /* No ID: the entry is left out, and reads back empty. */
    r.id = NULL;
    r.id_len = 0;
    size = encode(&r, bytes, sizeof(bytes));
    CHECK(pkcs11_store_decode(bytes, size, &back) == PKCS11_STORE_OK && back.id_len == 0);
    CHECK(pkcs11_store_encode(&r, bytes, size - 1, &size) == PKCS11_STORE_NO_SPACE);
}

static void EncodeRefusesRecordsItCouldNotReadBack(void)
{
    uint8_t bytes[256];
    size_t size;
    pkcs11_store_record_t r = sample();
    CHECK(pkcs11_store_encode(NULL, bytes, sizeof(bytes), &size) == PKCS11_STORE_BAD_ARGUMENT);
    r.label_len = 0;
    CHECK(pkcs11_store_encode(&r, bytes, sizeof(bytes), &size) == PKCS11_STORE_BAD_ARGUMENT);
    r = sample();
    r.label_len = PKCS11_CONFIG_MAX_LABEL_LENGTH + 1;
    CHECK(pkcs11_store_encode(&r, bytes, sizeof(bytes), &size) == PKCS11_STORE_BAD_ARGUMENT);
    r = sample();
    r.kind = PKCS11_STORE_KIND_PRIVATE_KEY; /* without PKCS11_STORE_FLAG_PRIVATE */
    CHECK(pkcs11_store_encode(&r, bytes, sizeof(bytes), &size) == PKCS11_STORE_BAD_ARGUMENT);
    r = sample();
    r.kind = PKCS11_STORE_KIND_CERTIFICATE; /* type CKK_EC and a verify flag: not a certificate */
    CHECK(pkcs11_store_encode(&r, bytes, sizeof(bytes), &size) == PKCS11_STORE_BAD_ARGUMENT);
    r = sample();
    r.value_len = 0;
    CHECK(pkcs11_store_encode(&r, bytes, sizeof(bytes), &size) == PKCS11_STORE_BAD_ARGUMENT);
    r = sample();
    r.value_len = PKCS11_CONFIG_MAX_OBJECT_SIZE; /* fits alone, not with the header */
    static uint8_t large[PKCS11_CONFIG_MAX_OBJECT_SIZE + 64];
    r.value = large;
    CHECK(pkcs11_store_encode(&r, large, sizeof(large), &size) == PKCS11_STORE_BAD_ARGUMENT);
}

static void EveryTruncationIsRejected(void)
{
    pkcs11_store_record_t r = sample(), back;
    uint8_t bytes[128];
    size_t size = encode(&r, bytes, sizeof(bytes));
    for (size_t n = 0; n < size; n++) {
        pkcs11_store_status_t status = pkcs11_store_decode(bytes, n, &back);
        CHECK(status == PKCS11_STORE_TRUNCATED || status == PKCS11_STORE_BAD_LENGTH);
        CHECK(back.label == NULL && back.value == NULL);
    }
    CHECK(pkcs11_store_decode(NULL, size, &back) == PKCS11_STORE_BAD_ARGUMENT);
    CHECK(pkcs11_store_decode(bytes, size, NULL) == PKCS11_STORE_BAD_ARGUMENT);
}

static void EveryBitFlipIsRejected(void)
{
    pkcs11_store_record_t r = sample(), back;
    uint8_t bytes[128];
    size_t size = encode(&r, bytes, sizeof(bytes));
    for (size_t i = 0; i < size; i++) {
        for (int bit = 0; bit < 8; bit++) {
            bytes[i] ^= (uint8_t)(1u << bit);
            CHECK(pkcs11_store_decode(bytes, size, &back) != PKCS11_STORE_OK);
            bytes[i] ^= (uint8_t)(1u << bit);
        }
    }
    CHECK(pkcs11_store_decode(bytes, size, &back) == PKCS11_STORE_OK);
}

/* Edit one byte, reseal, and expect a status: the field checks behind the CRC. */
static void expect_field(size_t offset, uint8_t byte, pkcs11_store_status_t expected, int line)
{
    pkcs11_store_record_t r = sample(), back;
    uint8_t bytes[128];
    size_t size = encode(&r, bytes, sizeof(bytes));
    bytes[offset] = byte;
    reseal(bytes, size);
    pkcs11_store_status_t got = pkcs11_store_decode(bytes, size, &back);
    if (got != expected) {
        test_fail_rv(__FILE__, line, pkcs11_store_strerror(got), got, pkcs11_store_strerror(expected), expected);
    }
}

static void FieldChecksBehindTheChecksum(void)
{
    /* Layout of the sample: header 0..15; label entry 16 (tag), 17..18 (length), 19..23; id entry 24..28;
     * value entry 29..36; CRC 37..40. */
    expect_field(0, 'X', PKCS11_STORE_BAD_MAGIC, __LINE__);
    expect_field(4, 2, PKCS11_STORE_BAD_VERSION, __LINE__);
    expect_field(5, 0, PKCS11_STORE_BAD_FIELD, __LINE__);                             /* kind */
    expect_field(5, 4, PKCS11_STORE_BAD_FIELD, __LINE__);                             /* kind */
    expect_field(5, PKCS11_STORE_KIND_PRIVATE_KEY, PKCS11_STORE_BAD_FIELD, __LINE__); /* not private */
    expect_field(6, 0xFF, PKCS11_STORE_BAD_FIELD, __LINE__);                          /* flags */
    expect_field(7, 0x80, PKCS11_STORE_BAD_FIELD, __LINE__);                          /* unknown flag */
    expect_field(8, 7, PKCS11_STORE_BAD_FIELD, __LINE__);                             /* type */
    expect_field(12, 0x30, PKCS11_STORE_TRUNCATED, __LINE__);                         /* block longer than the record */
    expect_field(12, 0x10, PKCS11_STORE_BAD_LENGTH, __LINE__); /* block shorter than the record */
    expect_field(16, 9, PKCS11_STORE_BAD_FIELD, __LINE__);     /* unknown tag */
    expect_field(24, 1, PKCS11_STORE_BAD_FIELD, __LINE__);     /* a second label */
    expect_field(29, 2, PKCS11_STORE_BAD_FIELD, __LINE__);     /* a second ID, and no value */
    expect_field(17, 0, PKCS11_STORE_BAD_FIELD, __LINE__);     /* empty label; rest misread */
    expect_field(17, 0xFF, PKCS11_STORE_BAD_LENGTH, __LINE__); /* label runs past the block */
    expect_field(18, 0x01, PKCS11_STORE_BAD_LENGTH, __LINE__); /* 261 bytes */
    expect_field(30, 0, PKCS11_STORE_BAD_FIELD, __LINE__);     /* empty value */
    expect_field(30, 6, PKCS11_STORE_BAD_LENGTH, __LINE__);    /* value runs past the block */
}

static void MissingEntriesAreRejected(void)
{
    uint8_t bytes[64] = {'A', 'L', 'P', 'K', 1, PKCS11_STORE_KIND_CERTIFICATE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    pkcs11_store_record_t back;
    /* An empty block: no label, no value. */
    reseal(bytes, 20);
    CHECK(pkcs11_store_decode(bytes, 20, &back) == PKCS11_STORE_BAD_FIELD);
    /* A label only. */
    uint8_t label_only[] = {'A', 'L', 'P', 'K', 1, PKCS11_STORE_KIND_CERTIFICATE, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1, 1, 0,
                            'x', 0,   0,   0,   0};
    reseal(label_only, sizeof(label_only));
    CHECK(pkcs11_store_decode(label_only, sizeof(label_only), &back) == PKCS11_STORE_BAD_FIELD);
    /* A label whose entry header is cut by the end of the block. */
    uint8_t cut[] = {'A', 'L', 'P', 'K', 1, PKCS11_STORE_KIND_CERTIFICATE, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1,
                     1,   0,   0,   0,   0};
    reseal(cut, sizeof(cut));
    CHECK(pkcs11_store_decode(cut, sizeof(cut), &back) == PKCS11_STORE_BAD_LENGTH);
    CHECK(strcmp(pkcs11_store_strerror(PKCS11_STORE_BAD_CHECKSUM), "record checksum mismatch") == 0);
    CHECK(strcmp(pkcs11_store_strerror((pkcs11_store_status_t)99), "unknown status") == 0);
}

/* ---- Templates ---- */

static CK_OBJECT_CLASS cls_cert = CKO_CERTIFICATE, cls_pub = CKO_PUBLIC_KEY, cls_priv = CKO_PRIVATE_KEY;
static CK_KEY_TYPE kt_ec = CKK_EC;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static CK_BYTE p256[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static CK_BYTE point[67] = {0x04, 0x41, 0x04};

static void TemplateParsesWhatItMeans(void)
{
    pkcs11_template_t t;
    CK_ATTRIBUTE pub[] = {{CKA_CLASS, &cls_pub, sizeof(cls_pub)},
                          {CKA_KEY_TYPE, &kt_ec, sizeof(kt_ec)},
                          {CKA_LABEL, "L", 1},
                          {CKA_EC_PARAMS, p256, sizeof(p256)},
                          {CKA_EC_POINT, point, sizeof(point)},
                          {CKA_DERIVE, &yes, 1},
                          {CKA_VERIFY, &no, 1}};
    CHECK_RV(pkcs11_template_parse(pub, 7, PKCS11_TEMPLATE_CREATE, &t), CKR_OK);
    CHECK(t.object_class == CKO_PUBLIC_KEY && t.key_type == CKK_EC);
    CHECK(t.flags == 0x0080u && t.flags_given == (0x0080u | 0x0004u)); /* derive; verify named false */
    CHECK(t.label.present && t.label.length == 1 && t.ec_point.length == sizeof(point));
    /* Defaults: private keys are private and sign; public keys verify. */
    CK_ATTRIBUTE priv[] = {{CKA_LABEL, "K", 1}};
    CHECK_RV(pkcs11_template_parse(priv, 1, PKCS11_TEMPLATE_GENERATE_PRIVATE, &t), CKR_OK);
    CHECK(t.object_class == CKO_PRIVATE_KEY && t.key_type == CKK_EC && t.flags == 0x0003u);
    CK_ATTRIBUTE gen_pub[] = {{CKA_EC_PARAMS, p256, sizeof(p256)}};
    CHECK_RV(pkcs11_template_parse(gen_pub, 1, PKCS11_TEMPLATE_GENERATE_PUBLIC, &t), CKR_OK);
    CHECK(t.flags == 0x0004u && !t.label.present);
    CK_ATTRIBUTE cert[] = {{CKA_CLASS, &cls_cert, sizeof(cls_cert)},
                           {CKA_LABEL, "C", 1},
                           {CKA_VALUE, "v", 1},
                           {CKA_SUBJECT, "s", 1},
                           {CKA_ISSUER, "i", 1},
                           {CKA_SERIAL_NUMBER, "n", 1}};
    CHECK_RV(pkcs11_template_parse(cert, 6, PKCS11_TEMPLATE_CREATE, &t), CKR_OK);
    CHECK(t.certificate_type == CKC_X_509 && t.flags == 0);
    CHECK_RV(pkcs11_template_parse(NULL, 0, PKCS11_TEMPLATE_CREATE, &t), CKR_TEMPLATE_INCOMPLETE);
    CHECK_RV(pkcs11_template_parse(NULL, 1, PKCS11_TEMPLATE_CREATE, &t), CKR_ARGUMENTS_BAD);
    CHECK_RV(pkcs11_template_parse(cert, 6, PKCS11_TEMPLATE_CREATE, NULL), CKR_ARGUMENTS_BAD);
    CK_ATTRIBUTE category[] = {{CKA_CLASS, &cls_cert, sizeof(cls_cert)},
                               {CKA_LABEL, "C", 1},
                               {CKA_VALUE, "v", 1},
                               {CKA_CERTIFICATE_CATEGORY, &cls_priv, sizeof(cls_priv)}};
    CHECK_RV(pkcs11_template_parse(category, 4, PKCS11_TEMPLATE_CREATE, &t), CKR_OK); /* 3: other entity */
    CK_ULONG bad_category = 4;
    category[3].pValue = &bad_category;
    CHECK_RV(pkcs11_template_parse(category, 4, PKCS11_TEMPLATE_CREATE, &t), CKR_ATTRIBUTE_VALUE_INVALID);
}

static bool lookup(void *context, CK_ATTRIBUTE_TYPE type, const uint8_t **bytes, size_t *length)
{
    (void)context;
    static CK_ULONG cls = CKO_CERTIFICATE;
    if (type == CKA_CLASS) {
        *bytes = (const uint8_t *)&cls;
        *length = sizeof(cls);
        return true;
    }
    if (type == CKA_LABEL) {
        *bytes = (const uint8_t *)"Device Cert";
        *length = 11;
        return true;
    }
    if (type == CKA_ID) {
        *bytes = NULL;
        *length = 0;
        return true;
    }
    return false;
}

static void FindTemplatesMatchByteForByte(void)
{
    pkcs11_find_query_t q;
    CK_ATTRIBUTE right[] = {{CKA_CLASS, &cls_cert, sizeof(cls_cert)}, {CKA_LABEL, "Device Cert", 11}};
    CHECK_RV(pkcs11_find_compile(right, 2, &q), CKR_OK);
    CHECK(pkcs11_find_matches(&q, lookup, NULL));
    CK_ATTRIBUTE prefix[] = {{CKA_LABEL, "Device", 6}};
    CHECK_RV(pkcs11_find_compile(prefix, 1, &q), CKR_OK);
    CHECK(!pkcs11_find_matches(&q, lookup, NULL));
    CK_ATTRIBUTE empty_id[] = {{CKA_ID, NULL, 0}};
    CHECK_RV(pkcs11_find_compile(empty_id, 1, &q), CKR_OK);
    CHECK(pkcs11_find_matches(&q, lookup, NULL));
    CK_ATTRIBUTE unknown[] = {{CKA_SIGN, &yes, 1}};
    CHECK_RV(pkcs11_find_compile(unknown, 1, &q), CKR_OK);
    CHECK(!pkcs11_find_matches(&q, lookup, NULL));
    CK_ATTRIBUTE huge[] = {{CKA_LABEL, "x", PKCS11_CONFIG_MAX_OBJECT_SIZE + 1UL}};
    CHECK_RV(pkcs11_find_compile(huge, 1, &q), CKR_OK); /* never matches, never copied */
    CHECK(!pkcs11_find_matches(&q, lookup, NULL));
    CHECK_RV(pkcs11_find_compile(NULL, 0, &q), CKR_OK);
    CHECK(pkcs11_find_matches(&q, lookup, NULL));
    CHECK_RV(pkcs11_find_compile(NULL, 1, &q), CKR_ARGUMENTS_BAD);
    CK_ATTRIBUTE null_value[] = {{CKA_LABEL, NULL, 4}};
    CHECK_RV(pkcs11_find_compile(null_value, 1, &q), CKR_ARGUMENTS_BAD);
}

int main(void)
{
    RUN(Pkcs11Codec, Crc32KnownAnswer);
    RUN(Pkcs11Codec, RecordRoundTrips);
    RUN(Pkcs11Codec, EncodeRefusesRecordsItCouldNotReadBack);
    RUN(Pkcs11Codec, EveryTruncationIsRejected);
    RUN(Pkcs11Codec, EveryBitFlipIsRejected);
    RUN(Pkcs11Codec, FieldChecksBehindTheChecksum);
    RUN(Pkcs11Codec, MissingEntriesAreRejected);
    RUN(Pkcs11Codec, TemplateParsesWhatItMeans);
    RUN(Pkcs11Codec, FindTemplatesMatchByteForByte);
    return test_summary();
}
