/* Alder TLS group: where its echo servers are and the test credentials embedded in the image, for every case file.
 * It must never hold values a board would change in code: ports come from the build (libraries/tls/test/CMakeLists.txt). */
#ifndef TLS_TEST_ENV_H
#define TLS_TEST_ENV_H

#include <stddef.h>

/* Where the echo servers are, as the board sees the host (a board under QEMU: 10.0.2.2). */
#ifndef TEST_ECHO_ADDRESS
#define TEST_ECHO_ADDRESS SOCKETS_inet_addr_quick(127, 0, 0, 1)
#endif
/* A good server, an expired one, one for another host, and one that demands a client certificate. */
#ifndef TEST_TLS_GOOD_PORT
#define TEST_TLS_GOOD_PORT 9002
#endif
#ifndef TEST_TLS_GOOD_PLAIN_PORT
#define TEST_TLS_GOOD_PLAIN_PORT 9005
#endif
#ifndef TEST_TLS_EXPIRED_PORT
#define TEST_TLS_EXPIRED_PORT 9003
#endif
#ifndef TEST_TLS_WRONGHOST_PORT
#define TEST_TLS_WRONGHOST_PORT 9004
#endif
#ifndef TEST_TLS_MUTUAL_PORT
#define TEST_TLS_MUTUAL_PORT 9008
#endif

/* tls_test_certs.c, generated at build time from tools/certs/make_certs.sh output (embed_certs.cmake). PEM arrays
 * count their NUL. The client keys are test keys, which the client-authentication cases store in the token. */
extern const unsigned char test_ca_pem[], test_ca_der[], test_untrusted_ca_pem[];
extern const size_t test_ca_pem_length, test_ca_der_length, test_untrusted_ca_pem_length;
extern const unsigned char test_client_ec_crt_der[], test_client_ec_key_der[];
extern const unsigned char test_client_rsa_crt_der[], test_client_rsa_key_der[];
extern const unsigned char test_client_untrusted_crt_der[], test_client_untrusted_key_der[];
extern const size_t test_client_ec_crt_der_length, test_client_ec_key_der_length;
extern const size_t test_client_rsa_crt_der_length, test_client_rsa_key_der_length;
extern const size_t test_client_untrusted_crt_der_length, test_client_untrusted_key_der_length;

#endif /* TLS_TEST_ENV_H */
