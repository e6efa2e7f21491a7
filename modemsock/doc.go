// Package modemsock is the socket core under the emulated modems' TCP/IP
// personalities: the sockets a host opens with a dialect's commands
// (Quectel AT+QIOPEN, SIMCom AT+CIPSTART, Telit AT#SD...), run over a
// Network, the host-side TCP/IP stack of a PPP link.
//
// It is modelled on Zephyr's drivers/modem/modem_socket.h: the core owns
// each socket's connection, its receive buffer and its send queue, and
// reports what happens to it as Events; the dialect (Zephyr's
// quectel-bg9x.c, here a dialect of package shim: the M95, the BG96) decides
// what the host sees. The core never prints a dialect's text.
//
// Received data is never dropped on a stream socket: each socket holds at
// most Config.RecvBuffer bytes, and its reader reads no more than the
// buffer has room for, so that TCP's flow control holds the peer back
// until the embedder Reads. Writes go through a queue served in order by
// one writer per socket, whose counters answer "how much was sent, how
// much acknowledged" (Quectel AT+QISACK, Telit AT#SI).
//
// Wiring: the embedder runs one goroutine that owns its module state and
// gives New a Post function running closures on it; every Event, and every
// method of Core and Socket, belongs to that goroutine. Close the Core
// when the host goes away.
package modemsock
