package netstack_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"testing"

	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// A stack with ExtraAddrs opens connections from each of its addresses,
// and the peer sees the one chosen as the source; an address it does not
// own is refused at once.
func TestDialTCPFrom(t *testing.T) {
	checkGoroutines(t)
	extra := netip.MustParseAddr("198.51.100.7")
	a, b := netstacktest.PairConfig(t,
		netstack.Config{LocalAddr: addrA},
		// addrB again and a repeat are skipped, not refused.
		netstack.Config{LocalAddr: addrB, ExtraAddrs: []netip.Addr{extra, addrB, extra}})
	l := listen(t, a, ":2222")
	tests := []struct {
		name    string
		src     netip.Addr
		want    netip.Addr
		wantErr error
	}{
		{name: "zero is LocalAddr", want: addrB},
		{name: "LocalAddr", src: addrB, want: addrB},
		{name: "extra address", src: extra, want: extra},
		{name: "not owned", src: netip.MustParseAddr("198.51.100.8"), wantErr: syscall.EADDRNOTAVAIL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accepted := make(chan net.Conn, 1)
			go func() {
				if tt.wantErr != nil {
					return
				}
				c, err := l.Accept()
				if err != nil {
					t.Error(err)
				}
				accepted <- c
			}()
			c, err := b.DialTCPFrom(context.Background(), tt.src, netip.AddrPortFrom(addrA, 2222))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("DialTCPFrom: %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			in := <-accepted
			if in == nil {
				return
			}
			defer in.Close()
			from := netip.MustParseAddrPort(in.RemoteAddr().String())
			if from.Addr() != tt.want || in.RemoteAddr().String() != c.LocalAddr().String() {
				t.Errorf("accepted from %v, dialled from %v; want %v", in.RemoteAddr(), c.LocalAddr(), tt.want)
			}
		})
	}
}

func TestExtraAddrsIPv4Only(t *testing.T) {
	_, err := netstack.New(netstack.Config{LocalAddr: addrA, Out: nopWriter{}, ExtraAddrs: []netip.Addr{netip.MustParseAddr("2001:db8::1")}})
	if err == nil {
		t.Fatal("New accepted an IPv6 extra address")
	}
}

type nopWriter struct{}

func (nopWriter) WritePacket([]byte) error { return nil }
