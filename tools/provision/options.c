/* alder_provision options: reads the subcommand and its flags (--name VALUE or --name=VALUE, in any order).
 * It must never accept a flag the chosen subcommand does not use, nor print the PIN in a message. */
#include "options.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Which subcommands a flag belongs to (bits of 1 << enum provision_command), and which require it. */
#define FOR(command) (1u << (command))
#define ALL_COMMANDS (FOR(COMMAND_IMPORT) | FOR(COMMAND_GENERATE) | FOR(COMMAND_IMPORT_CERT) | FOR(COMMAND_LIST))

struct flag {
    const char *name;
    unsigned allowed;
    unsigned required;
    size_t offset; /* of its const char * in struct provision_options */
};

static const struct flag flags[] = {
    {"key", FOR(COMMAND_IMPORT), FOR(COMMAND_IMPORT), offsetof(struct provision_options, key)},
    {"cert", FOR(COMMAND_IMPORT) | FOR(COMMAND_IMPORT_CERT), FOR(COMMAND_IMPORT) | FOR(COMMAND_IMPORT_CERT),
     offsetof(struct provision_options, cert)},
    {"root", FOR(COMMAND_IMPORT) | FOR(COMMAND_GENERATE) | FOR(COMMAND_IMPORT_CERT), 0,
     offsetof(struct provision_options, root)},
    {"subject", FOR(COMMAND_GENERATE), FOR(COMMAND_GENERATE), offsetof(struct provision_options, subject)},
    {"csr", FOR(COMMAND_GENERATE), FOR(COMMAND_GENERATE), offsetof(struct provision_options, csr)},
    {"pin", ALL_COMMANDS, 0, offsetof(struct provision_options, pin)},
    {"store", ALL_COMMANDS, 0, offsetof(struct provision_options, store)},
    {"module", ALL_COMMANDS, 0, offsetof(struct provision_options, module)},
};

#define FLAG_COUNT (sizeof flags / sizeof flags[0])

static const char *const command_names[] = {
    [COMMAND_NONE] = "",
    [COMMAND_IMPORT] = "import",
    [COMMAND_GENERATE] = "generate",
    [COMMAND_IMPORT_CERT] = "import-cert",
    [COMMAND_LIST] = "list",
};

void provision_options_usage(void)
{
    printf("usage: alder_provision COMMAND [options]\n"
           "  Puts a device's key, certificate and root CA into a PKCS#11 token (by default Alder's module,\n"
           "  whose store on the posix board is the directory $ALDER_PKCS11_DIR), or makes the key in the token\n"
           "  and writes a CSR for it. It never prints key material.\n"
           "commands:\n"
           "  import --key FILE --cert FILE [--root FILE]\n"
           "        store a private key (EC P-256 or RSA-2048, PEM or DER) and its certificate, checked to match\n"
           "        before anything is stored; optionally the root CA certificate\n"
           "  generate --subject \"CN=...\" --csr OUT.pem [--root FILE]\n"
           "        make an EC P-256 key pair inside the token and write a CSR (SHA-256) the token signs;\n"
           "        --csr - writes it to standard output\n"
           "  import-cert --cert FILE [--root FILE]\n"
           "        store the certificate signed for the token's key, after checking it is for that key\n"
           "  list  the objects in the token: label, class, key type; never values\n"
           "options:\n"
           "  --pin PIN      the token's user PIN (default %s, the module's default)\n"
           "  --store DIR    the store directory: sets ALDER_PKCS11_DIR for Alder's module\n"
           "  --module PATH  drive another PKCS#11 module (a .so) instead of the linked libalder_pkcs11.so\n"
           "  --help         this text\n"
           "labels: \"Device Priv TLS Key\", \"Device Pub TLS Key\", \"Device Cert\", \"Root Cert\"\n"
           "exit status: 0 done, 1 failed (nothing changed unless the message says so), 2 bad command line\n",
           PROVISION_DEFAULT_PIN);
}

static void usage_error(const char *what, const char *name)
{
    fprintf(stderr, "alder_provision: %s%s; see alder_provision --help\n", what, name);
}

static const struct flag *find_flag(const char *name, size_t length)
{
    for (size_t i = 0; i < FLAG_COUNT; i++) {
        if (strlen(flags[i].name) == length && strncmp(flags[i].name, name, length) == 0) {
            return &flags[i];
        }
    }
    return NULL;
}

static enum provision_command find_command(const char *word)
{
    for (size_t i = COMMAND_IMPORT; i <= COMMAND_LIST; i++) {
        if (strcmp(word, command_names[i]) == 0) {
            return (enum provision_command)i;
        }
    }
    return COMMAND_NONE;
}

static const char **slot_of(struct provision_options *options, const struct flag *flag)
{
    return (const char **)((char *)options + flag->offset);
}

/* One "--name VALUE" or "--name=VALUE" at argv[*at]; advances *at past what it used. */
static bool take_flag(int argc, char **argv, int *at, struct provision_options *options)
{
    const char *name = argv[*at] + 2;
    const char *equals = strchr(name, '=');
    size_t length = equals != NULL ? (size_t)(equals - name) : strlen(name);
    const struct flag *flag = find_flag(name, length);
    if (flag == NULL) {
        usage_error("unknown option ", argv[*at]);
        return false;
    }
    const char *value = equals != NULL ? equals + 1 : (*at + 1 < argc ? argv[*at + 1] : NULL);
    /* "--csr --root x" is a forgotten value far more often than a file named "--root": --csr=--root says the latter. */
    bool forgotten = equals == NULL && value != NULL && strncmp(value, "--", 2) == 0;
    if (value == NULL || value[0] == '\0' || forgotten) {
        usage_error("a value is missing after --", flag->name);
        return false;
    }
    if (*slot_of(options, flag) != NULL) {
        usage_error("given twice: --", flag->name);
        return false;
    }
    *slot_of(options, flag) = value;
    *at += equals != NULL ? 1 : 2;
    return true;
}

/* Every flag given belongs to the command, and every flag it needs is there. */
static bool check_flags(struct provision_options *options)
{
    unsigned bit = FOR(options->command);
    for (size_t i = 0; i < FLAG_COUNT; i++) {
        bool given = *slot_of(options, &flags[i]) != NULL;
        if (given && !(flags[i].allowed & bit)) {
            fprintf(stderr, "alder_provision: --%s is not an option of %s; see alder_provision --help\n", flags[i].name,
                    command_names[options->command]);
            return false;
        }
        if (!given && (flags[i].required & bit)) {
            fprintf(stderr, "alder_provision: %s needs --%s; see alder_provision --help\n",
                    command_names[options->command], flags[i].name);
            return false;
        }
    }
    return true;
}

static enum provision_parse parse_words(int argc, char **argv, struct provision_options *options)
{
    int at = 1;
    while (at < argc) {
        const char *word = argv[at];
        if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0) {
            provision_options_usage();
            return PARSE_HELP;
        }
        if (strncmp(word, "--", 2) == 0) {
            if (!take_flag(argc, argv, &at, options)) {
                return PARSE_USAGE;
            }
            continue;
        }
        if (options->command != COMMAND_NONE) {
            usage_error("unexpected argument: ", word);
            return PARSE_USAGE;
        }
        options->command = find_command(word);
        if (options->command == COMMAND_NONE) {
            usage_error("unknown command: ", word);
            return PARSE_USAGE;
        }
        at++;
    }
    return PARSE_OK;
}

enum provision_parse provision_options_parse(int argc, char **argv, struct provision_options *options)
{
    memset(options, 0, sizeof *options);
    enum provision_parse parsed = parse_words(argc, argv, options);
    if (parsed != PARSE_OK) {
        return parsed;
    }
    if (options->command == COMMAND_NONE) {
        usage_error("no command given (import, generate, import-cert or list)", "");
        return PARSE_USAGE;
    }
    if (!check_flags(options)) {
        return PARSE_USAGE;
    }
    if (options->pin == NULL) {
        options->pin = PROVISION_DEFAULT_PIN;
    }
    return PARSE_OK;
}
