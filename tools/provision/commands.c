/* alder_provision commands: reads and checks the inputs, then drives the provisioning library (pkcs11_provision.h).
 * It must never print key material or the PIN, nor store a key whose certificate it has not matched first. */
#include "commands.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "files.h"
#include "module.h"
#include "pkcs11_pal.h"
#include "pkcs11_provision.h"

/* A P-256 CSR is under 600 bytes of PEM; this leaves room for long subjects. */
#define CSR_BUFFER_BYTES 4096u
#define SUBJECT_BYTES 256u

/* Where progress lines go: standard output, unless the CSR is written there (--csr -). */
static FILE *progress;

/* The inputs a command reads, all checked before the token is touched. */
struct inputs {
    struct file_data key;
    struct file_data cert;
    struct file_data root;
    const char *key_kind;
    char cert_subject[SUBJECT_BYTES];
    char root_subject[SUBJECT_BYTES];
};

/* One line for a failed library call: what it was about, the status in words and by name, and the token's or
 * mbedTLS's own code when there is one. */
static int report(const pkcs11_provision_t *provision, const char *about, pkcs11_provision_status_t status)
{
    char rv_buffer[32];
    fprintf(stderr, "alder_provision: %s: %s (%s", about, pkcs11_provision_status_text(status),
            pkcs11_provision_status_name(status));
    if (provision != NULL && provision->last_rv != CKR_OK) {
        fprintf(stderr, ", %s", provision_rv_name(provision->last_rv, rv_buffer, sizeof rv_buffer));
    }
    if (provision != NULL && provision->last_mbedtls_error != 0) {
        fprintf(stderr, ", mbedTLS -0x%04x", (unsigned)-provision->last_mbedtls_error);
    }
    fprintf(stderr, ")\n");
    return PROVISION_EXIT_FAILURE;
}

/* ---- inputs --------------------------------------------------------------------------------------- */

static void free_inputs(struct inputs *in)
{
    file_free(&in->key);
    file_free(&in->cert);
    file_free(&in->root);
}

static int read_certificate(const char *path, struct file_data *data, char *subject)
{
    if (path == NULL) {
        return 0;
    }
    if (file_read(path, data) != 0) {
        return -1;
    }
    pkcs11_provision_status_t status =
        pkcs11_provision_inspect_certificate(data->bytes, data->length, subject, SUBJECT_BYTES);
    return status == PKCS11_PROVISION_OK ? 0 : (report(NULL, path, status), -1);
}

/* Reads every file the options name and checks each parses (and that key and certificate are a pair). */
static int read_inputs(const struct provision_options *options, struct inputs *in)
{
    memset(in, 0, sizeof *in);
    if (options->key != NULL) {
        if (file_read(options->key, &in->key) != 0) {
            return -1;
        }
        pkcs11_provision_status_t status = pkcs11_provision_inspect_key(in->key.bytes, in->key.length, &in->key_kind);
        if (status != PKCS11_PROVISION_OK) {
            return report(NULL, options->key, status), -1;
        }
    }
    if (options->subject != NULL && pkcs11_provision_check_subject(options->subject) != PKCS11_PROVISION_OK) {
        return report(NULL, options->subject, PKCS11_PROVISION_BAD_SUBJECT), -1;
    }
    if (read_certificate(options->cert, &in->cert, in->cert_subject) != 0 ||
        read_certificate(options->root, &in->root, in->root_subject) != 0) {
        return -1;
    }
    if (options->key != NULL && options->cert != NULL) {
        pkcs11_provision_status_t status =
            pkcs11_provision_match(in->key.bytes, in->key.length, in->cert.bytes, in->cert.length);
        if (status == PKCS11_PROVISION_KEY_MISMATCH) {
            fprintf(stderr, "alder_provision: %s is not the certificate of %s; nothing was stored (%s)\n",
                    options->cert, options->key, pkcs11_provision_status_name(status));
            return -1;
        }
        if (status != PKCS11_PROVISION_OK) {
            return report(NULL, options->cert, status), -1;
        }
    }
    return 0;
}

/* ---- steps ---------------------------------------------------------------------------------------- */

static int store_root(pkcs11_provision_t *provision, const struct provision_options *options, struct inputs *in)
{
    if (options->root == NULL) {
        return PROVISION_EXIT_OK;
    }
    pkcs11_provision_status_t status =
        pkcs11_provision_import_certificate(provision, in->root.bytes, in->root.length, PKCS11_LABEL_ROOT_CERTIFICATE);
    if (status != PKCS11_PROVISION_OK) {
        return report(provision, options->root, status);
    }
    fprintf(progress, "stored the root CA certificate (%s) under \"%s\"\n", in->root_subject,
            PKCS11_LABEL_ROOT_CERTIFICATE);
    return PROVISION_EXIT_OK;
}

/* The device certificate, checked against the key the token holds before it is stored, and read back after. */
static int store_device_certificate(pkcs11_provision_t *provision, const struct provision_options *options,
                                    struct inputs *in)
{
    pkcs11_provision_status_t status = pkcs11_provision_check_certificate(provision, in->cert.bytes, in->cert.length);
    if (status == PKCS11_PROVISION_OK) {
        status = pkcs11_provision_import_certificate(provision, in->cert.bytes, in->cert.length, NULL);
    }
    if (status == PKCS11_PROVISION_OK) {
        status = pkcs11_provision_check_stored(provision, NULL);
    }
    if (status != PKCS11_PROVISION_OK) {
        return report(provision, options->cert, status);
    }
    fprintf(progress, "stored the device certificate (%s) under \"%s\"; it matches the key under \"%s\"\n",
            in->cert_subject, PKCS11_LABEL_DEVICE_CERTIFICATE, provision->key_label);
    return PROVISION_EXIT_OK;
}

static int run_import(pkcs11_provision_t *provision, const struct provision_options *options, struct inputs *in)
{
    pkcs11_provision_status_t status = pkcs11_provision_import_key(provision, in->key.bytes, in->key.length);
    file_free(&in->key); /* the key is in the token now, or refused: this process needs no copy either way */
    if (status != PKCS11_PROVISION_OK) {
        return report(provision, options->key, status);
    }
    fprintf(progress, "stored the private key (%s) under \"%s\" and its public key under \"%s\"\n", in->key_kind,
            provision->key_label, provision->public_key_label);
    int result = store_device_certificate(provision, options, in);
    return result == PROVISION_EXIT_OK ? store_root(provision, options, in) : result;
}

static int run_generate(pkcs11_provision_t *provision, const struct provision_options *options, struct inputs *in)
{
    static char csr[CSR_BUFFER_BYTES];
    size_t length = 0;
    struct output_file out;
    if (file_create(options->csr, &out) != 0) {
        return PROVISION_EXIT_FAILURE;
    }
    pkcs11_provision_status_t status = pkcs11_provision_generate_key(provision);
    if (status != PKCS11_PROVISION_OK) {
        file_abandon(&out);
        return report(provision, "generate", status);
    }
    fprintf(progress, "generated an EC P-256 key pair under \"%s\" and \"%s\"\n", provision->key_label,
            provision->public_key_label);
    status = pkcs11_provision_write_csr(provision, options->subject, csr, sizeof csr, &length);
    if (status != PKCS11_PROVISION_OK) {
        file_abandon(&out);
        return report(provision, options->subject, status);
    }
    if (file_finish(&out, csr, length) != 0) {
        return PROVISION_EXIT_FAILURE;
    }
    fprintf(progress, "wrote the certificate signing request for \"%s\" to %s\n", options->subject, options->csr);
    return store_root(provision, options, in);
}

static int run_import_cert(pkcs11_provision_t *provision, const struct provision_options *options, struct inputs *in)
{
    int result = store_device_certificate(provision, options, in);
    return result == PROVISION_EXIT_OK ? store_root(provision, options, in) : result;
}

/* ---- list ------------------------------------------------------------------------------------------- */

static const char *class_name(CK_OBJECT_CLASS object_class)
{
    switch (object_class) {
    case CKO_CERTIFICATE:
        return "certificate";
    case CKO_PUBLIC_KEY:
        return "public key";
    case CKO_PRIVATE_KEY:
        return "private key";
    case CKO_DATA:
        return "data";
    case CKO_SECRET_KEY:
        return "secret key";
    default:
        return "other";
    }
}

static const char *type_name(CK_OBJECT_CLASS object_class, CK_ULONG type)
{
    if (type == CK_UNAVAILABLE_INFORMATION) {
        return "-";
    }
    if (object_class == CKO_CERTIFICATE) {
        return type == CKC_X_509 ? "X.509" : "other";
    }
    return type == CKK_EC ? "EC" : type == CKK_RSA ? "RSA" : "other";
}

/* A label is bytes, not text: anything unprintable is shown as \xNN, so a label cannot write to the terminal. */
static void print_label(const char *label, bool too_long)
{
    int width = 0;
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)label; *c != '\0'; c++) {
        width += isprint(*c) && *c != '"' && *c != '\\' ? printf("%c", *c) : printf("\\x%02x", *c);
    }
    printf("%s\"%*s", too_long ? "(label too long)" : "", width < 24 ? 24 - width : 1, "");
}

static void print_object(void *user, const pkcs11_provision_object_t *object)
{
    int *count = user;
    print_label(object->label, object->label_too_long);
    printf("%-12s %s\n", class_name(object->object_class), type_name(object->object_class, object->type));
    (*count)++;
}

static int run_list(pkcs11_provision_t *provision)
{
    int count = 0;
    pkcs11_provision_status_t status = pkcs11_provision_list(provision, print_object, &count);
    if (status != PKCS11_PROVISION_OK) {
        return report(provision, "list", status);
    }
    printf("%d object%s\n", count, count == 1 ? "" : "s");
    return PROVISION_EXIT_OK;
}

/* ---- the run -------------------------------------------------------------------------------------- */

static int run_command(pkcs11_provision_t *provision, const struct provision_options *options, struct inputs *in)
{
    switch (options->command) {
    case COMMAND_IMPORT:
        return run_import(provision, options, in);
    case COMMAND_GENERATE:
        return run_generate(provision, options, in);
    case COMMAND_IMPORT_CERT:
        return run_import_cert(provision, options, in);
    case COMMAND_LIST:
        return run_list(provision);
    default:
        return PROVISION_EXIT_USAGE;
    }
}

int provision_run(const struct provision_options *options, CK_FUNCTION_LIST_PTR functions)
{
    struct inputs in;
    progress = options->csr != NULL && strcmp(options->csr, "-") == 0 ? stderr : stdout;
    if (read_inputs(options, &in) != 0) {
        free_inputs(&in);
        return PROVISION_EXIT_FAILURE;
    }
    pkcs11_provision_t provision;
    pkcs11_provision_status_t status = pkcs11_provision_open(&provision, functions, options->pin);
    int result = PROVISION_EXIT_FAILURE;
    if (status != PKCS11_PROVISION_OK) {
        report(&provision, "the token", status);
    } else {
        result = run_command(&provision, options, &in);
    }
    pkcs11_provision_close(&provision);
    free_inputs(&in);
    return result;
}
