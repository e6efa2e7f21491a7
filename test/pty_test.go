package test

import (
	"context"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// The same link over a real pseudo-terminal, as a serial port would be.
func TestPtyLink(t *testing.T) {
	a, b := ppptest.PtyPair(t)
	client, network := pair(t, a, b, gprsppp.Config{}, gprsppp.NetworkConfig{})
	serveNetwork(t, network)
	t.Run("tcp echo 10MB", func(t *testing.T) { echoTCP(t, client, "10.64.64.1:7", 10<<20) })
	t.Run("lookup", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		addrs, err := client.LookupNetIP(ctx, hostName)
		if err != nil || len(addrs) != 1 || addrs[0] != networkAddr {
			t.Fatalf("LookupNetIP = %v, %v", addrs, err)
		}
	})
	t.Run("udp echo", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := client.DialContext(ctx, "udp", "10.64.64.1:7")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		msg := []byte("datagram over a pty")
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 100)
		n, err := c.Read(buf)
		if err != nil || string(buf[:n]) != string(msg) {
			t.Fatalf("echo %q, %v", buf[:n], err)
		}
	})
	t.Run("network closes", func(t *testing.T) {
		network.Close()
		if err := waitDone(t, client, 10*time.Second); !isErr(err, gprsppp.ErrPeerTerminated) {
			t.Errorf("client's reason %v, want ErrPeerTerminated", err)
		}
	})
}
