package netstack_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gprsppp/gprsppp/internal/dnsserver"
	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// manyAddrs has enough addresses that the answer exceeds 512 bytes and
// the server truncates it over UDP.
var manyAddrs = func() []netip.Addr {
	var as []netip.Addr
	for i := range 40 {
		as = append(as, netip.AddrFrom4([4]byte{198, 51, 100, byte(i + 1)}))
	}
	return as
}()

var testRecords = map[string][]netip.Addr{
	"modem.example":  {addrB, netip.MustParseAddr("198.51.100.7")},
	"v6only.example": {netip.MustParseAddr("2001:db8::1")},
	"many.example":   manyAddrs,
}

// serveDNS runs a dnsserver on s, over UDP and TCP port 53, until cleanup.
func serveDNS(t *testing.T, s *netstack.Stack) {
	t.Helper()
	pc, err := s.ListenPacket("udp", ":53")
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.Listen("tcp", ":53")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dnsserver.Server{Records: testRecords}
	errs := make(chan error, 2)
	go func() { errs <- srv.Serve(pc) }()
	go func() { errs <- srv.ServeTCP(l) }()
	t.Cleanup(func() {
		pc.Close()
		l.Close()
		for range 2 {
			if err := <-errs; err != nil {
				t.Errorf("dnsserver: %v", err)
			}
		}
	})
}

func TestLookupNetIP(t *testing.T) {
	a, b := pair(t)
	serveDNS(t, b)
	tests := []struct {
		name         string
		host         string
		want         []netip.Addr
		wantNotFound bool
	}{
		{"found", "modem.example", testRecords["modem.example"], false},
		{"case and trailing dot", "MoDeM.Example.", testRecords["modem.example"], false},
		{"truncated over UDP, complete over TCP", "many.example", manyAddrs, false},
		{"IP literal", "198.51.100.9", []netip.Addr{netip.MustParseAddr("198.51.100.9")}, false},
		{"NXDOMAIN", "missing.example", nil, true},
		{"no A records", "v6only.example", nil, true},
		{"invalid name", "a..b", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			got, err := a.LookupNetIP(ctx, tt.host)
			if tt.wantNotFound {
				var dnsErr *net.DNSError
				if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
					t.Fatalf("err = %v, want a *net.DNSError with IsNotFound", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("LookupNetIP(%q) (-want +got):\n%s", tt.host, diff)
			}
		})
	}
}

func TestLookupNetIPFailures(t *testing.T) {
	tests := []struct {
		name        string
		servers     []netip.Addr
		timeout     time.Duration
		wantTimeout bool
		wantCtxErr  error
	}{
		// B has nothing on port 53 and answers ICMP port unreachable.
		{"server port closed", []netip.Addr{addrB}, 10 * time.Second, false, nil},
		// Nobody is at addrNobody, so only ctx ends the wait.
		{"server silent", []netip.Addr{addrNobody}, 300 * time.Millisecond, true, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGoroutines(t)
			a, _ := netstacktest.PairConfig(t,
				netstack.Config{LocalAddr: addrA, DNSServers: tt.servers},
				netstack.Config{LocalAddr: addrB})
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			_, err := a.LookupNetIP(ctx, "modem.example")
			var dnsErr *net.DNSError
			if !errors.As(err, &dnsErr) {
				t.Fatalf("err = %v (%T), want *net.DNSError", err, err)
			}
			if dnsErr.IsNotFound || dnsErr.IsTimeout != tt.wantTimeout {
				t.Errorf("err = %+v, want IsNotFound false, IsTimeout %v", dnsErr, tt.wantTimeout)
			}
			if tt.wantCtxErr != nil && !errors.Is(err, tt.wantCtxErr) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantCtxErr)
			}
		})
	}
}

func TestLookupNetIPNextServer(t *testing.T) {
	checkGoroutines(t)
	// A's own address has no DNS server, so the first server refuses at
	// once and the second, B, answers.
	a, b := netstacktest.PairConfig(t,
		netstack.Config{LocalAddr: addrA, DNSServers: []netip.Addr{addrA, addrB}},
		netstack.Config{LocalAddr: addrB})
	serveDNS(t, b)
	got, err := a.LookupNetIP(context.Background(), "modem.example")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(testRecords["modem.example"], got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDialByName(t *testing.T) {
	a, b := pair(t)
	serveDNS(t, b)
	l := listen(t, b, ":7")
	go func() {
		if c, err := l.Accept(); err == nil {
			c.Write([]byte("hello"))
			c.Close()
		}
	}()
	// The first address, B, answers; the second is never tried.
	c, err := a.DialContext(context.Background(), "tcp", "modem.example:7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.RemoteAddr().String(); got != "192.0.2.2:7" {
		t.Errorf("RemoteAddr = %s, want 192.0.2.2:7", got)
	}

	_, err = a.DialContext(context.Background(), "tcp", "missing.example:7")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("dial of an unknown name: err = %v, want a not-found *net.DNSError", err)
	}
}

func TestCloseDuringLookup(t *testing.T) {
	checkGoroutines(t)
	a, _ := netstacktest.PairConfig(t,
		netstack.Config{LocalAddr: addrA, DNSServers: []netip.Addr{addrNobody}},
		netstack.Config{LocalAddr: addrB})
	ctx, cancel := cancelAfterSend(a) // fires once the query is out
	defer cancel()
	lookupErr := make(chan error, 1)
	go func() {
		_, err := a.LookupNetIP(context.Background(), "modem.example")
		lookupErr <- err
	}()
	<-ctx.Done()
	a.Close()
	// A try lasts two seconds; Close must end it well before that.
	select {
	case err := <-lookupErr:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("err = %v, want net.ErrClosed", err)
		}
	case <-time.After(time.Second):
		t.Fatal("LookupNetIP still blocked after Close")
	}
}
