package netstack_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// discard is a Writer that drops nothing and keeps nothing.
type discard struct{}

func (discard) WritePacket([]byte) error { return nil }

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		cfg     netstack.Config
		wantErr bool
		wantMTU uint32
	}{
		{"defaults", netstack.Config{LocalAddr: addrA, Out: discard{}}, false, 1500},
		{"negotiated MTU", netstack.Config{LocalAddr: addrA, Out: discard{}, MTU: 576}, false, 576},
		{"promiscuous", netstack.Config{LocalAddr: addrA, Out: discard{}, Promiscuous: true}, false, 1500},
		{"no IPv4 address (IPv6 only)", netstack.Config{Out: discard{}}, false, 1500},
		{"IPv6 address", netstack.Config{LocalAddr: netip.MustParseAddr("2001:db8::1"), Out: discard{}}, true, 0},
		{"no writer", netstack.Config{LocalAddr: addrA}, true, 0},
		{"tiny MTU", netstack.Config{LocalAddr: addrA, Out: discard{}, MTU: 67}, true, 0},
		{"IPv6 DNS server", netstack.Config{LocalAddr: addrA, Out: discard{},
			DNSServers: []netip.Addr{netip.MustParseAddr("2001:db8::53")}}, false, 1500},
		{"invalid DNS server", netstack.Config{LocalAddr: addrA, Out: discard{}, DNSServers: []netip.Addr{{}}}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGoroutines(t)
			s, err := netstack.New(tt.cfg)
			if tt.wantErr {
				if err == nil {
					s.Close()
					t.Fatal("New succeeded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.MTU() != tt.wantMTU || s.LocalAddr() != tt.cfg.LocalAddr {
				t.Errorf("MTU, LocalAddr = %d, %v; want %d, %v", s.MTU(), s.LocalAddr(), tt.wantMTU, tt.cfg.LocalAddr)
			}
		})
	}
}

func TestClose(t *testing.T) {
	a, b := pair(t)
	l := listen(t, a, ":80")
	acceptErr := make(chan error, 1)
	go func() {
		_, err := l.Accept()
		acceptErr <- err
	}()
	c := dialDiscard(t, a, b)
	readErr := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		readErr <- err
	}()

	for i := range 2 {
		if err := a.Close(); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	if err := <-acceptErr; !errors.Is(err, net.ErrClosed) {
		t.Errorf("blocked Accept: err = %v, want net.ErrClosed", err)
	}
	if err := <-readErr; err == nil {
		t.Error("blocked Read succeeded after the stack closed")
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"DialContext": func() error { _, err := a.DialContext(ctx, "tcp", "192.0.2.2:7"); return err },
		"Listen":      func() error { _, err := a.Listen("tcp", ":81"); return err },
		"ListenPacket": func() error {
			_, err := a.ListenPacket("udp", ":81")
			return err
		},
		"LookupNetIP": func() error { _, err := a.LookupNetIP(ctx, "example.com"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s after Close: err = %v, want net.ErrClosed", name, err)
		}
	}
}

func TestPromiscuous(t *testing.T) {
	checkGoroutines(t)
	a, b := netstacktest.PairConfig(t,
		netstack.Config{LocalAddr: addrA},
		netstack.Config{LocalAddr: addrB, Promiscuous: true})
	l := listen(t, b, ":80")
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	c, err := a.DialContext(context.Background(), "tcp", "203.0.113.5:80")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := <-accepted
	if s == nil {
		t.Fatal("Accept failed")
	}
	defer s.Close()
	if got := s.LocalAddr().String(); got != "203.0.113.5:80" {
		t.Errorf("accepted connection's local address = %s, want the dialled 203.0.113.5:80", got)
	}
}

func TestBadArguments(t *testing.T) {
	a, _ := pair(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"dial unknown network", func() error { _, err := a.DialContext(ctx, "tcp6", "192.0.2.2:7"); return err }},
		{"dial IPv6 literal", func() error { _, err := a.DialContext(ctx, "tcp", "[2001:db8::1]:7"); return err }},
		{"dial without port", func() error { _, err := a.DialContext(ctx, "tcp", "192.0.2.2"); return err }},
		{"dial named port", func() error { _, err := a.DialContext(ctx, "tcp", "192.0.2.2:http"); return err }},
		{"listen udp", func() error { _, err := a.Listen("udp", ":7"); return err }},
		{"listen on a name", func() error { _, err := a.Listen("tcp", "example.com:7"); return err }},
		{"listen on a foreign address", func() error { _, err := a.Listen("tcp", "198.51.100.1:7"); return err }},
		{"listen packet tcp", func() error { _, err := a.ListenPacket("tcp", ":7"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("call succeeded")
			}
			var op *net.OpError
			if !errors.As(err, &op) {
				t.Errorf("err = %v (%T), want a *net.OpError", err, err)
			}
		})
	}
}

// A stack closed because its link went down tells sockets why, beside
// their own error, so a program can say "carrier lost" rather than only
// "connection aborted".
func TestCloseWithError(t *testing.T) {
	a, b := pair(t)
	c := dialDiscard(t, a, b)
	u, err := a.DialContext(context.Background(), "udp", "192.0.2.2:9")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	readErr := make(chan error, 2)
	go func() {
		_, err := c.Read(make([]byte, 1))
		readErr <- err
	}()
	go func() {
		_, err := u.Read(make([]byte, 1))
		readErr <- err
	}()
	reason := errors.New("carrier lost")
	a.CloseWithError(reason)
	for range 2 {
		err := <-readErr
		var down *netstack.LinkDownError
		if !errors.Is(err, reason) || !errors.As(err, &down) {
			t.Errorf("blocked Read: %v, want a LinkDownError with the reason", err)
		}
		t.Logf("blocked Read: %v", err)
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, reason) {
		t.Errorf("Write after: %v, want the reason", err)
	}
	c.Close()
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) || errors.Is(err, reason) {
		t.Errorf("Read after the socket's own Close: %v, want net.ErrClosed alone", err)
	}
}
