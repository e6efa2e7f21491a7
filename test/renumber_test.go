package test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ipcp"
	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
	"github.com/gprsppp/gprsppp/ppptest"
)

// scriptedPeer is a minimal network side written against the packet
// formats alone: it acknowledges every LCP Configure-Request, assigns
// an address and DNS server through IPCP Naks, answers echoes, and hands
// the IPv4 packets it receives to the test. The test can make it
// renegotiate with other parameters, which the package's own network
// side never does.
type scriptedPeer struct {
	t    *testing.T
	line io.ReadWriteCloser
	ip   chan []byte // IPv4 packets from the client

	mu      sync.Mutex // guards the fields below and writes to line
	enc     ppp.Encoder
	assign  netip.Addr // the client's address
	dns     netip.Addr
	ipcpReq bool // our IPCP Configure-Request of this round was sent
	id      uint8
}

var scriptedPeerAddr = netip.MustParseAddr("10.99.0.1")

func newScriptedPeer(t *testing.T, line io.ReadWriteCloser, assign, dns netip.Addr) *scriptedPeer {
	p := &scriptedPeer{t: t, line: line, ip: make(chan []byte, 64), assign: assign, dns: dns}
	p.enc.ACCM = 0xffffffff
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.routineRead()
	}()
	t.Cleanup(func() {
		line.Close()
		<-done
	})
	p.renegotiate(nil)
	return p
}

// renegotiate starts a new LCP negotiation (RFC 1661 §4.3: a
// Configure-Request in the Opened state takes the link down and up
// again) with our options, from which IPCP follows.
func (p *scriptedPeer) renegotiate(opts []lcp.Option) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ipcpReq = false
	p.id++
	p.send(ppp.ProtocolLCP, fsm.ConfigureRequest, p.id, lcp.AppendOptions(nil, opts...))
}

// renumber makes the next IPCP negotiation assign other addresses.
func (p *scriptedPeer) renumber(assign, dns netip.Addr) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.assign, p.dns = assign, dns
}

// send writes a control packet; p.mu is held.
func (p *scriptedPeer) send(proto ppp.Protocol, code fsm.Code, id uint8, data []byte) {
	pkt := ppp.ControlPacket{Code: uint8(code), Identifier: id, Data: data}.Append(nil)
	p.line.Write(p.enc.AppendFrame(nil, proto, pkt))
}

func (p *scriptedPeer) routineRead() {
	var dec ppp.Decoder
	buf := make([]byte, 4096)
	for {
		n, err := p.line.Read(buf)
		dec.Decode(buf[:n], func(frame []byte) {
			proto, info, err := ppp.ParseFrame(frame)
			if err == nil {
				p.handle(proto, info)
			}
		})
		if err != nil {
			return
		}
	}
}

func (p *scriptedPeer) handle(proto ppp.Protocol, info []byte) {
	if proto == ppp.ProtocolIPv4 {
		select {
		case p.ip <- append([]byte(nil), info...):
		default:
		}
		return
	}
	var cp ppp.ControlPacket
	if cp.Parse(info) != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case proto == ppp.ProtocolLCP && fsm.Code(cp.Code) == fsm.ConfigureRequest:
		p.send(proto, fsm.ConfigureAck, cp.Identifier, cp.Data)
	case proto == ppp.ProtocolLCP && fsm.Code(cp.Code) == fsm.EchoRequest:
		// Our Magic-Number is zero: we never asked for one.
		reply := append([]byte{0, 0, 0, 0}, cp.Data[min(4, len(cp.Data)):]...)
		p.send(proto, fsm.EchoReply, cp.Identifier, reply)
	case proto == ppp.ProtocolLCP && fsm.Code(cp.Code) == fsm.TerminateRequest:
		p.send(proto, fsm.TerminateAck, cp.Identifier, nil)
	case proto == ppp.ProtocolIPCP && fsm.Code(cp.Code) == fsm.ConfigureRequest:
		p.ipcpRequest(cp)
	}
}

// ipcpRequest answers the client's IPCP Configure-Request: a Nak until
// it asks for the address and DNS server we assign, then an Ack. p.mu is
// held.
func (p *scriptedPeer) ipcpRequest(cp ppp.ControlPacket) {
	if !p.ipcpReq {
		p.ipcpReq = true
		p.id++
		p.send(ppp.ProtocolIPCP, fsm.ConfigureRequest, p.id,
			ipcp.AppendOptions(nil, ipcp.IPAddress(scriptedPeerAddr)))
	}
	opts, err := ipcp.ParseOptions(cp.Data)
	if err != nil {
		p.t.Errorf("client's IPCP Configure-Request: %v", err)
		return
	}
	good := true
	for _, o := range opts {
		switch o := o.(type) {
		case ipcp.IPAddress:
			good = good && netip.Addr(o) == p.assign
		case ipcp.PrimaryDNS:
			good = good && netip.Addr(o) == p.dns
		case ipcp.SecondaryDNS:
			good = good && netip.Addr(o) == p.dns
		}
	}
	if good {
		p.send(ppp.ProtocolIPCP, fsm.ConfigureAck, cp.Identifier, cp.Data)
		return
	}
	nak := ipcp.AppendOptions(nil, ipcp.IPAddress(p.assign), ipcp.PrimaryDNS(p.dns), ipcp.SecondaryDNS(p.dns))
	p.send(ppp.ProtocolIPCP, fsm.ConfigureNak, cp.Identifier, nak)
}

// nextIP returns the next IPv4 packet from the client matching keep.
func (p *scriptedPeer) nextIP(keep func(pkt []byte) bool) []byte {
	p.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case pkt := <-p.ip:
			if len(pkt) >= 20 && keep(pkt) {
				return pkt
			}
		case <-deadline:
			p.t.Fatal("no matching IPv4 packet from the client within 10 s")
		}
	}
}

func ipSrc(pkt []byte) netip.Addr { return netip.AddrFrom4([4]byte(pkt[12:16])) }
func ipDst(pkt []byte) netip.Addr { return netip.AddrFrom4([4]byte(pkt[16:20])) }

// A peer that renegotiates LCP and IPCP mid-link with another address,
// DNS server and MRU: the link stays up and its stack moves to all
// three. Sockets bound to the old address fail, new ones send from the
// new address in packets no larger than the new MRU, and names are
// looked up at the new DNS server.
func TestRenegotiationRenumbersTheStack(t *testing.T) {
	addr1, dns1 := netip.MustParseAddr("10.99.0.2"), netip.MustParseAddr("10.99.0.53")
	addr2, dns2 := netip.MustParseAddr("10.99.1.2"), netip.MustParseAddr("10.99.1.53")
	client, peerEnd := ppptest.OSPipe(t)
	peer := newScriptedPeer(t, peerEnd, addr1, dns1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	link, err := gprsppp.Open(ctx, client, gprsppp.Config{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	if got := link.LocalAddr(); got != addr1 {
		t.Fatalf("address %v, want %v", got, addr1)
	}
	discard := netip.AddrPortFrom(scriptedPeerAddr, 9).String()
	old, err := link.DialContext(ctx, "udp", discard)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if _, err := old.Write([]byte("before")); err != nil {
		t.Fatal(err)
	}
	if pkt := peer.nextIP(func([]byte) bool { return true }); ipSrc(pkt) != addr1 {
		t.Fatalf("packet from %v, want %v", ipSrc(pkt), addr1)
	}

	renumbered := link.Renumbered()
	peer.renumber(addr2, dns2)
	peer.renegotiate([]lcp.Option{lcp.MRU(576)})
	select {
	case <-renumbered:
	case <-link.Done():
		t.Fatalf("the link ended: %v", link.Err())
	case <-time.After(10 * time.Second):
		t.Fatal("not renumbered within 10 s of the renegotiation")
	}
	if link.LocalAddr() != addr2 || link.MTU() != 576 {
		t.Fatalf("after renegotiation: address %v MTU %d, want %v and 576", link.LocalAddr(), link.MTU(), addr2)
	}
	// The socket bound to the old address was aborted by the stack.
	if _, err := old.Write([]byte("after")); err == nil {
		t.Error("a socket bound to the old address still writes")
	} else {
		t.Logf("old socket: %v", err)
	}

	c, err := link.DialContext(ctx, "udp", discard)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	pkt := peer.nextIP(func(pkt []byte) bool { return ipDst(pkt) == scriptedPeerAddr })
	if ipSrc(pkt) != addr2 {
		t.Errorf("packet from %v, want %v", ipSrc(pkt), addr2)
	}
	if n := binary.BigEndian.Uint16(pkt[2:4]); n > 576 {
		t.Errorf("a %d-octet packet on a link whose MRU is 576 now", n)
	}

	lctx, lcancel := context.WithCancel(ctx)
	looked := make(chan error, 1)
	go func() {
		_, err := link.LookupNetIP(lctx, "example.test")
		looked <- err
	}()
	q := peer.nextIP(func(pkt []byte) bool { return pkt[9] == 17 && binary.BigEndian.Uint16(pkt[22:24]) == 53 })
	lcancel()
	if ipDst(q) != dns2 || ipSrc(q) != addr2 {
		t.Errorf("DNS query %v → %v, want %v → %v", ipSrc(q), ipDst(q), addr2, dns2)
	}
	if err := <-looked; err == nil || !errors.Is(err, context.Canceled) {
		t.Logf("lookup: %v", err)
	}
	if got := link.DNSServers(); len(got) == 0 || got[0] != dns2 {
		t.Errorf("DNSServers %v, want %v first", got, dns2)
	}
}
