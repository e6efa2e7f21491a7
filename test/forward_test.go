package test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// The network side relays the client's connections to other addresses
// to the host, like slirp: here 10.64.64.254 stands for the host's
// loopback.
func TestNetworkForwardsToHost(t *testing.T) {
	host, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	go func() {
		for {
			c, err := host.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.WriteString(c, "hello from the host\n")
			}()
		}
	}()
	hostAddr := netip.MustParseAddr("10.64.64.254")
	forward := func(ctx context.Context, dst netip.AddrPort) (net.Conn, error) {
		if dst.Addr() != hostAddr {
			return nil, errors.New("not the host")
		}
		var d net.Dialer
		return d.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(dst.Port()))))
	}
	a, b := ppptest.Pipe()
	client, network := pair(t, a, b, gprsppp.Config{}, gprsppp.NetworkConfig{Forward: forward})
	serveNetwork(t, network)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	port := host.Addr().(*net.TCPAddr).Port
	c, err := client.DialContext(ctx, "tcp", netip.AddrPortFrom(hostAddr, uint16(port)).String())
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	c.Close()
	if err != nil || string(got) != "hello from the host\n" {
		t.Fatalf("read %q, %v", got, err)
	}
	// Elsewhere: refused, like a closed port.
	_, err = client.DialContext(ctx, "tcp", "192.0.2.1:80")
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial elsewhere: %v, want connection refused", err)
	}
	// The network side's own services still answer.
	echoTCP(t, client, "10.64.64.1:7", 64<<10)
}
