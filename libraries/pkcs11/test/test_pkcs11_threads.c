/* Alder PKCS#11 host tests: four threads, each with its own session, use the module at once: signing with a shared
 * key, verifying, digesting, searching, and creating and destroying objects of their own.
 * It must never serialize the threads itself: they start together and only the module's lock orders them. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "pkcs11.h"
#include "pkcs11_test_util.h"
#include "pkcs11_test_vectors.h"

#define THREADS 4
#define ROUNDS 40

static pthread_barrier_t start;
static CK_OBJECT_HANDLE shared_private, shared_public;

struct worker {
    int index;
    int errors;
};

static void count_if(struct worker *w, bool failed, const char *what)
{
    if (failed) {
        w->errors++;
        printf("    thread %d: %s failed\n", w->index, what);
    }
}

/* One round: sign and verify with the shared key, a digest, a search, an object created and destroyed. */
static void round_of_work(struct worker *w, CK_SESSION_HANDLE session, int round)
{
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_BYTE digest[32];
    CK_ULONG length = sizeof(digest);
    count_if(w, !test_ecdsa_round_trip(session, shared_private, shared_public), "sign and verify");
    count_if(w,
             C_DigestInit(session, &sha) != CKR_OK ||
                 C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &length) != CKR_OK ||
                 memcmp(digest, kat_sha256_abc, 32) != 0,
             "digest");
    char label[32];
    snprintf(label, sizeof(label), "Thread %d round %d", w->index, round);
    CK_OBJECT_CLASS certificate = CKO_CERTIFICATE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &certificate, sizeof(certificate)},
                        {CKA_LABEL, label, strlen(label)},
                        {CKA_VALUE, (CK_VOID_PTR)kat_certificate, sizeof(kat_certificate)}};
    CK_OBJECT_HANDLE object = CK_INVALID_HANDLE, found[4];
    CK_ULONG n = 0;
    count_if(w, C_CreateObject(session, t, 3, &object) != CKR_OK, "create");
    count_if(w,
             C_FindObjectsInit(session, &t[1], 1) != CKR_OK || C_FindObjects(session, found, 4, &n) != CKR_OK ||
                 C_FindObjectsFinal(session) != CKR_OK || n != 1 || found[0] != object,
             "find own object");
    count_if(w, C_DestroyObject(session, object) != CKR_OK, "destroy");
    CK_BYTE random[16];
    count_if(w, C_GenerateRandom(session, random, sizeof(random)) != CKR_OK, "random");
}

static void *work(void *argument)
{
    struct worker *w = argument;
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    count_if(w, C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session) != CKR_OK, "open");
    pthread_barrier_wait(&start);
    for (int round = 0; round < ROUNDS; round++) {
        round_of_work(w, session, round);
    }
    count_if(w, C_CloseSession(session) != CKR_OK, "close");
    return NULL;
}

static void FourThreadsAtOnce(void)
{
    CK_C_INITIALIZE_ARGS args = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    CHECK_RV(C_Initialize(&args), CKR_OK);
    CK_SESSION_HANDLE owner = test_open_user_session(); /* the login holds for every session */
    CHECK_RV(test_generate_ec(owner, "Device Priv TLS Key", NULL, &shared_public, &shared_private), CKR_OK);
    pthread_barrier_init(&start, NULL, THREADS);
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){i, 0};
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(workers[i].errors == 0);
    }
    pthread_barrier_destroy(&start);
    CK_OBJECT_HANDLE found[8];
    CHECK(test_find(owner, CKO_CERTIFICATE, NULL, found, 8) == 0); /* every thread cleaned up */
    CK_TOKEN_INFO info;
    CHECK_RV(C_GetTokenInfo(0, &info), CKR_OK);
    CHECK(info.ulSessionCount == 1);
}

int main(void)
{
    RUN(Pkcs11Threads, FourThreadsAtOnce);
    return test_summary();
}
