/* Alder PKCS#11: the configuration of the host builds (the host test library and libalder_pkcs11.so).
 * It must never be used for a device: it sizes the module for a desktop and logs to stderr. */
#ifndef PKCS11_CONFIG_HOST_H
#define PKCS11_CONFIG_HOST_H

#include "pkcs11_host_log.h"

/* pkcs11-tool, the tests' four threads and a desktop's tools open more sessions than a device needs. */
#define PKCS11_CONFIG_MAX_SESSIONS 16
#define PKCS11_CONFIG_MAX_OBJECTS 32
#define PKCS11_CONFIG_LOG(message) pkcs11_host_log(message)

#endif /* PKCS11_CONFIG_HOST_H */
