/* Alder PKCS#11: the OS shim (pkcs11_os.h) on the kernel's mutexes, for the module inside an RTOS image.
 * It must never be called from an interrupt, nor wait with a timeout: a module call holds the lock briefly. */
#include "FreeRTOS.h"
#include "pkcs11_os.h"
#include "semphr.h"

#if configUSE_MUTEXES != 1 || configSUPPORT_DYNAMIC_ALLOCATION != 1
#error "The PKCS#11 module in an RTOS image needs configUSE_MUTEXES 1 and configSUPPORT_DYNAMIC_ALLOCATION 1"
#endif

CK_RV pkcs11_os_mutex_create(CK_VOID_PTR_PTR mutex)
{
    if (mutex == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    SemaphoreHandle_t created = xSemaphoreCreateMutex();
    if (created == NULL) {
        return CKR_HOST_MEMORY;
    }
    *mutex = created;
    return CKR_OK;
}

CK_RV pkcs11_os_mutex_destroy(CK_VOID_PTR mutex)
{
    if (mutex == NULL) {
        return CKR_MUTEX_BAD;
    }
    vSemaphoreDelete((SemaphoreHandle_t)mutex);
    return CKR_OK;
}

CK_RV pkcs11_os_mutex_lock(CK_VOID_PTR mutex)
{
    if (mutex == NULL || xSemaphoreTake((SemaphoreHandle_t)mutex, portMAX_DELAY) != pdTRUE) {
        return CKR_MUTEX_BAD;
    }
    return CKR_OK;
}

/* The kernel refuses a give by a task that does not hold the mutex: that is the standard's "not locked". */
CK_RV pkcs11_os_mutex_unlock(CK_VOID_PTR mutex)
{
    if (mutex == NULL) {
        return CKR_MUTEX_BAD;
    }
    return xSemaphoreGive((SemaphoreHandle_t)mutex) == pdTRUE ? CKR_OK : CKR_MUTEX_NOT_LOCKED;
}
