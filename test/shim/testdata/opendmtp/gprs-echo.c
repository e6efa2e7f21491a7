// gprs-echo is gprsppp's host for OpenDMTP's GPRS transport
// (src/custom/transport/gprs.c, unchanged): it runs the transport as
// OpenDMTP's protocol thread does, over the "CONSOLE" port (the modem is
// on stdin and stdout; the log goes to stderr), with the properties the
// transport reads given on the command line in place of OpenDMTP's
// property manager:
//
//	gprs-echo <apn> <tcp-host> <tcp-port> <udp-host> <udp-port>
//
// A duplex session (#OTCP) to <tcp-host>:<tcp-port>, an echo service,
// sends an ASCII-encoded DMTP packet and reads it back, then closes
// with ETX; a simplex session sends a packet as a datagram (#OUDP) to
// <udp-host>:<udp-port>; the connection then stops (#CONNECTIONSTOP).
// The exit status is 0 when every step succeeded.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custom/log.h"
#include "custom/transport.h"
#include "custom/transport/gprs.h"
#include "base/props.h"
#include "base/propman.h"

utBool blueCloseSocket();
void blueCloseCom();

static const char *apn, *host;
static UInt32 port;

const char *propGetString(Key_t key, const char *dft)
{
    switch (key) {
    case PROP_CFG_XPORT_PORT: return "CONSOLE";
    case PROP_COMM_HOST:      return host;
    case PROP_COMM_APN_NAME:  return apn;
    }
    return dft;
}

UInt32 propGetUInt32(Key_t key, UInt32 dft)
{
    return key == PROP_COMM_PORT ? port : dft;
}

utBool propGetBoolean(Key_t key, utBool dft)
{
    return dft;
}

static int fail(const char *step)
{
    fprintf(stderr, "gprs-echo: %s failed\n", step);
    return 1;
}

int main(int argc, char *argv[])
{
    static const char duplex[] = "$E030:0123456789ABCDEF\r";
    static const char simplex[] = "$E031:FEDCBA9876543210\r";
    UInt8 buf[600];

    if (argc != 6) {
        fprintf(stderr, "usage: gprs-echo <apn> <tcp-host> <tcp-port> <udp-host> <udp-port>\n");
        return 2;
    }
    apn = argv[1];
    logInitialize("gprs-echo");
    setDebugMode(utTrue);
    logSetLevel(SYSLOG_DEBUG); // the transport then also sends #DISPLAYIP and #VDNS

    const TransportFtns_t *x = gprs_transportInitialize();
    host = argv[2];
    port = strtoul(argv[3], 0, 10);
    if (!x->xportOpen(TRANSPORT_DUPLEX)) {
        return fail("duplex open");
    }
    if (x->xportWritePacket((const UInt8 *)duplex, strlen(duplex)) != (int)strlen(duplex)) {
        return fail("duplex write");
    }
    int n = x->xportReadPacket(buf, sizeof(buf));
    if (n <= 0 || strncmp((char *)buf, duplex, strlen(duplex) - 1) != 0) {
        return fail("duplex read");
    }
    x->xportClose(utFalse);
    if (!blueCloseSocket()) {
        return fail("duplex close");
    }

    host = argv[4];
    port = strtoul(argv[5], 0, 10);
    if (!x->xportOpen(TRANSPORT_SIMPLEX)) {
        return fail("simplex open");
    }
    if (x->xportWritePacket((const UInt8 *)simplex, strlen(simplex)) != (int)strlen(simplex)) {
        return fail("simplex write");
    }
    if (!x->xportClose(utTrue)) {
        return fail("simplex datagram");
    }
    blueCloseCom();
    fprintf(stderr, "gprs-echo: done\n");
    return 0;
}
