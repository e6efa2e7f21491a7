package test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// waitNoIPv6 waits until l has no IPv6 address.
func waitNoIPv6(t *testing.T, l *gprsppp.Link, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		changed := l.Renumbered()
		if len(l.IPv6Addrs()) == 0 {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("IPv6 addresses %v still there after %v", l.IPv6Addrs(), within)
		}
	}
}

// The peer closes IPv6CP while LCP and IPCP stay: the client's stack
// drops its IPv6 addresses and DNS servers (a connection over IPv6 is
// aborted), IPv4 keeps working, and when IPv6CP opens again (the
// network side renegotiates it) the addresses come back.
func TestIPv6CPDownAloneRemovesTheAddresses(t *testing.T) {
	clientEnd, networkEnd, toClient, _ := injectLine(t)
	client, _ := pair(t, clientEnd, networkEnd, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6},
		ipv6Network(t, map[string][]netip.Addr{hostName: {networkAddr, networkAddr6}}))
	waitIPv6(t, client, clientAddr6, 15*time.Second)
	if len(client.IPv6DNSServers()) == 0 {
		t.Fatal("no IPv6 DNS server before")
	}
	c6 := echoOver(t, client, "tcp", netip.AddrPortFrom(networkAddr6, 7).String())

	if err := toClient.inject(ppp.ProtocolIPv6CP, fsm.TerminateRequest, 0x77, nil); err != nil {
		t.Fatal(err)
	}
	waitNoIPv6(t, client, 5*time.Second)
	if dns := client.IPv6DNSServers(); len(dns) != 0 {
		t.Errorf("IPv6 DNS servers %v left", dns)
	}
	if a := client.IPv6PeerAddr(); a.IsValid() {
		t.Errorf("IPv6 peer %v while IPv6CP is down", a)
	}
	c6.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c6.Read(make([]byte, 1)); err == nil {
		t.Error("a connection from the removed address still reads")
	}
	echoOver(t, client, "tcp", netip.AddrPortFrom(networkAddr, 7).String())
	select {
	case <-client.Done():
		t.Fatalf("link ended: %v", client.Err())
	default:
	}

	// The network side answers our Terminate-Ack by renegotiating
	// IPv6CP (RFC 1661: RTA in Opened), which the client takes once its
	// Stopping state times out.
	waitIPv6(t, client, clientAddr6, 30*time.Second)
	echoOver(t, client, "tcp", netip.AddrPortFrom(networkAddr6, 7).String())
}
