/* Alder posix board: the PKCS#11 storage PAL (pkcs11_pal.h) on files, one per label, and entropy from getrandom(2).
 * It must never build a path from anything but the store directory and hex digits, nor leave a torn object:
 * every save writes a temporary file, syncs it, renames it over the old one and syncs the directory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkcs11_pal.h"

/* The store directory: $ALDER_PKCS11_DIR, else this one, relative to the working directory. */
#define DEFAULT_DIRECTORY "./alder_pkcs11"
#define OBJECT_SUFFIX ".obj"
#define TEMPORARY_SUFFIX ".tmp"
#define SUFFIX_LENGTH 4u
/* Two hex digits per label byte, a suffix, a NUL. */
#define FILE_NAME_SIZE (2u * PKCS11_CONFIG_MAX_LABEL_LENGTH + SUFFIX_LENGTH + 1u)

/* Handle n is slots[n - 1]: the label whose file it names. The module calls the PAL with its lock held,
 * so the table needs no lock of its own. */
struct slot {
    bool used;
    size_t label_length;
    uint8_t label[PKCS11_CONFIG_MAX_LABEL_LENGTH];
};
static struct slot slots[PKCS11_CONFIG_MAX_OBJECTS];
static char directory[PATH_MAX - FILE_NAME_SIZE - 1u];

/* Steps of a save, in order: a test may stop a save just before one of them (see pkcs11_posix_pal_test_crash_at). */
enum save_step {
    STEP_WRITE_FIRST_HALF = 1,
    STEP_WRITE_SECOND_HALF,
    STEP_SYNC_FILE,
    STEP_CLOSE,
    STEP_RENAME,
    STEP_SYNC_DIRECTORY,
    STEP_DONE
};

#ifdef ALDER_PKCS11_PAL_TEST_HOOKS
/* Fault injection for the host tests: "crash" (return at once, cleaning up nothing, as a killed process
 * would) just before the given step of the next saves; 0 turns it off. It mocks a fault the real
 * filesystem cannot produce on demand, so it tests this file's ordering, not the filesystem's. */
void pkcs11_posix_pal_test_crash_at(int step);
static int crash_step;
void pkcs11_posix_pal_test_crash_at(int step)
{
    crash_step = step;
}
#define CRASH_BEFORE(step) (crash_step == (int)(step))
#else
#define CRASH_BEFORE(step) false
#endif

static void report(const char *what, int error)
{
    char line[256];
    (void)snprintf(line, sizeof(line), "alder-pkcs11 posix PAL: %s: %s", what, strerror(error));
    PKCS11_CONFIG_LOG(line);
}

static void hex_name(const uint8_t *label, size_t length, const char *suffix, char name[FILE_NAME_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    size_t at = 0;
    for (size_t i = 0; i < length; i++) {
        name[at++] = digits[label[i] >> 4];
        name[at++] = digits[label[i] & 0x0Fu];
    }
    memcpy(name + at, suffix, SUFFIX_LENGTH + 1u);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* The label a store file name stands for, if it is one this PAL wrote (lower-case hex, then suffix). */
static bool label_from_name(const char *name, const char *suffix, uint8_t *label, size_t *length)
{
    size_t name_length = strlen(name);
    if (name_length <= SUFFIX_LENGTH || strcmp(name + name_length - SUFFIX_LENGTH, suffix) != 0) {
        return false;
    }
    size_t digits = name_length - SUFFIX_LENGTH;
    if (digits % 2u != 0 || digits / 2u > PKCS11_CONFIG_MAX_LABEL_LENGTH) {
        return false;
    }
    for (size_t i = 0; i < digits; i += 2) {
        int high = hex_value(name[i]), low = hex_value(name[i + 1]);
        if (high < 0 || low < 0) {
            return false;
        }
        label[i / 2] = (uint8_t)(high * 16 + low);
    }
    *length = digits / 2u;
    return true;
}

static void path_of(const char *name, char path[PATH_MAX])
{
    /* Cannot be cut short: directory and name sizes add up to less than PATH_MAX. */
    (void)snprintf(path, PATH_MAX, "%s/%s", directory, name);
}

static void object_path(const struct slot *slot, const char *suffix, char path[PATH_MAX])
{
    char name[FILE_NAME_SIZE];
    hex_name(slot->label, slot->label_length, suffix, name);
    path_of(name, path);
}

static int find_slot(const uint8_t *label, size_t length)
{
    for (int i = 0; i < PKCS11_CONFIG_MAX_OBJECTS; i++) {
        if (slots[i].used && slots[i].label_length == length && memcmp(slots[i].label, label, length) == 0) {
            return i;
        }
    }
    return -1;
}

static int free_slot(void)
{
    for (int i = 0; i < PKCS11_CONFIG_MAX_OBJECTS; i++) {
        if (!slots[i].used) {
            return i;
        }
    }
    return -1;
}

static void take_slot(int index, const uint8_t *label, size_t length)
{
    slots[index].used = true;
    slots[index].label_length = length;
    memcpy(slots[index].label, label, length);
}

static bool valid_label(const uint8_t *label, size_t length)
{
    return label != NULL && length >= 1u && length <= PKCS11_CONFIG_MAX_LABEL_LENGTH;
}

/* Make the directory's entries (a rename, an unlink) survive a power loss. */
static int sync_directory(void)
{
    int fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    int result = fsync(fd);
    int error = errno;
    close(fd);
    errno = error;
    return result;
}

/* A temporary file left by a save that never finished is discarded: its label keeps its old object. */
static void adopt_entry(const char *name)
{
    uint8_t label[PKCS11_CONFIG_MAX_LABEL_LENGTH];
    size_t length = 0;
    char path[PATH_MAX];
    if (label_from_name(name, TEMPORARY_SUFFIX, label, &length)) {
        path_of(name, path);
        if (unlink(path) != 0) {
            report("cannot remove an unfinished save", errno);
        }
        return;
    }
    if (!label_from_name(name, OBJECT_SUFFIX, label, &length) || find_slot(label, length) >= 0) {
        return;
    }
    int index = free_slot();
    if (index < 0) {
        report("more stored objects than PKCS11_CONFIG_MAX_OBJECTS; the rest are not visible", ENOSPC);
        return;
    }
    take_slot(index, label, length);
}

static CK_RV choose_directory(void)
{
    const char *chosen = getenv("ALDER_PKCS11_DIR");
    if (chosen == NULL || chosen[0] == '\0') {
        chosen = DEFAULT_DIRECTORY;
    }
    if (strlen(chosen) >= sizeof(directory)) {
        report("ALDER_PKCS11_DIR is too long", ENAMETOOLONG);
        return CKR_DEVICE_ERROR;
    }
    strcpy(directory, chosen);
    if (mkdir(directory, 0700) != 0 && errno != EEXIST) {
        report("cannot create the store directory", errno);
        return CKR_DEVICE_ERROR;
    }
    return CKR_OK;
}

CK_RV PKCS11_PAL_Initialize(void)
{
    memset(slots, 0, sizeof(slots));
    CK_RV rv = choose_directory();
    if (rv != CKR_OK) {
        return rv;
    }
    DIR *dir = opendir(directory);
    if (dir == NULL) {
        report("cannot open the store directory", errno);
        return CKR_DEVICE_ERROR;
    }
    for (struct dirent *entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
        adopt_entry(entry->d_name);
    }
    closedir(dir);
    return CKR_OK;
}

static int write_all(int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        data += n;
        size -= (size_t)n;
    }
    return 0;
}

/* Write, sync, close: the temporary file holds all of data on the disk, or this fails. */
static enum save_step write_temporary(int fd, const uint8_t *data, size_t size)
{
    size_t half = size / 2u;
    if (CRASH_BEFORE(STEP_WRITE_FIRST_HALF)) {
        return STEP_WRITE_FIRST_HALF;
    }
    if (write_all(fd, data, half) != 0) {
        return STEP_WRITE_FIRST_HALF;
    }
    if (CRASH_BEFORE(STEP_WRITE_SECOND_HALF)) {
        return STEP_WRITE_SECOND_HALF;
    }
    if (write_all(fd, data + half, size - half) != 0) {
        return STEP_WRITE_SECOND_HALF;
    }
    if (CRASH_BEFORE(STEP_SYNC_FILE) || fsync(fd) != 0) {
        return STEP_SYNC_FILE;
    }
    return STEP_DONE;
}

/* Save data under name atomically. STEP_DONE, or the step that failed (or "crashed", in tests). */
static enum save_step save_file(const char *name_temporary, const char *name_final, const uint8_t *data, size_t size)
{
    char temporary[PATH_MAX], final[PATH_MAX];
    path_of(name_temporary, temporary);
    path_of(name_final, final);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        return STEP_WRITE_FIRST_HALF;
    }
    enum save_step failed = write_temporary(fd, data, size);
    if (failed == STEP_DONE && CRASH_BEFORE(STEP_CLOSE)) {
        failed = STEP_CLOSE;
    }
    int error = errno;
    if (close(fd) != 0 && failed == STEP_DONE) {
        failed = STEP_CLOSE;
        error = errno;
    }
    if (failed != STEP_DONE) {
        if (!CRASH_BEFORE(failed)) {
            unlink(temporary); /* a real failure cleans up; a simulated crash leaves what a crash leaves */
        }
        errno = error;
        return failed;
    }
    if (CRASH_BEFORE(STEP_RENAME) || rename(temporary, final) != 0) {
        return STEP_RENAME;
    }
    if (CRASH_BEFORE(STEP_SYNC_DIRECTORY) || sync_directory() != 0) {
        return STEP_SYNC_DIRECTORY;
    }
    return STEP_DONE;
}

static bool save_arguments_valid(const CK_ATTRIBUTE *label, const uint8_t *data, CK_ULONG data_size)
{
    return label != NULL && label->type == CKA_LABEL && valid_label(label->pValue, label->ulValueLen) && data != NULL &&
           data_size > 0 && data_size <= PKCS11_CONFIG_MAX_OBJECT_SIZE;
}

CK_OBJECT_HANDLE PKCS11_PAL_SaveObject(CK_ATTRIBUTE_PTR label, CK_BYTE_PTR data, CK_ULONG data_size)
{
    if (!save_arguments_valid(label, data, data_size)) {
        return CK_INVALID_HANDLE;
    }
    const uint8_t *bytes = label->pValue;
    int index = find_slot(bytes, label->ulValueLen);
    int fresh = (index < 0) ? free_slot() : index;
    if (fresh < 0) {
        report("no free object handle (PKCS11_CONFIG_MAX_OBJECTS)", ENOSPC);
        return CK_INVALID_HANDLE;
    }
    char name_temporary[FILE_NAME_SIZE], name_final[FILE_NAME_SIZE];
    hex_name(bytes, label->ulValueLen, TEMPORARY_SUFFIX, name_temporary);
    hex_name(bytes, label->ulValueLen, OBJECT_SUFFIX, name_final);
    enum save_step failed = save_file(name_temporary, name_final, data, data_size);
    if (failed != STEP_DONE && failed < STEP_SYNC_DIRECTORY) {
        if (!CRASH_BEFORE(failed)) {
            report("cannot save an object; the old one is unchanged", errno);
        }
        return CK_INVALID_HANDLE;
    }
    /* Renamed: the new object is in place. If the directory sync failed, a power loss may still bring the
     * old one back (whole, never torn); the save is reported and counted as done. */
    take_slot(fresh, bytes, label->ulValueLen);
    if (failed == STEP_SYNC_DIRECTORY) {
        if (CRASH_BEFORE(failed)) {
            return CK_INVALID_HANDLE; /* the simulated crash: the caller never hears back */
        }
        report("cannot sync the store directory after a save", errno);
    }
    return (CK_OBJECT_HANDLE)(fresh + 1);
}

CK_OBJECT_HANDLE PKCS11_PAL_FindObject(CK_BYTE_PTR label, CK_ULONG label_len)
{
    if (!valid_label(label, label_len)) {
        return CK_INVALID_HANDLE;
    }
    int index = find_slot(label, label_len);
    if (index >= 0) {
        return (CK_OBJECT_HANDLE)(index + 1);
    }
    /* Another process (pkcs11-tool, a provisioning tool) may have saved it since PKCS11_PAL_Initialize. */
    char name[FILE_NAME_SIZE], path[PATH_MAX];
    struct stat status;
    hex_name(label, label_len, OBJECT_SUFFIX, name);
    path_of(name, path);
    index = free_slot();
    if (index < 0 || lstat(path, &status) != 0 || !S_ISREG(status.st_mode)) {
        return CK_INVALID_HANDLE;
    }
    take_slot(index, label, label_len);
    return (CK_OBJECT_HANDLE)(index + 1);
}

static struct slot *slot_of(CK_OBJECT_HANDLE handle)
{
    if (handle < 1u || handle > PKCS11_CONFIG_MAX_OBJECTS || !slots[handle - 1u].used) {
        return NULL;
    }
    return &slots[handle - 1u];
}

/* Read the whole file into a fresh buffer; sizes outside the contract are a damaged store. */
static CK_RV read_object(int fd, CK_BYTE_PTR *data, CK_ULONG_PTR data_size)
{
    struct stat status;
    if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
        report("an object file cannot be read", errno);
        return CKR_DEVICE_ERROR;
    }
    if (status.st_size <= 0 || status.st_size > PKCS11_CONFIG_MAX_OBJECT_SIZE) {
        report("an object file has an impossible size; not used", EFBIG);
        return CKR_DEVICE_ERROR;
    }
    size_t size = (size_t)status.st_size;
    uint8_t *buffer = malloc(size);
    if (buffer == NULL) {
        return CKR_HOST_MEMORY;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buffer + got, size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            report("an object file is shorter than it was a moment ago", n < 0 ? errno : EIO);
            PKCS11_PAL_GetObjectValueCleanup(buffer, size);
            return CKR_DEVICE_ERROR;
        }
        got += (size_t)n;
    }
    *data = buffer;
    *data_size = size;
    return CKR_OK;
}

CK_RV PKCS11_PAL_GetObjectValue(CK_OBJECT_HANDLE handle, CK_BYTE_PTR *data, CK_ULONG_PTR data_size,
                                CK_BBOOL *is_private)
{
    if (data != NULL) {
        *data = NULL;
    }
    if (data_size != NULL) {
        *data_size = 0;
    }
    if (data == NULL || data_size == NULL || is_private == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *is_private = CK_FALSE; /* the module's record says which objects are private */
    struct slot *slot = slot_of(handle);
    if (slot == NULL) {
        return CKR_OBJECT_HANDLE_INVALID;
    }
    char path[PATH_MAX];
    object_path(slot, OBJECT_SUFFIX, path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            slot->used = false; /* removed behind our back */
            return CKR_OBJECT_HANDLE_INVALID;
        }
        report("cannot open an object file", errno);
        return CKR_DEVICE_ERROR;
    }
    CK_RV rv = read_object(fd, data, data_size);
    close(fd);
    return rv;
}

void PKCS11_PAL_GetObjectValueCleanup(CK_BYTE_PTR data, CK_ULONG data_size)
{
    if (data != NULL) {
        explicit_bzero(data, data_size); /* it may hold a private key */
        free(data);
    }
}

CK_RV PKCS11_PAL_DestroyObject(CK_OBJECT_HANDLE handle)
{
    struct slot *slot = slot_of(handle);
    if (slot == NULL) {
        return CKR_OBJECT_HANDLE_INVALID;
    }
    char path[PATH_MAX];
    object_path(slot, OBJECT_SUFFIX, path);
    if (unlink(path) != 0) {
        if (errno == ENOENT) {
            slot->used = false;
            return CKR_OBJECT_HANDLE_INVALID;
        }
        report("cannot remove an object file", errno);
        return CKR_DEVICE_ERROR;
    }
    slot->used = false;
    if (sync_directory() != 0) {
        report("cannot sync the store directory after a removal", errno);
        return CKR_DEVICE_ERROR;
    }
    return CKR_OK;
}

CK_RV PKCS11_PAL_GetEntropy(uint8_t *out, size_t length)
{
    if (out == NULL && length > 0) {
        return CKR_ARGUMENTS_BAD;
    }
    while (length > 0) {
        ssize_t n = getrandom(out, length, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            report("getrandom failed", n < 0 ? errno : EIO);
            return CKR_FUNCTION_FAILED;
        }
        out += n;
        length -= (size_t)n;
    }
    return CKR_OK;
}
