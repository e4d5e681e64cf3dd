/* Alder PKCS#11: every configuration option of the module and of its storage PAL, with its default and range.
 * It must never be edited to configure a product: define the options in your own header and name it in
 * PKCS11_CONFIG_FILE (for example -DPKCS11_CONFIG_FILE='"my_pkcs11_config.h"'); it is read first. */
#ifndef PKCS11_CONFIG_DEFAULTS_H
#define PKCS11_CONFIG_DEFAULTS_H

#ifdef PKCS11_CONFIG_FILE
#include PKCS11_CONFIG_FILE
#endif

/* Sessions open at once, across all threads. Each costs about 300 bytes of static RAM. Range 1..255. */
#ifndef PKCS11_CONFIG_MAX_SESSIONS
#define PKCS11_CONFIG_MAX_SESSIONS 4
#endif

/* Objects the store holds. PAL handles are 1..PKCS11_CONFIG_MAX_OBJECTS (pkcs11_pal.h). The six standard
 * labels need six. Range 1..1024. */
#ifndef PKCS11_CONFIG_MAX_OBJECTS
#define PKCS11_CONFIG_MAX_OBJECTS 8
#endif

/* Longest CKA_LABEL, in bytes. Every stored object has a label of 1..this many bytes. The posix PAL names a
 * file with two hex digits per label byte, so at most 120 there. Range 1..120. */
#ifndef PKCS11_CONFIG_MAX_LABEL_LENGTH
#define PKCS11_CONFIG_MAX_LABEL_LENGTH 32
#endif

/* Longest CKA_ID, in bytes (0 = none). Range 0..255. */
#ifndef PKCS11_CONFIG_MAX_ID_LENGTH
#define PKCS11_CONFIG_MAX_ID_LENGTH 32
#endif

/* Largest stored object record, in bytes: the record header, label, ID and the DER value. An RSA-2048
 * private key needs about 1300; a certificate its DER size plus 90. It is also the size of the module's
 * static save buffer. Range 1400..65535. */
#ifndef PKCS11_CONFIG_MAX_OBJECT_SIZE
#define PKCS11_CONFIG_MAX_OBJECT_SIZE 4096
#endif

/* The user PIN that C_Login accepts (a string literal). It guards every change to the store and every use
 * of a private key (README.md, "Security properties"). It is built into the image, so it keeps other code
 * that lacks the PIN away from the keys; it is no defence against someone who can read the image. */
#ifndef PKCS11_CONFIG_USER_PIN
#define PKCS11_CONFIG_USER_PIN "0000"
#endif

/* The token label reported by C_GetTokenInfo (a string literal, at most 32 bytes; longer is cut). */
#ifndef PKCS11_CONFIG_TOKEN_LABEL
#define PKCS11_CONFIG_TOKEN_LABEL "Alder PKCS11 token"
#endif

/* C_FindObjectsInit copies its template into the session: at most this many attributes, whose values add
 * up to at most PKCS11_CONFIG_FIND_VALUE_BYTES. A larger template gets CKR_DEVICE_MEMORY. Ranges 1..32 and
 * 16..4096; the defaults fit a class, a key type, a label and an ID of the longest lengths. */
#ifndef PKCS11_CONFIG_FIND_MAX_ATTRIBUTES
#define PKCS11_CONFIG_FIND_MAX_ATTRIBUTES 8
#endif
#ifndef PKCS11_CONFIG_FIND_VALUE_BYTES
#define PKCS11_CONFIG_FIND_VALUE_BYTES 128
#endif

/* Where the module and the PAL report problems a caller cannot see in a return code (a corrupted record,
 * a failed file write). The argument is a NUL-terminated line without a newline. It never holds key
 * material, PINs or stored bytes: only what went wrong and which handle. Default: report nothing. */
#ifndef PKCS11_CONFIG_LOG
#define PKCS11_CONFIG_LOG(message) ((void)(message))
#endif

/* ---- Checks: a wrong value stops the build here, with the fix. ---- */
#if PKCS11_CONFIG_MAX_SESSIONS < 1 || PKCS11_CONFIG_MAX_SESSIONS > 255
#error "PKCS11_CONFIG_MAX_SESSIONS must be 1..255: set it in your PKCS11_CONFIG_FILE"
#endif
#if PKCS11_CONFIG_MAX_OBJECTS < 1 || PKCS11_CONFIG_MAX_OBJECTS > 1024
#error "PKCS11_CONFIG_MAX_OBJECTS must be 1..1024: set it in your PKCS11_CONFIG_FILE"
#endif
#if PKCS11_CONFIG_MAX_LABEL_LENGTH < 1 || PKCS11_CONFIG_MAX_LABEL_LENGTH > 120
#error "PKCS11_CONFIG_MAX_LABEL_LENGTH must be 1..120: set it in your PKCS11_CONFIG_FILE"
#endif
#if PKCS11_CONFIG_MAX_ID_LENGTH < 0 || PKCS11_CONFIG_MAX_ID_LENGTH > 255
#error "PKCS11_CONFIG_MAX_ID_LENGTH must be 0..255: set it in your PKCS11_CONFIG_FILE"
#endif
#if PKCS11_CONFIG_MAX_OBJECT_SIZE < 1400 || PKCS11_CONFIG_MAX_OBJECT_SIZE > 65535
#error                                                                                                                 \
    "PKCS11_CONFIG_MAX_OBJECT_SIZE must be 1400..65535 (an RSA-2048 private key needs 1400): set it in your PKCS11_CONFIG_FILE"
#endif
#if PKCS11_CONFIG_FIND_MAX_ATTRIBUTES < 1 || PKCS11_CONFIG_FIND_MAX_ATTRIBUTES > 32
#error "PKCS11_CONFIG_FIND_MAX_ATTRIBUTES must be 1..32: set it in your PKCS11_CONFIG_FILE"
#endif
#if PKCS11_CONFIG_FIND_VALUE_BYTES < 16 || PKCS11_CONFIG_FIND_VALUE_BYTES > 4096
#error "PKCS11_CONFIG_FIND_VALUE_BYTES must be 16..4096: set it in your PKCS11_CONFIG_FILE"
#endif

#endif /* PKCS11_CONFIG_DEFAULTS_H */
