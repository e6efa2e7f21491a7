package dnsserver

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/dns/dnsmessage"
)

// The tests serve on host loopback sockets; the netstack tests cover the
// same code on gVisor sockets.

func TestServe(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- testServer.Serve(pc) }()

	c, err := net.Dial("udp4", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Junk first: the server must ignore it and keep serving.
	c.Write([]byte{1, 2, 3})
	c.Write(query(77, 0, question("modem.example.", dnsmessage.TypeA)))
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1500)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	want := &result{ID: 77, Authoritative: true, RecursionDesired: true,
		Questions: []string{"modem.example."}, Addrs: []netip.Addr{netip.MustParseAddr("192.0.2.1")}}
	if diff := cmp.Diff(want, decode(t, buf[:n]), cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("reply (-want +got):\n%s", diff)
	}

	pc.Close()
	if err := <-served; err != nil {
		t.Errorf("Serve returned %v after the socket closed, want nil", err)
	}
}

// exchangeTCP sends one length-prefixed message and reads one reply.
func exchangeTCP(c net.Conn, msg []byte) ([]byte, error) {
	out := binary.BigEndian.AppendUint16(nil, uint16(len(msg)))
	if _, err := c.Write(append(out, msg...)); err != nil {
		return nil, err
	}
	var size [2]byte
	if _, err := io.ReadFull(c, size[:]); err != nil {
		return nil, err
	}
	reply := make([]byte, binary.BigEndian.Uint16(size[:]))
	_, err := io.ReadFull(c, reply)
	return reply, err
}

func TestServeTCP(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- testServer.ServeTCP(l) }()

	c, err := net.Dial("tcp4", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	// Two queries on one connection (RFC 7766 §6.2.1), the second one
	// too big for UDP.
	for i, name := range []string{"modem.example.", "many.example."} {
		reply, err := exchangeTCP(c, query(uint16(i), 0, question(name, dnsmessage.TypeA)))
		if err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
		if got := decode(t, reply); got.Truncated || len(got.Addrs) == 0 {
			t.Errorf("query %d: reply %+v, want a complete answer", i, got)
		}
	}

	// Closing the listener closes the idle connection and returns nil.
	l.Close()
	if err := <-served; err != nil {
		t.Errorf("ServeTCP returned %v after the listener closed, want nil", err)
	}
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("connection still open after ServeTCP returned")
	}
}

func TestServeTCPJunk(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- testServer.ServeTCP(l) }()
	defer func() {
		l.Close()
		<-served
	}()
	c, err := net.Dial("tcp4", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	// A reply is never answered: the server hangs up instead.
	msg := query(1, 0, question("modem.example.", dnsmessage.TypeA))
	msg[2] |= 0x80
	if _, err := exchangeTCP(c, msg); !errors.Is(err, io.EOF) {
		t.Errorf("err = %v, want EOF from the server closing", err)
	}
}
