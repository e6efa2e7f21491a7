package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// Sources of the allow-list tests' inbound connections: one the host's
// list admits, one it does not.
const (
	allowedSource = "192.168.1.7"
	refusedSource = "172.16.0.9"
)

// strictHost drives a shim host over TCP and takes every line the shim
// sends: a line other than the one expected fails the test.
type strictHost struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

// dialStrictHost connects to a shim's tcp:// listener.
func dialStrictHost(t *testing.T, addr string) *strictHost {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(3 * inboundTimeout))
	return &strictHost{t: t, c: c, r: bufio.NewReader(c)}
}

// next is the next non-empty line, without its CR LF.
func (h *strictHost) next() string {
	h.t.Helper()
	for {
		line, err := h.r.ReadString('\n')
		if err != nil {
			h.t.Fatalf("read a line: %q, %v", line, err)
		}
		if l := strings.TrimRight(line, "\r\n"); l != "" {
			return l
		}
	}
}

// expect takes the next line, which must be want.
func (h *strictHost) expect(want string) {
	h.t.Helper()
	if got := h.next(); got != want {
		h.t.Fatalf("got line %q, want %q", got, want)
	}
}

// at sends cmd (echo off) and takes exactly the lines wants.
func (h *strictHost) at(cmd string, wants ...string) {
	h.t.Helper()
	if _, err := io.WriteString(h.c, cmd+"\r"); err != nil {
		h.t.Fatal(err)
	}
	for _, w := range wants {
		h.expect(w)
	}
}

// refusedInbound opens a --sim-inbound connection that the client's
// listener must refuse: it ends without a byte.
func refusedInbound(t *testing.T, addr string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(inboundTimeout))
	got, err := io.ReadAll(c)
	if errors.Is(err, os.ErrDeadlineExceeded) || len(got) != 0 {
		t.Fatalf("a connection from %s: read %q, %v; want it closed at once", refusedSource, got, err)
	}
}

// allowedInbound opens a --sim-inbound connection that the client's
// listener must take.
func allowedInbound(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(inboundTimeout))
	return c
}

// exchange carries a message each way between the remote end of a
// bridged connection and the host, byte for byte.
func exchange(t *testing.T, h *strictHost, remote net.Conn) {
	t.Helper()
	in, out := "from the network\x10\x03", "from the host"
	if _, err := io.WriteString(remote, in); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(in))
	if _, err := io.ReadFull(h.r, got); err != nil || string(got) != in {
		t.Fatalf("the host read %q, %v; want %q", got, err, in)
	}
	if _, err := io.WriteString(h.c, out); err != nil {
		t.Fatal(err)
	}
	back := make([]byte, len(out))
	if _, err := io.ReadFull(remote, back); err != nil || string(back) != out {
		t.Fatalf("the remote end read %q, %v; want %q", back, err, out)
	}
}

// shim --sim with --sim-inbound from two sources: the allow-lists of the
// Telit (AT#FRWL) and Multi-Tech (AT#TCPSERV) listening sockets admit the
// connection the simulated network opens from an allowed source and
// refuse the one from another, and the host hears only of the first.
func TestShimSimInboundAllowLists(t *testing.T) {
	start := func(t *testing.T, dialect string, port string) (h *strictHost, allowed, refused string) {
		addr := freeAddr(t)
		allowed, refused = freeAddr(t), freeAddr(t)
		startShim(t, shimFlags{
			modem: connectFlags{simInbound: []string{
				allowed + ":" + port + "@" + allowedSource,
				refused + ":" + port + "@" + refusedSource,
			}},
			listen: []string{"tcp://" + addr + ",dialect=" + dialect},
		}, "ready")
		h = dialStrictHost(t, addr)
		h.at("ATE0", "ATE0", "OK") // echoed while echo is still on
		return h, allowed, refused
	}

	t.Run("telit", func(t *testing.T) {
		h, allowed, refused := start(t, "telit", "23")
		h.at(`AT#FRWL=1,"192.168.1.1","255.255.255.0"`, "OK")
		h.at(`AT+CGDCONT=1,IP,"internet"`, "OK")
		h.at("AT#SGACT=1,1", "#SGACT: "+simClientAddr.String(), "OK")
		// txTo 100 ms: online data goes out a tenth of a second after the
		// host's last byte rather than the default five.
		h.at("AT#SCFG=1,1,300,90,600,1", "OK")
		h.at("AT#SL=1,1,23", "OK")

		refusedInbound(t, refused)
		// Still listening with no connection waiting, and no SRING.
		h.at("AT#SS=1", "#SS: 1,4,"+simClientAddr.String()+",23,0.0.0.0,0", "OK")

		remote := allowedInbound(t, allowed)
		h.expect("SRING: 1")
		h.at("AT#SS=1")
		if l := h.next(); !strings.HasPrefix(l, "#SS: 1,5,"+simClientAddr.String()+",23,"+allowedSource+",") {
			t.Fatalf("AT#SS=1 with a connection waiting: %q", l)
		}
		h.expect("OK")
		h.at("AT#SA=1,0", "CONNECT")
		exchange(t, h, remote)
		remote.Close()
		h.expect("NO CARRIER")
		h.at("AT#SS=1", "#SS: 1,0", "OK")
	})

	t.Run("multitech", func(t *testing.T) {
		h, allowed, refused := start(t, "multitech", "2020")
		h.at(`AT#APNSERV="internet"`, "OK")
		h.at("AT#CONNECTIONSTART", simClientAddr.String(), "Ok_Info_GprsActivation")
		h.at(`AT#TCPSERV=1,"`+allowedSource+`"`, "OK")
		h.at("AT#TCPPORT=1,2020", "OK")
		h.at("AT#DLEMODE=1,0", "OK")
		h.at("AT#LTCPSTART=1", "OK")

		refusedInbound(t, refused)
		h.at("AT", "OK") // still in command mode: no Ok_Info_WaitingForData

		remote := allowedInbound(t, allowed)
		h.expect("Ok_Info_WaitingForData")
		exchange(t, h, remote)
		remote.Close()
		h.expect("Ok_Info_SocketClosed")
		h.at("AT#CONNECTIONSTOP", "OK")
	})
}
