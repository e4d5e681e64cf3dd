/* Echo server options: what the command line and the `--config FILE` lines set, with their defaults.
 * It must never open a socket or read a certificate: it checks the syntax and ranges, the server checks the rest. */
#ifndef ECHO_OPTIONS_H
#define ECHO_OPTIONS_H

#include <stdbool.h>

#define ECHO_DEFAULT_TLS_PORT 9000u
#define ECHO_DEFAULT_PLAIN_PORT 9001u
#define ECHO_DEFAULT_IDLE_TIMEOUT 30u
#define ECHO_DEFAULT_MAX_CONNECTIONS 256u
#define ECHO_MAX_IDLE_TIMEOUT 86400u
#define ECHO_MAX_CONNECTIONS_LIMIT 65536u

enum echo_verbosity {
    ECHO_QUIET,   /* errors only */
    ECHO_NORMAL,  /* start, stop, refused and failed connections */
    ECHO_VERBOSE, /* every connection, and the length of every chunk (never its bytes) */
};

struct echo_options {
    unsigned tls_port;   /* 0: any free port */
    unsigned plain_port; /* 0: any free port */
    char *bind;          /* numeric IPv4 or IPv6 address */
    char *ca;            /* PEM file; NULL when not given */
    char *cert;
    char *key;
    bool verify_client;       /* true: a client certificate is required and verified against ca */
    unsigned idle_timeout;    /* seconds without a byte moved before a connection is closed; 0: never */
    unsigned max_connections; /* connections open at once; more are accepted and closed at once */
    enum echo_verbosity verbosity;
};

enum echo_options_status {
    ECHO_OPTIONS_OK,
    ECHO_OPTIONS_HELP,  /* --help: usage printed to stdout */
    ECHO_OPTIONS_ERROR, /* message printed to stderr */
};

/* Fills opts from the defaults, then the config file (if --config is given), then the other flags: a flag on
 * the command line wins over the same key in the file. After ECHO_OPTIONS_OK the strings in opts are the
 * caller's: echo_options_free them. After HELP or ERROR nothing is left to free. */
enum echo_options_status echo_options_parse(int argc, char **argv, struct echo_options *opts);
void echo_options_free(struct echo_options *opts);
void echo_options_usage(const char *program);

#endif
