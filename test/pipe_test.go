package test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

func TestPipeBringsLinkUp(t *testing.T) {
	a, b := ppptest.Pipe()
	client, network := pair(t, a, b, gprsppp.Config{}, gprsppp.NetworkConfig{})
	if got := client.LocalAddr(); got != clientAddr {
		t.Errorf("client address %v, want %v", got, clientAddr)
	}
	if got := network.LocalAddr(); got != networkAddr {
		t.Errorf("network address %v, want %v", got, networkAddr)
	}
	if got := client.DNSServers(); len(got) != 1 || got[0] != dnsAddr {
		t.Errorf("client DNS %v, want [%v]", got, dnsAddr)
	}
}

// echoTCP sends n random bytes through the echo service and checks they
// come back byte for byte.
func echoTCP(t *testing.T, client *gprsppp.Link, addr string, n int) {
	t.Helper()
	if err := tryEchoTCP(client, addr, n); err != nil {
		t.Fatal(err)
	}
}

// tryEchoTCP is echoTCP returning what went wrong; a stall shows as a
// timeout (a net.Error) after 60 s.
func tryEchoTCP(client *gprsppp.Link, addr string, n int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	data := make([]byte, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		werr <- err
	}()
	got := sha256.New()
	if _, err := io.CopyN(got, c, int64(n)); err != nil {
		return fmt.Errorf("read echo: %w", err)
	}
	if err := <-werr; err != nil {
		return fmt.Errorf("write: %w", err)
	}
	want := sha256.Sum256(data)
	if !bytes.Equal(got.Sum(nil), want[:]) {
		return errors.New("echoed data differs")
	}
	return nil
}

// A 10 MB echo over an in-memory pipe. Both directions carry bulk data
// and ACKs at once, so this is where an ACK that overtook its own
// connection's data in the output queue stalled the connection for good
// (see session's flowQueue: one queue per flow), in about one run in four.
func TestPipeTCPEcho10MB(t *testing.T) {
	a, b := ppptest.Pipe()
	client, network := pair(t, a, b, gprsppp.Config{}, gprsppp.NetworkConfig{})
	serveNetwork(t, network)
	if err := tryEchoTCP(client, "10.64.64.1:7", 10<<20); err != nil {
		t.Fatalf("%v (client %+v, network %+v)", err, client.Stats(), network.Stats())
	}
}

func TestPipeUDPEchoAndLookup(t *testing.T) {
	a, b := ppptest.Pipe()
	a.Limit(7) // reassembly from small reads
	client, network := pair(t, a, b, gprsppp.Config{}, gprsppp.NetworkConfig{})
	serveNetwork(t, network)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	addrs, err := client.LookupNetIP(ctx, hostName)
	if err != nil || len(addrs) != 1 || addrs[0] != networkAddr {
		t.Fatalf("LookupNetIP(%q) = %v, %v; want [%v]", hostName, addrs, err, networkAddr)
	}
	if _, err := client.LookupNetIP(ctx, "missing.test"); err == nil {
		t.Error("lookup of an unknown name succeeded")
	}

	c, err := client.DialContext(ctx, "udp", hostName+":7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for i, size := range []int{1, 512, 1400, 4000} {
		msg := bytes.Repeat([]byte{byte(i)}, size)
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 8192)
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("datagram of %d: %v", size, err)
		}
		if !bytes.Equal(buf[:n], msg) {
			t.Fatalf("datagram of %d came back as %d octets", size, n)
		}
	}
}

func TestPipeCloseEndsPeer(t *testing.T) {
	for _, side := range []string{"client", "network"} {
		t.Run(side+" closes", func(t *testing.T) {
			a, b := ppptest.Pipe()
			client, network := pair(t, a, b, gprsppp.Config{Restart: time.Second}, gprsppp.NetworkConfig{Restart: time.Second})
			closer, other := client, network
			if side == "network" {
				closer, other = network, client
			}
			if err := closer.Close(); err != nil {
				t.Fatal(err)
			}
			if err := closer.Err(); !isErr(err, gprsppp.ErrClosed) {
				t.Errorf("closer's reason %v, want ErrClosed", err)
			}
			if err := waitDone(t, other, 10*time.Second); !isErr(err, gprsppp.ErrPeerTerminated) {
				t.Errorf("peer's reason %v, want ErrPeerTerminated", err)
			}
			if err := closer.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

func TestPipeSocketsFailWhenLinkEnds(t *testing.T) {
	a, b := ppptest.Pipe()
	client, network := pair(t, a, b, gprsppp.Config{}, gprsppp.NetworkConfig{})
	serveNetwork(t, network)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, "tcp", "10.64.64.1:7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	readErr := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 10))
		readErr <- err
	}()
	b.Close() // the line dies under the client
	if err := waitDone(t, client, 10*time.Second); !isErr(err, gprsppp.ErrIO) {
		t.Errorf("reason %v, want ErrIO", err)
	}
	select {
	case err := <-readErr:
		if err == nil {
			t.Error("read on a dead link succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("read still blocked after the link ended")
	}
}
