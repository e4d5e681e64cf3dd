/* Alder PKCS#11: the module's report lines on the board's console, inside an RTOS image.
 * It must never format what it is given: the module passes finished lines that hold no secrets. */
#include "FreeRTOS.h"
#include "pkcs11_config_rtos.h"

void pkcs11_rtos_log(const char *message)
{
    configPRINT_STRING("pkcs11: ");
    configPRINT_STRING(message);
    configPRINT_STRING("\n");
}
