package netstack_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/netstack"
)

func TestCheckDestination(t *testing.T) {
	tests := []struct {
		network, addr string
		want          string // "" for allowed, else a word of the message
	}{
		{"tcp", "127.0.0.1", "loopback"},
		{"tcp", "127.255.0.9", "loopback"},
		{"udp", "127.0.0.53", "loopback"},
		{"tcp", "::1", "loopback"},
		{"tcp", "::ffff:127.0.0.1", "loopback"},
		{"tcp", "0.0.0.0", "unspecified"},
		{"tcp", "0.1.2.3", "this network"},
		{"tcp", "240.0.0.1", "reserved"},
		{"tcp", "169.254.169.254", "link-local"},
		{"tcp", "224.0.0.1", "multicast"},
		{"tcp", "255.255.255.255", "broadcast"},
		{"udp", "224.0.0.251", ""},
		{"udp", "255.255.255.255", ""},
		{"tcp", "10.64.64.1", ""},
		{"tcp", "192.0.2.2", ""},
		{"tcp", "8.8.8.8", ""},
		{"tcp4", "100.64.0.1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.network+" "+tt.addr, func(t *testing.T) {
			err := netstack.CheckDestination(tt.network, netip.MustParseAddr(tt.addr))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, netstack.ErrLocalOnly) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an ErrLocalOnly error saying %q", err, tt.want)
			}
		})
	}
}

// A dial to loopback fails at once, before any packet, with an error
// that says why; a datagram to it is refused the same way.
func TestDialLocalOnlyRefused(t *testing.T) {
	a, _ := pair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, network := range []string{"tcp", "udp"} {
		_, err := a.DialContext(ctx, network, "127.0.0.1:22")
		var oe *net.OpError
		if !errors.Is(err, netstack.ErrLocalOnly) || !errors.As(err, &oe) || !strings.Contains(err.Error(), "127.0.0.1 is a loopback address") {
			t.Errorf("%s dial 127.0.0.1: got %v, want a *net.OpError matching ErrLocalOnly", network, err)
		}
	}
	if ctx.Err() != nil {
		t.Fatal("refusal waited for the deadline")
	}
	pc, err := a.ListenPacket("udp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	_, err = pc.WriteTo([]byte("x"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53})
	if !errors.Is(err, netstack.ErrLocalOnly) {
		t.Errorf("WriteTo 127.0.0.1: got %v, want ErrLocalOnly", err)
	}
	if a.Stats().PacketsOut != 0 {
		t.Errorf("%d packets went out for refused destinations", a.Stats().PacketsOut)
	}
}
