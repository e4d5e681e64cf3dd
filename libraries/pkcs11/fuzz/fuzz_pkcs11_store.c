/* Alder PKCS#11: libFuzzer target for the object record parser (pkcs11_store_decode), the bytes a PAL hands back.
 * It must never give the parser more than the fuzzer's bytes: they are copied to a buffer of exactly their size.
 *
 * Input: byte 0 is a mode, the rest is the record. With bit 0 of the mode set, the record's trailing CRC-32 is
 * recomputed first, so the fuzzer also reaches the field checks behind the checksum (a random mutation
 * almost never keeps a CRC right). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11_config_defaults.h"
#include "pkcs11_store.h"

static void reseal(uint8_t *record, size_t size)
{
    if (size < PKCS11_STORE_HEADER_SIZE + PKCS11_STORE_CRC_SIZE) {
        return;
    }
    uint32_t crc = pkcs11_store_crc32(record, size - PKCS11_STORE_CRC_SIZE);
    for (size_t i = 0; i < PKCS11_STORE_CRC_SIZE; i++) {
        record[size - PKCS11_STORE_CRC_SIZE + i] = (uint8_t)(crc >> (8 * i));
    }
}

/* What decodes must encode again and decode to the same fields. */
static void check_round_trip(const pkcs11_store_record_t *record)
{
    static uint8_t again[PKCS11_CONFIG_MAX_OBJECT_SIZE];
    size_t written = 0;
    pkcs11_store_record_t back;
    if (pkcs11_store_encode(record, again, sizeof(again), &written) != PKCS11_STORE_OK ||
        pkcs11_store_decode(again, written, &back) != PKCS11_STORE_OK || back.kind != record->kind ||
        back.flags != record->flags || back.type != record->type || back.label_len != record->label_len ||
        memcmp(back.label, record->label, record->label_len) != 0 || back.id_len != record->id_len ||
        back.value_len != record->value_len || memcmp(back.value, record->value, record->value_len) != 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    uint8_t mode = data[0];
    size_t length = size - 1;
    uint8_t *record = malloc(length > 0 ? length : 1);
    if (record == NULL) {
        return 0;
    }
    memcpy(record, data + 1, length);
    if (mode & 1u) {
        reseal(record, length);
    }
    pkcs11_store_record_t decoded;
    if (pkcs11_store_decode(record, length, &decoded) == PKCS11_STORE_OK) {
        check_round_trip(&decoded);
    }
    free(record);
    return 0;
}
