/*
 * gprsppp's test program for attentive's Telit driver (telit2.c): it
 * attaches, opens the PDP context, connects socket 1 to HOST:PORT in
 * command mode, sends the bytes of its standard input, waits for the
 * acknowledgement, reads the same number of bytes back (an echo service)
 * and writes them to the file OUT, then closes the socket and the context
 * (attentive logs the dialogue on standard output).
 * Usage: telit-echo DEVICE APN HOST PORT OUT < data
 * It is not part of attentive; the rest of this directory is attentive
 * at the revision in REVISION, unchanged (license: COPYING).
 */

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <attentive/at-unix.h>
#include <attentive/cellular.h>

static void fail(const char *what)
{
    fprintf(stderr, "telit-echo: %s: %s\n", what, strerror(errno));
    exit(1);
}

int main(int argc, char *argv[])
{
    if (argc != 6) {
        fprintf(stderr, "usage: telit-echo DEVICE APN HOST PORT OUT\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* the log in order with the reader thread's */
    static char data[8192];
    size_t len = fread(data, 1, sizeof(data), stdin);

    struct at *at = at_alloc_unix(argv[1], B115200);
    struct cellular *modem = cellular_telit2_alloc();
    if (at_open(at) != 0)
        fail("open");
    if (cellular_attach(modem, at, argv[2]) != 0)
        fail("attach");

    /* telit2's "#CCID: %[0-9]%ds" has no width on the scan set (the %d
     * lands after it as literal text), so the buffer must hold the whole
     * ICCID: 20 digits overflow CELLULAR_ICCID_LENGTH+1. */
    char iccid[64];
    if (modem->ops->iccid(modem, iccid, sizeof(iccid)) != 0)
        fail("iccid");
    fprintf(stderr, "iccid: %s\n", iccid);

    int socket = 1;
    if (modem->ops->socket_connect(modem, socket, argv[3], atoi(argv[4])) != 0)
        fail("connect");
    for (size_t off = 0; off < len; ) {
        size_t n = len - off > 500 ? 500 : len - off;
        if (modem->ops->socket_send(modem, socket, data + off, n, 0) != (ssize_t) n)
            fail("send");
        off += n;
    }
    if (modem->ops->socket_waitack(modem, socket) != 0)
        fail("waitack");

    static char back[8192];
    size_t got = 0;
    for (int tries = 0; got < len && tries < 100; tries++) {
        ssize_t n = modem->ops->socket_recv(modem, socket, back + got, len - got, 0);
        if (n < 0)
            fail("recv");
        if (n == 0)
            usleep(100000);
        got += n;
    }
    FILE *out = fopen(argv[5], "wb");
    if (out == NULL || fwrite(back, 1, got, out) != got || fclose(out) != 0)
        fail("write OUT");

    if (modem->ops->socket_close(modem, socket) != 0)
        fail("close");
    if (modem->ops->pdp_close(modem) != 0)
        fail("pdp close");
    cellular_detach(modem);
    /* No at_close: it sometimes waits forever for the reader thread it
     * interrupts with SIGUSR1. Exiting ends that thread. */
    return 0;
}
