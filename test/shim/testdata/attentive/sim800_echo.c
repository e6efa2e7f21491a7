/*
 * A small host for attentive's SIM800 driver (src/modem/sim800.c, copied
 * unchanged beside this file with its licence, COPYING): attach, open the
 * PDP context, connect to an echo service, send every octet value, read
 * the echo back with AT+CIPRXGET=2, wait for the acknowledgement, close
 * and shut the context, as src/example-sim800.c does with google.com.
 * This file belongs to gprsppp's tests, not to attentive.
 *
 * Usage: sim800-echo <tty> <apn> <host> <port>
 * Prints "attentive: echo ok" and exits 0 on success.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <attentive/at-unix.h>
#include <attentive/cellular.h>

#define ECHO_LEN 512

static int fail(const char *what)
{
    printf("attentive: %s failed: %s\n", what, strerror(errno));
    fflush(stdout);
    return 1;
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 5) {
        fprintf(stderr, "usage: %s tty apn host port\n", argv[0]);
        return 2;
    }
    struct at *at = at_alloc_unix(argv[1], B115200);
    struct cellular *modem = cellular_sim800_alloc();
    if (at_open(at) != 0)
        return fail("at_open");
    if (cellular_attach(modem, at, argv[2]) != 0)
        return fail("attach");

    int creg = modem->ops->creg(modem);
    printf("attentive: registration %d\n", creg);

    int socket = 2;
    if (modem->ops->socket_connect(modem, socket, argv[3], atoi(argv[4])) != 0)
        return fail("socket_connect");

    static char out[ECHO_LEN], in[ECHO_LEN];
    for (int i = 0; i < ECHO_LEN; i++)
        out[i] = (char) (i % 256);
    if (modem->ops->socket_send(modem, socket, out, sizeof(out), 0) != (ssize_t) sizeof(out))
        return fail("socket_send");

    int got = 0;
    for (int tries = 0; got < ECHO_LEN && tries < 200; tries++) {
        ssize_t n = modem->ops->socket_recv(modem, socket, in + got, ECHO_LEN - got, 0);
        if (n < 0)
            return fail("socket_recv");
        if (n == 0)
            usleep(100 * 1000);
        got += n;
    }
    if (got != ECHO_LEN || memcmp(in, out, ECHO_LEN) != 0) {
        printf("attentive: echo differs (%d octets)\n", got);
        return 1;
    }
    if (modem->ops->socket_waitack(modem, socket) != 0)
        return fail("socket_waitack");
    if (modem->ops->socket_close(modem, socket) != 0)
        return fail("socket_close");
    if (modem->ops->pdp_close(modem) != 0)
        return fail("pdp_close");
    cellular_detach(modem);
    at_close(at);
    cellular_sim800_free(modem);
    /* No at_free: its reader thread waits on a condition that at_free
     * never signals (it only sends SIGUSR1), so the join would hang. The
     * process exit ends the thread. */
    printf("attentive: echo ok\n");
    return 0;
}
