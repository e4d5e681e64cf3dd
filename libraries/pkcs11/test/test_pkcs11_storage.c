/* Alder PKCS#11 host tests: the store on disk through the posix PAL: real files damaged on disk (a flipped byte,
 * a truncation, garbage) are reported and never used, and a save cut short at any step leaves old or new.
 * It must never pass a damaged case by the return code alone: each checks what is visible and what was logged. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkcs11.h"
#include "pkcs11_pal.h"
#include "pkcs11_store.h"
#include "pkcs11_test_util.h"
#include "pkcs11_test_vectors.h"

/* The posix PAL's fault injection (built into alder_pkcs11_host); steps as in boards/posix/pkcs11_pal.c. */
void pkcs11_posix_pal_test_crash_at(int step);
#define STEP_FIRST 1
#define STEP_RENAME 5
#define STEP_SYNC_DIRECTORY 6

static long file_size(const char *path)
{
    struct stat status;
    return stat(path, &status) == 0 ? (long)status.st_size : -1;
}

static void flip_byte(const char *path, long offset)
{
    int fd = open(path, O_RDWR);
    CHECK(fd >= 0);
    uint8_t byte = 0;
    CHECK(pread(fd, &byte, 1, offset) == 1);
    byte ^= 0x40;
    CHECK(pwrite(fd, &byte, 1, offset) == 1);
    close(fd);
}

static void write_file(const char *path, const void *bytes, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK(write(fd, bytes, size) == (ssize_t)size);
    close(fd);
}

/* The log holds only printable text: never the stored bytes. */
static bool log_is_plain_text(void)
{
    for (const char *c = test_log_text(); *c != '\0'; c++) {
        if ((*c < 0x20 || *c > 0x7E) && *c != '\n') {
            return false;
        }
    }
    return true;
}

/* Store a certificate and a key, damage the certificate's file with damage(), and restart the module. */
static CK_SESSION_HANDLE store_then_damage(void (*damage)(const char *path))
{
    CK_SESSION_HANDLE session = test_open_user_session();
    test_create_certificate(session, "Device Cert");
    test_create_ec_private(session, "Device Priv TLS Key");
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    char path[512];
    test_store_file("Device Cert", path, sizeof(path));
    CHECK(file_size(path) > 100);
    damage(path);
    return test_open_user_session();
}

/* The damaged certificate is invisible to searches, reported, unusable by handle; the key is untouched;
 * and a new certificate may replace the damaged one. */
static void expect_damaged_certificate(CK_SESSION_HANDLE session, const char *logged)
{
    CK_OBJECT_HANDLE found[8];
    CHECK(test_find(session, CKO_CERTIFICATE, NULL, found, 8) == 0);
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 8) == 2); /* the key and its view */
    CHECK(test_log_contains(logged));
    CHECK(log_is_plain_text());
    CK_OBJECT_HANDLE pal = PKCS11_PAL_FindObject((CK_BYTE_PTR) "Device Cert", 11);
    CHECK(pal != CK_INVALID_HANDLE);
    CK_BYTE value[512];
    CK_ATTRIBUTE a = {CKA_VALUE, value, sizeof(value)};
    CHECK_RV(C_GetAttributeValue(session, pal * 2, &a, 1), CKR_DEVICE_ERROR);
    test_create_certificate(session, "Device Cert");
    CHECK(test_find(session, CKO_CERTIFICATE, "Device Cert", found, 8) == 1);
}

static void flip_middle(const char *path)
{
    flip_byte(path, file_size(path) / 2);
}

static void FlippedByteOnDiskIsDetected(void)
{
    CK_SESSION_HANDLE session = store_then_damage(flip_middle);
    expect_damaged_certificate(session, "record checksum mismatch");
}

static void truncate_half(const char *path)
{
    CHECK(truncate(path, file_size(path) / 2) == 0);
}

static void TruncatedFileIsDetected(void)
{
    CK_SESSION_HANDLE session = store_then_damage(truncate_half);
    expect_damaged_certificate(session, "record truncated");
}

static void truncate_to_nothing(const char *path)
{
    CHECK(truncate(path, 0) == 0);
}

static void EmptyFileIsDetected(void)
{
    CK_SESSION_HANDLE session = store_then_damage(truncate_to_nothing);
    expect_damaged_certificate(session, "impossible size");
}

static void append_garbage(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && write(fd, "garbage", 7) == 7);
    close(fd);
}

static void AppendedBytesAreDetected(void)
{
    CK_SESSION_HANDLE session = store_then_damage(append_garbage);
    expect_damaged_certificate(session, "record lengths do not add up");
}

static void break_magic(const char *path)
{
    flip_byte(path, 0);
}

static void WrongMagicIsDetected(void)
{
    CK_SESSION_HANDLE session = store_then_damage(break_magic);
    expect_damaged_certificate(session, "bad record magic");
}

static void replace_with_symlink(const char *path)
{
    char target[600];
    snprintf(target, sizeof(target), "%s/elsewhere", test_store_directory());
    CHECK(rename(path, target) == 0);
    CHECK(symlink(target, path) == 0);
}

static void SymlinkIsNotFollowed(void)
{
    CK_SESSION_HANDLE session = store_then_damage(replace_with_symlink);
    CK_OBJECT_HANDLE found[8];
    CHECK(test_find(session, CKO_CERTIFICATE, NULL, found, 8) == 0);
    CHECK(test_log_contains("cannot open an object file"));
}

/* A record with a correct checksum whose value is not a key: written by something else, never used. */
static void ValidRecordWithGarbageKeyIsRefused(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE key = test_create_ec_private(session, "Key");
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    static const uint8_t garbage[40] = {0x30, 0x26, 0x02, 0x01, 0x01};
    pkcs11_store_record_t record = {PKCS11_STORE_KIND_PRIVATE_KEY,
                                    PKCS11_STORE_FLAG_PRIVATE | PKCS11_STORE_FLAG_SIGN,
                                    CKK_EC,
                                    (const uint8_t *)"Key",
                                    3,
                                    NULL,
                                    0,
                                    garbage,
                                    sizeof(garbage)};
    uint8_t bytes[256];
    size_t size = 0;
    CHECK(pkcs11_store_encode(&record, bytes, sizeof(bytes), &size) == PKCS11_STORE_OK);
    char path[512];
    test_store_file("Key", path, sizeof(path));
    write_file(path, bytes, size);
    session = test_open_user_session();
    CK_OBJECT_HANDLE found[4];
    CHECK(test_find(session, CKO_PRIVATE_KEY, "Key", found, 4) == 1); /* the record itself is sound */
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    CHECK_RV(C_SignInit(session, &ecdsa, found[0]), CKR_DEVICE_ERROR);
    CHECK(test_log_contains("value does not parse"));
    (void)key;
}

static void ForeignFilesAreIgnored(void)
{
    char path[600];
    const char *names[] = {"README", "zz.obj", "ABCD.obj", "abc.obj", "4b6579.txt", ".obj"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", test_store_directory(), names[i]);
        write_file(path, "x", 1);
    }
    CK_SESSION_HANDLE session = test_open_user_session();
    CK_OBJECT_HANDLE found[4];
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 4) == 0);
    test_create_certificate(session, "Cert");
    CHECK(test_find(session, CK_UNAVAILABLE_INFORMATION, NULL, found, 4) == 1);
}

static int count_files(const char *suffix)
{
    int count = 0;
    DIR *dir = opendir(test_store_directory());
    for (struct dirent *e = dir ? readdir(dir) : NULL; e != NULL; e = readdir(dir)) {
        size_t length = strlen(e->d_name);
        count += length > 4 && strcmp(e->d_name + length - 4, suffix) == 0;
    }
    if (dir != NULL) {
        closedir(dir);
    }
    return count;
}

/* Fault injection: the PAL stops ("crashes") just before one step of a save, cleaning up nothing, as a killed
 * process would. This mocks a fault a real part cannot produce on demand; it proves the ordering of the
 * steps (write a temporary file, sync it, rename it over the old file, sync the directory). What it cannot
 * show is data the kernel had not yet written when power went: that is what the syncs are for. */
static CK_BYTE crash_id(CK_SESSION_HANDLE session)
{
    CK_OBJECT_HANDLE found[4];
    CK_BYTE id[4] = {0};
    CK_ATTRIBUTE a = {CKA_ID, id, sizeof(id)};
    CHECK(test_find(session, CKO_CERTIFICATE, "Device Cert", found, 4) == 1);
    CHECK_RV(C_GetAttributeValue(session, found[0], &a, 1), CKR_OK);
    CHECK(a.ulValueLen == 1);
    return id[0];
}

static void create_certificate_with_id(CK_SESSION_HANDLE session, CK_BYTE id, CK_RV expected)
{
    CK_OBJECT_CLASS certificate = CKO_CERTIFICATE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &certificate, sizeof(certificate)},
                        {CKA_LABEL, "Device Cert", 11},
                        {CKA_ID, &id, 1},
                        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CK_OBJECT_HANDLE object;
    CHECK_RV(C_CreateObject(session, t, 4, &object), expected);
}

static void CrashAtEachSaveStepLeavesOldOrNew(void)
{
    for (int step = STEP_FIRST; step <= STEP_SYNC_DIRECTORY; step++) {
        int failures_before = test_failures;
        CK_SESSION_HANDLE session = test_open_user_session();
        create_certificate_with_id(session, 1, CKR_OK); /* the old object */
        pkcs11_posix_pal_test_crash_at(step);
        create_certificate_with_id(session, 2, CKR_DEVICE_ERROR); /* the save that "crashes" */
        pkcs11_posix_pal_test_crash_at(0);
        CHECK_RV(C_Finalize(NULL), CKR_OK); /* the reboot */
        session = test_open_user_session();
        CK_BYTE id = crash_id(session);
        CHECK(id == (step <= STEP_RENAME ? 1 : 2)); /* before the rename: old; after it: new */
        CHECK(count_files(".tmp") == 0);            /* an unfinished save is cleared at start */
        CHECK(count_files(".obj") == 1);
        CK_OBJECT_HANDLE found[4];
        CHECK(test_find(session, CKO_CERTIFICATE, "Device Cert", found, 4) == 1);
        CHECK_RV(C_DestroyObject(session, found[0]), CKR_OK);
        CHECK_RV(C_Finalize(NULL), CKR_OK);
        if (test_failures != failures_before) {
            printf("    (at step %d)\n", step);
        }
    }
}

static void CrashOfAFirstSaveLeavesNothingOrNew(void)
{
    for (int step = STEP_FIRST; step <= STEP_SYNC_DIRECTORY; step++) {
        CK_SESSION_HANDLE session = test_open_user_session();
        pkcs11_posix_pal_test_crash_at(step);
        create_certificate_with_id(session, 2, CKR_DEVICE_ERROR);
        pkcs11_posix_pal_test_crash_at(0);
        CHECK_RV(C_Finalize(NULL), CKR_OK);
        session = test_open_user_session();
        CK_OBJECT_HANDLE found[4];
        CK_ULONG n = test_find(session, CKO_CERTIFICATE, NULL, found, 4);
        CHECK(n == (step <= STEP_RENAME ? 0u : 1u));
        if (n == 1) {
            CHECK(crash_id(session) == 2);
            CHECK_RV(C_DestroyObject(session, found[0]), CKR_OK);
        }
        CHECK(count_files(".tmp") == 0);
        CHECK_RV(C_Finalize(NULL), CKR_OK);
    }
}

static void FullStoreRefusesMore(void)
{
    CK_SESSION_HANDLE session = test_open_user_session();
    char label[16];
    for (int i = 0; i < 32; i++) { /* PKCS11_CONFIG_MAX_OBJECTS in the host configuration */
        snprintf(label, sizeof(label), "Cert %02d", i);
        test_create_certificate(session, label);
    }
    CK_OBJECT_CLASS certificate = CKO_CERTIFICATE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &certificate, sizeof(certificate)},
                        {CKA_LABEL, "One Too Many", 12},
                        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CK_OBJECT_HANDLE object;
    CHECK_RV(C_CreateObject(session, t, 3, &object), CKR_DEVICE_ERROR);
    CHECK(test_log_contains("no free object handle"));
    /* Replacing an existing label still works. */
    test_create_certificate(session, "Cert 07");
}

static void DefaultDirectoryIsRelativeToTheWorkingDirectory(void)
{
    char here[600], expected[700];
    CHECK(getcwd(here, sizeof(here)) != NULL);
    CHECK(chdir(test_store_directory()) == 0);
    unsetenv("ALDER_PKCS11_DIR");
    CK_SESSION_HANDLE session = test_open_user_session();
    test_create_certificate(session, "Cert");
    CHECK_RV(C_Finalize(NULL), CKR_OK);
    snprintf(expected, sizeof(expected), "%s/alder_pkcs11/%s.obj", test_store_directory(), "43657274");
    CHECK(file_size(expected) > 0);
    CHECK(unlink(expected) == 0);
    snprintf(expected, sizeof(expected), "%s/alder_pkcs11", test_store_directory());
    CHECK(rmdir(expected) == 0);
    CHECK(chdir(here) == 0);
}

int main(void)
{
    RUN(Pkcs11Storage, FlippedByteOnDiskIsDetected);
    RUN(Pkcs11Storage, TruncatedFileIsDetected);
    RUN(Pkcs11Storage, EmptyFileIsDetected);
    RUN(Pkcs11Storage, AppendedBytesAreDetected);
    RUN(Pkcs11Storage, WrongMagicIsDetected);
    RUN(Pkcs11Storage, SymlinkIsNotFollowed);
    RUN(Pkcs11Storage, ValidRecordWithGarbageKeyIsRefused);
    RUN(Pkcs11Storage, ForeignFilesAreIgnored);
    RUN(Pkcs11Storage, CrashAtEachSaveStepLeavesOldOrNew);
    RUN(Pkcs11Storage, CrashOfAFirstSaveLeavesNothingOrNew);
    RUN(Pkcs11Storage, FullStoreRefusesMore);
    RUN(Pkcs11Storage, DefaultDirectoryIsRelativeToTheWorkingDirectory);
    return test_summary();
}
