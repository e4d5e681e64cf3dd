/* alder_provision options: the subcommand and its flags, parsed from the command line.
 * It must never accept a flag the chosen subcommand does not use: a misplaced flag is a usage error, not ignored. */
#ifndef PROVISION_OPTIONS_H
#define PROVISION_OPTIONS_H

#include <stdbool.h>

/* Exit statuses of alder_provision. */
#define PROVISION_EXIT_OK 0
#define PROVISION_EXIT_FAILURE 1
#define PROVISION_EXIT_USAGE 2

/* The module's default user PIN (PKCS11_CONFIG_USER_PIN). */
#define PROVISION_DEFAULT_PIN "0000"

enum provision_command {
    COMMAND_NONE,
    COMMAND_IMPORT,      /* import --key FILE --cert FILE [--root FILE] */
    COMMAND_GENERATE,    /* generate --subject TEXT --csr FILE [--root FILE] */
    COMMAND_IMPORT_CERT, /* import-cert --cert FILE [--root FILE] */
    COMMAND_LIST,        /* list */
};

struct provision_options {
    enum provision_command command;
    const char *key;
    const char *cert;
    const char *root;
    const char *subject;
    const char *csr;
    const char *pin;    /* never NULL after parsing */
    const char *store;  /* NULL: the module's default ($ALDER_PKCS11_DIR or ./alder_pkcs11) */
    const char *module; /* NULL: the linked libalder_pkcs11.so */
};

enum provision_parse {
    PARSE_OK,
    PARSE_HELP,  /* --help: usage printed */
    PARSE_USAGE, /* bad command line: one line on stderr */
};

enum provision_parse provision_options_parse(int argc, char **argv, struct provision_options *options);
void provision_options_usage(void);

#endif /* PROVISION_OPTIONS_H */
