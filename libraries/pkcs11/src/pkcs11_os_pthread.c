/* Alder PKCS#11: the OS shim on POSIX threads, for the host library and the host tests.
 * It must never be built into a device image: a device uses the kernel's mutexes (a FreeRTOS shim, later). */
#define _XOPEN_SOURCE 700 /* PTHREAD_MUTEX_ERRORCHECK, even in strict C99 mode */
#include "pkcs11_os.h"

#include <pthread.h>
#include <stdlib.h>

/* Allocated: this file only ever runs on a host, where malloc is the ordinary way to get one. */
CK_RV pkcs11_os_mutex_create(CK_VOID_PTR_PTR mutex)
{
    if (mutex == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    pthread_mutex_t *m = malloc(sizeof(*m));
    if (m == NULL) {
        return CKR_HOST_MEMORY;
    }
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    /* Error checking: an unlock by the wrong thread is reported, not undefined. */
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_ERRORCHECK);
    int error = pthread_mutex_init(m, &attributes);
    pthread_mutexattr_destroy(&attributes);
    if (error != 0) {
        free(m);
        return CKR_HOST_MEMORY;
    }
    *mutex = m;
    return CKR_OK;
}

CK_RV pkcs11_os_mutex_destroy(CK_VOID_PTR mutex)
{
    if (mutex == NULL) {
        return CKR_MUTEX_BAD;
    }
    pthread_mutex_destroy(mutex);
    free(mutex);
    return CKR_OK;
}

CK_RV pkcs11_os_mutex_lock(CK_VOID_PTR mutex)
{
    if (mutex == NULL || pthread_mutex_lock(mutex) != 0) {
        return CKR_MUTEX_BAD;
    }
    return CKR_OK;
}

CK_RV pkcs11_os_mutex_unlock(CK_VOID_PTR mutex)
{
    if (mutex == NULL) {
        return CKR_MUTEX_BAD;
    }
    return pthread_mutex_unlock(mutex) == 0 ? CKR_OK : CKR_MUTEX_NOT_LOCKED;
}
