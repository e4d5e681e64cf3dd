/* Alder PKCS#11: the log hook of the host builds: a line to stderr, or to a sink a test installs.
 * It must never format or store what it is given: the module and the PAL pass finished lines without secrets. */
#ifndef PKCS11_HOST_LOG_H
#define PKCS11_HOST_LOG_H

/* Write message and a newline to stderr, or hand it to the sink when one is set. */
void pkcs11_host_log(const char *message);

/* Send every later message to sink instead of stderr (NULL: back to stderr). Tests use it to see reports. */
void pkcs11_host_log_set_sink(void (*sink)(const char *message));

#endif /* PKCS11_HOST_LOG_H */
