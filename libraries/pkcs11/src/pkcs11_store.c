/* Alder PKCS#11: the stored object record, its encoder and its parser (format in README.md, "Storage format").
 * It must never read a byte before checking that it lies inside the buffer, nor accept a record it cannot
 * fully account for: the bytes come from flash or a file that anything may have damaged. */
#include "pkcs11_store.h"

#include <string.h>

#include "pkcs11.h"
#include "pkcs11_config_defaults.h"

/* Byte 0..3 of every record. */
static const uint8_t record_magic[4] = {'A', 'L', 'P', 'K'};

/* Entry tags of the attribute block. */
#define TAG_LABEL 1u
#define TAG_ID 2u
#define TAG_VALUE 3u

/* The flags each kind may carry: anything else is a damaged or foreign record. */
#define FLAGS_CERTIFICATE (PKCS11_STORE_FLAG_PRIVATE)
#define FLAGS_PUBLIC_KEY                                                                                               \
    (PKCS11_STORE_FLAG_PRIVATE | PKCS11_STORE_FLAG_VERIFY | PKCS11_STORE_FLAG_ENCRYPT | PKCS11_STORE_FLAG_WRAP |       \
     PKCS11_STORE_FLAG_DERIVE | PKCS11_STORE_FLAG_LOCAL)
#define FLAGS_PRIVATE_KEY                                                                                              \
    (PKCS11_STORE_FLAG_PRIVATE | PKCS11_STORE_FLAG_SIGN | PKCS11_STORE_FLAG_DECRYPT | PKCS11_STORE_FLAG_UNWRAP |       \
     PKCS11_STORE_FLAG_DERIVE | PKCS11_STORE_FLAG_LOCAL)

const char *pkcs11_store_strerror(pkcs11_store_status_t status)
{
    switch (status) {
    case PKCS11_STORE_OK:
        return "ok";
    case PKCS11_STORE_BAD_ARGUMENT:
        return "bad argument";
    case PKCS11_STORE_NO_SPACE:
        return "output buffer too small";
    case PKCS11_STORE_TRUNCATED:
        return "record truncated";
    case PKCS11_STORE_BAD_MAGIC:
        return "bad record magic";
    case PKCS11_STORE_BAD_VERSION:
        return "unknown record version";
    case PKCS11_STORE_BAD_LENGTH:
        return "record lengths do not add up";
    case PKCS11_STORE_BAD_CHECKSUM:
        return "record checksum mismatch";
    case PKCS11_STORE_BAD_FIELD:
        return "record field not allowed";
    }
    return "unknown status";
}

uint32_t pkcs11_store_crc32(const uint8_t *data, size_t size)
{
    /* Bitwise, no table: records are a few KB and read rarely; 1 KB of table is worth more on a device. */
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

static void put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    put_u16(p, v);
    put_u16(p + 2, v >> 16);
}

static uint32_t get_u16(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static uint32_t get_u32(const uint8_t *p)
{
    return get_u16(p) | (get_u16(p + 2) << 16);
}

/* The flags a kind may carry, or 0 for an unknown kind. Private keys must be private: a record that says
 * otherwise was not written by this module. */
static uint16_t allowed_flags(uint8_t kind)
{
    switch (kind) {
    case PKCS11_STORE_KIND_CERTIFICATE:
        return FLAGS_CERTIFICATE;
    case PKCS11_STORE_KIND_PUBLIC_KEY:
        return FLAGS_PUBLIC_KEY;
    case PKCS11_STORE_KIND_PRIVATE_KEY:
        return FLAGS_PRIVATE_KEY;
    default:
        return 0;
    }
}

/* Kind, type and flags agree with each other and with what this module writes. */
static int header_fields_valid(uint8_t kind, uint16_t flags, uint32_t type)
{
    uint16_t allowed = allowed_flags(kind);
    if (allowed == 0 || (flags & ~allowed) != 0) {
        return 0;
    }
    if (kind == PKCS11_STORE_KIND_PRIVATE_KEY && (flags & PKCS11_STORE_FLAG_PRIVATE) == 0) {
        return 0;
    }
    if (kind == PKCS11_STORE_KIND_CERTIFICATE) {
        return type == CKC_X_509;
    }
    return type == CKK_EC || type == CKK_RSA;
}

static int record_fields_valid(const pkcs11_store_record_t *r)
{
    if (!header_fields_valid(r->kind, r->flags, r->type)) {
        return 0;
    }
    if (r->label == NULL || r->label_len == 0 || r->label_len > PKCS11_CONFIG_MAX_LABEL_LENGTH) {
        return 0;
    }
    if (r->id_len > PKCS11_CONFIG_MAX_ID_LENGTH || (r->id_len > 0 && r->id == NULL)) {
        return 0;
    }
    return r->value != NULL && r->value_len > 0 && r->value_len <= PKCS11_CONFIG_MAX_OBJECT_SIZE;
}

size_t pkcs11_store_encoded_size(const pkcs11_store_record_t *record)
{
    size_t size = PKCS11_STORE_HEADER_SIZE + PKCS11_STORE_CRC_SIZE;
    size += PKCS11_STORE_ENTRY_HEADER_SIZE + record->label_len;
    if (record->id_len > 0) {
        size += PKCS11_STORE_ENTRY_HEADER_SIZE + record->id_len;
    }
    size += PKCS11_STORE_ENTRY_HEADER_SIZE + record->value_len;
    return size;
}

static size_t put_entry(uint8_t *out, uint8_t tag, const uint8_t *bytes, size_t length)
{
    out[0] = tag;
    put_u16(out + 1, (uint32_t)length);
    memcpy(out + PKCS11_STORE_ENTRY_HEADER_SIZE, bytes, length);
    return PKCS11_STORE_ENTRY_HEADER_SIZE + length;
}

pkcs11_store_status_t pkcs11_store_encode(const pkcs11_store_record_t *record, uint8_t *out, size_t capacity,
                                          size_t *written)
{
    if (record == NULL || out == NULL || written == NULL || !record_fields_valid(record)) {
        return PKCS11_STORE_BAD_ARGUMENT;
    }
    size_t size = pkcs11_store_encoded_size(record);
    if (size > PKCS11_CONFIG_MAX_OBJECT_SIZE) {
        return PKCS11_STORE_BAD_ARGUMENT;
    }
    if (size > capacity) {
        return PKCS11_STORE_NO_SPACE;
    }
    memcpy(out, record_magic, sizeof(record_magic));
    out[4] = PKCS11_STORE_VERSION;
    out[5] = record->kind;
    put_u16(out + 6, record->flags);
    put_u32(out + 8, record->type);
    put_u32(out + 12, (uint32_t)(size - PKCS11_STORE_HEADER_SIZE - PKCS11_STORE_CRC_SIZE));
    size_t at = PKCS11_STORE_HEADER_SIZE;
    at += put_entry(out + at, TAG_LABEL, record->label, record->label_len);
    if (record->id_len > 0) {
        at += put_entry(out + at, TAG_ID, record->id, record->id_len);
    }
    at += put_entry(out + at, TAG_VALUE, record->value, record->value_len);
    put_u32(out + at, pkcs11_store_crc32(out, at));
    *written = size;
    return PKCS11_STORE_OK;
}

/* The fixed header: magic, version, lengths and checksum, in that order, so the status names the first
 * thing that is wrong. *block_len gets the attribute block's length. */
static pkcs11_store_status_t check_frame(const uint8_t *data, size_t size, size_t *block_len)
{
    if (size < PKCS11_STORE_HEADER_SIZE + PKCS11_STORE_CRC_SIZE) {
        return PKCS11_STORE_TRUNCATED;
    }
    if (memcmp(data, record_magic, sizeof(record_magic)) != 0) {
        return PKCS11_STORE_BAD_MAGIC;
    }
    if (data[4] != PKCS11_STORE_VERSION) {
        return PKCS11_STORE_BAD_VERSION;
    }
    uint32_t declared = get_u32(data + 12);
    size_t available = size - PKCS11_STORE_HEADER_SIZE - PKCS11_STORE_CRC_SIZE;
    if (declared > available) {
        return PKCS11_STORE_TRUNCATED;
    }
    if (declared != available || size > PKCS11_CONFIG_MAX_OBJECT_SIZE) {
        return PKCS11_STORE_BAD_LENGTH;
    }
    size_t covered = size - PKCS11_STORE_CRC_SIZE;
    if (pkcs11_store_crc32(data, covered) != get_u32(data + covered)) {
        return PKCS11_STORE_BAD_CHECKSUM;
    }
    *block_len = declared;
    return PKCS11_STORE_OK;
}

/* Record one entry of the attribute block; a repeated tag, an unknown tag or a length out of range fails. */
static int take_entry(pkcs11_store_record_t *r, uint8_t tag, const uint8_t *bytes, size_t length)
{
    switch (tag) {
    case TAG_LABEL:
        if (r->label != NULL || length == 0 || length > PKCS11_CONFIG_MAX_LABEL_LENGTH) {
            return 0;
        }
        r->label = bytes;
        r->label_len = length;
        return 1;
    case TAG_ID:
        if (r->id != NULL || length > PKCS11_CONFIG_MAX_ID_LENGTH) {
            return 0;
        }
        r->id = bytes;
        r->id_len = length;
        return 1;
    case TAG_VALUE:
        if (r->value != NULL || length == 0) {
            return 0;
        }
        r->value = bytes;
        r->value_len = length;
        return 1;
    default:
        return 0;
    }
}

static pkcs11_store_status_t parse_block(const uint8_t *block, size_t block_len, pkcs11_store_record_t *r)
{
    size_t at = 0;
    while (at < block_len) {
        if (block_len - at < PKCS11_STORE_ENTRY_HEADER_SIZE) {
            return PKCS11_STORE_BAD_LENGTH;
        }
        uint8_t tag = block[at];
        size_t length = get_u16(block + at + 1);
        at += PKCS11_STORE_ENTRY_HEADER_SIZE;
        if (length > block_len - at) {
            return PKCS11_STORE_BAD_LENGTH;
        }
        if (!take_entry(r, tag, block + at, length)) {
            return PKCS11_STORE_BAD_FIELD;
        }
        at += length;
    }
    if (r->id == NULL) {
        r->id_len = 0;
    }
    return (r->label != NULL && r->value != NULL) ? PKCS11_STORE_OK : PKCS11_STORE_BAD_FIELD;
}

pkcs11_store_status_t pkcs11_store_decode(const uint8_t *data, size_t size, pkcs11_store_record_t *record)
{
    if (record == NULL) {
        return PKCS11_STORE_BAD_ARGUMENT;
    }
    memset(record, 0, sizeof(*record));
    if (data == NULL) {
        return PKCS11_STORE_BAD_ARGUMENT;
    }
    size_t block_len = 0;
    pkcs11_store_status_t status = check_frame(data, size, &block_len);
    if (status != PKCS11_STORE_OK) {
        return status;
    }
    pkcs11_store_record_t parsed = {0};
    parsed.kind = data[5];
    parsed.flags = (uint16_t)get_u16(data + 6);
    parsed.type = get_u32(data + 8);
    if (!header_fields_valid(parsed.kind, parsed.flags, parsed.type)) {
        return PKCS11_STORE_BAD_FIELD;
    }
    status = parse_block(data + PKCS11_STORE_HEADER_SIZE, block_len, &parsed);
    if (status == PKCS11_STORE_OK) {
        *record = parsed;
    }
    return status;
}
