package gprsppp_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// largestPackets records the largest IP packet a link sent and received.
type largestPackets struct {
	mu             sync.Mutex
	sent, received int
}

func (p *largestPackets) trace(sent bool, frame []byte) {
	proto, info, err := ppp.ParseFrame(frame)
	if err != nil || proto != ppp.ProtocolIPv4 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if sent {
		p.sent = max(p.sent, len(info))
	} else {
		p.received = max(p.received, len(info))
	}
}

// A client told its line runs at 9600 bit/s clamps the MSS of the SYNs
// crossing it, so that the segments of connections in both directions,
// dialled by either side, make packets of at most 232 octets (a 250 ms
// frame at that rate), though the network side knows no rate and the
// MTU is 1500. Without the rate, packets of about the MTU's size cross.
func TestLinkClampsMSS(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rate     int
		wantMost int // for "rate unknown", the least
	}{
		{"9600 bit/s", 960, 232},
		{"rate unknown", 0, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen largestPackets
			client, gw := openPair(t, gprsppp.Config{LineRate: tc.rate, Trace: seen.trace})
			echoEachWay(t, client, gw, 8<<10)
			seen.mu.Lock()
			defer seen.mu.Unlock()
			if tc.rate != 0 && (seen.sent > tc.wantMost || seen.received > tc.wantMost) {
				t.Errorf("largest packets sent %d, received %d: want at most %d", seen.sent, seen.received, tc.wantMost)
			}
			if tc.rate == 0 && (seen.sent < tc.wantMost || seen.received < tc.wantMost) {
				t.Errorf("largest packets sent %d, received %d: want segments of about the MTU", seen.sent, seen.received)
			}
		})
	}
}

// openPair opens a client link with cfg and a network side knowing no
// line rate back to back over a pipe.
func openPair(t *testing.T, cfg gprsppp.Config) (client, gw *gprsppp.Link) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	clientEnd, netEnd := ppptest.Pipe()
	gwc := make(chan *gprsppp.Link, 1)
	go func() {
		gw, err := gprsppp.OpenNetwork(ctx, netEnd, gprsppp.NetworkConfig{})
		if err != nil {
			t.Error(err)
		}
		gwc <- gw
	}()
	client, err := gprsppp.Open(ctx, clientEnd, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if gw = <-gwc; gw == nil {
		t.FailNow()
	}
	t.Cleanup(func() { gw.Close() })
	return client, gw
}

// echoOne echoes what the first connection l accepts sends.
func echoOne(l net.Listener) {
	c, err := l.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	io.Copy(c, c)
}

// echoEachWay opens one connection dialled by each side of a pair, to
// an echo on the other, and moves n octets both ways on each.
func echoEachWay(t *testing.T, client, gw *gprsppp.Link, n int) {
	t.Helper()
	l, err := client.Listen("tcp", ":2222")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	gl, err := gw.Listen("tcp", ":7")
	if err != nil {
		t.Fatal(err)
	}
	defer gl.Close()
	go echoOne(gl)
	go echoOne(l)
	exchangeN(t, n, func(ctx context.Context) (net.Conn, error) { return client.DialContext(ctx, "tcp", "10.64.64.1:7") })
	exchangeN(t, n, func(ctx context.Context) (net.Conn, error) {
		return gw.DialContext(ctx, "tcp", client.LocalAddr().String()+":2222")
	})
}

// exchangeN dials, sends n octets and reads them back.
func exchangeN(t *testing.T, n int, dial func(context.Context) (net.Conn, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	msg := make([]byte, n)
	for i := range msg {
		msg[i] = byte(i * 7 / 5)
	}
	go c.Write(msg)
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("echo: %v", err)
	}
}
