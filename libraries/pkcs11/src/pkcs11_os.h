/* Alder PKCS#11: the module's own lock, for applications that let it use the operating system's (the OS shim).
 * It must never hold more than a mutex: one implementation per OS (pkcs11_os_pthread.c for host builds). */
#ifndef PKCS11_OS_H
#define PKCS11_OS_H

#include "pkcs11.h"

/*
 * The four functions have the types of the CK_C_INITIALIZE_ARGS callbacks, so the module treats the OS
 * lock and an application's lock alike.
 * create: *mutex gets a new unlocked, non-recursive mutex. CKR_OK; CKR_ARGUMENTS_BAD if mutex is NULL;
 *         CKR_HOST_MEMORY if none could be made.
 * destroy: releases an unlocked mutex from create. CKR_OK; CKR_MUTEX_BAD if mutex is NULL.
 * lock:   waits until the calling thread holds it. CKR_OK; CKR_MUTEX_BAD if mutex is NULL or broken.
 * unlock: releases it. CKR_OK; CKR_MUTEX_BAD if mutex is NULL; CKR_MUTEX_NOT_LOCKED where the OS can tell.
 * They are called from tasks or threads only, never from an interrupt.
 */
CK_RV pkcs11_os_mutex_create(CK_VOID_PTR_PTR mutex);
CK_RV pkcs11_os_mutex_destroy(CK_VOID_PTR mutex);
CK_RV pkcs11_os_mutex_lock(CK_VOID_PTR mutex);
CK_RV pkcs11_os_mutex_unlock(CK_VOID_PTR mutex);

#endif /* PKCS11_OS_H */
