/* Alder PKCS#11: the configuration of the module inside an RTOS image (the default sizes, reports on the console).
 * It must never raise a size beyond what the minimum device can hold: a product sets its own PKCS11_CONFIG_FILE. */
#ifndef PKCS11_CONFIG_RTOS_H
#define PKCS11_CONFIG_RTOS_H

/* One line through the board's console (docs/porting/logging.md); the module's lines never hold secrets. */
void pkcs11_rtos_log(const char *message);
#define PKCS11_CONFIG_LOG(message) pkcs11_rtos_log(message)

#endif /* PKCS11_CONFIG_RTOS_H */
