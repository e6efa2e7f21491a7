package gprsppp_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// The network side opens a connection toward the client from one of its
// ExtraAddrs, and the client sees that address as the source.
func TestNetworkExtraAddrs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host := netip.MustParseAddr("192.0.2.7")
	clientEnd, netEnd := ppptest.Pipe()
	gwc := make(chan *gprsppp.Link, 1)
	go func() {
		gw, err := gprsppp.OpenNetwork(ctx, netEnd, gprsppp.NetworkConfig{ExtraAddrs: []netip.Addr{host}})
		if err != nil {
			t.Error(err)
		}
		gwc <- gw
	}()
	client, err := gprsppp.Open(ctx, clientEnd, gprsppp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	gw := <-gwc
	if gw == nil {
		return
	}
	defer gw.Close()
	l, err := client.Listen("tcp", ":2222")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c, err := gw.DialTCPFrom(ctx, host, netip.AddrPortFrom(client.LocalAddr(), 2222))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	in, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if from := netip.MustParseAddrPort(in.RemoteAddr().String()).Addr(); from != host {
		t.Errorf("the client sees the connection from %v, want %v", from, host)
	}
}

// An extra address that is the client's own would take the client's
// traffic: the link refuses it.
func TestNetworkExtraAddrIsPeer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	clientEnd, netEnd := ppptest.Pipe()
	errc := make(chan error, 1)
	go func() {
		gw, err := gprsppp.OpenNetwork(ctx, netEnd, gprsppp.NetworkConfig{ExtraAddrs: []netip.Addr{netip.MustParseAddr("10.64.64.2")}})
		if err == nil {
			gw.Close()
		}
		errc <- err
	}()
	client, err := gprsppp.Open(ctx, clientEnd, gprsppp.Config{})
	if err == nil {
		defer client.Close()
	}
	if err := <-errc; err == nil || !strings.Contains(err.Error(), "is the peer's own") {
		t.Errorf("OpenNetwork: %v, want an error about the peer's address", err)
	}
}
