package test

import (
	"context"
	"encoding/binary"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// recordHandler passes the records whose message is msg (or one of
// also) to ch, besides logging them as its inner handler does (if any).
type recordHandler struct {
	inner slog.Handler
	msg   string
	also  []string
	ch    chan slog.Record
}

// recordingLogger returns a logger for t that also sends the records
// with one of msgs (the first is recordHandler's msg) to ch.
func recordingLogger(t *testing.T, ch chan slog.Record, msgs ...string) *slog.Logger {
	var inner slog.Handler
	if l := testLogger(t); l != nil {
		inner = l.Handler()
	}
	return slog.New(recordHandler{inner: inner, msg: msgs[0], also: msgs[1:], ch: ch})
}

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h recordHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == h.msg || slices.Contains(h.also, r.Message) {
		h.ch <- r.Clone()
	}
	if h.inner != nil && h.inner.Enabled(ctx, r.Level) {
		return h.inner.Handle(ctx, r)
	}
	return nil
}

func (h recordHandler) WithAttrs(a []slog.Attr) slog.Handler {
	if h.inner != nil {
		h.inner = h.inner.WithAttrs(a)
	}
	return h
}

func (h recordHandler) WithGroup(g string) slog.Handler {
	if h.inner != nil {
		h.inner = h.inner.WithGroup(g)
	}
	return h
}

// sendIP sends one IPv4 packet to the client.
func (p *scriptedPeer) sendIP(pkt []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.line.Write(p.enc.AppendFrame(nil, ppp.ProtocolIPv4, pkt))
}

// A TUN attached to a link (in a network namespace of the test's own):
// the host's packets go out over the link from the link's address, the
// peer's reach the host, and a renegotiation that changes the address,
// the DNS server and the MRU moves the interface, its default route and
// the resolv.conf written for it, which Close removes again.
func TestTUNFollowsTheLink(t *testing.T) {
	if !testenv.InNetns(t) {
		return
	}
	ip := testenv.NeedTool(t, "ip", "apt-get install iproute2")
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

	resolv := filepath.Join(t.TempDir(), "resolv.conf")
	ups := make(chan slog.Record, 4)
	tn, err := gprsppp.OpenTUN(gprsppp.TUNConfig{Name: "gprs%d", DefaultRoute: true, ResolvConf: resolv,
		Logger: recordingLogger(t, ups, "tun: up")})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	if err := tn.Attach(link); err != nil {
		t.Fatal(err)
	}
	<-ups
	checkInterface(t, ip, tn.Name(), addr1, 1500, dns1, resolv)

	// Out: a datagram of the host's to the peer.
	hostSends(t, peer, addr1)
	// In: the peer's echo request, which the host answers.
	peer.sendIP(echoRequest(scriptedPeerAddr, addr1))
	reply := peer.nextIP(func(pkt []byte) bool { return pkt[9] == 1 && pkt[20] == 0 })
	if ipSrc(reply) != addr1 || ipDst(reply) != scriptedPeerAddr {
		t.Errorf("echo reply %v → %v, want %v → %v", ipSrc(reply), ipDst(reply), addr1, scriptedPeerAddr)
	}

	peer.renumber(addr2, dns2)
	peer.renegotiate([]lcp.Option{lcp.MRU(576)})
	select {
	case <-ups:
	case <-time.After(10 * time.Second):
		t.Fatal("the interface was not reconfigured within 10 s of the renegotiation")
	}
	checkInterface(t, ip, tn.Name(), addr2, 576, dns2, resolv)
	hostSends(t, peer, addr2)

	name := tn.Name()
	if err := tn.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.InterfaceByName(name); err == nil {
		t.Errorf("%s still there after Close", name)
	}
	if _, err := os.Stat(resolv); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the resolv.conf written where there was none is still there after Close (%v)", err)
	}
	// The link outlives the interface, and its stack has every packet
	// again.
	select {
	case <-link.Done():
		t.Fatalf("the link ended with the interface: %v", link.Err())
	default:
	}
}

// checkInterface checks what ip(8) shows of iface and what resolv holds.
func checkInterface(t *testing.T, ip, iface string, local netip.Addr, mtu int, dns netip.Addr, resolv string) {
	t.Helper()
	show := func(args ...string) string {
		out, err := exec.Command(ip, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("ip %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if addr := show("-o", "-4", "addr", "show", "dev", iface); strings.Count(addr, "inet ") != 1 || !strings.Contains(addr, "inet "+local.String()+" peer "+scriptedPeerAddr.String()+"/32") {
		t.Errorf("ip addr: %q, want %v peer %v alone", addr, local, scriptedPeerAddr)
	}
	if link := show("-o", "link", "show", "dev", iface); !strings.Contains(link, ",UP,") || !strings.Contains(link, " mtu "+strconv.Itoa(mtu)+" ") {
		t.Errorf("ip link: %q, want it up with MTU %d", link, mtu)
	}
	if route := show("-4", "route", "show", "default"); !strings.Contains(route, "default dev "+iface) {
		t.Errorf("ip route: %q lacks the default route through %s", route, iface)
	}
	b, err := os.ReadFile(resolv)
	if err != nil {
		t.Fatal(err)
	}
	if want := "nameserver " + dns.String() + "\n"; !strings.HasSuffix(string(b), want) || strings.Count(string(b), "nameserver") != 1 {
		t.Errorf("resolv.conf:\n%s\nwant only %q", b, want)
	}
}

// hostSends has the host send a datagram to the peer's discard port, by
// the default route, and checks that it leaves from local.
func hostSends(t *testing.T, peer *scriptedPeer, local netip.Addr) {
	t.Helper()
	c, err := net.Dial("udp4", "192.0.2.9:9") // TEST-NET-1, by the default route
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("from the host")); err != nil {
		t.Fatal(err)
	}
	pkt := peer.nextIP(func(pkt []byte) bool { return pkt[9] == 17 && strings.HasSuffix(string(pkt), "from the host") })
	if ipSrc(pkt) != local {
		t.Errorf("the host's datagram came from %v, want %v", ipSrc(pkt), local)
	}
}

// echoRequest is an ICMP echo request from src to dst, checksums done.
func echoRequest(src, dst netip.Addr) []byte {
	p := []byte{0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0}
	p = append(p, src.AsSlice()...)
	p = append(p, dst.AsSlice()...)
	binary.BigEndian.PutUint16(p[10:], inetChecksum(p))
	icmp := []byte{8, 0, 0, 0, 0x12, 0x34, 0, 1}
	binary.BigEndian.PutUint16(icmp[2:], inetChecksum(icmp))
	return append(p, icmp...)
}

func inetChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// A supervised link that loses its carrier and comes back with another
// address: the interface goes down without its address, and up again
// with the new one, and the host reaches the simulator's echo services
// through it before and after (TCP and UDP, the host's own sockets).
func TestTUNAcrossRedials(t *testing.T) {
	if !testenv.InNetns(t) {
		return
	}
	ip := testenv.NeedTool(t, "ip", "apt-get install iproute2")
	const dropAfter = time.Minute
	drop := clock.NewManual(time.Now())
	modems := newSimModems(t, func(n int) sim.ModemConfig {
		cfg := sim.ModemConfig{Network: gprsppp.NetworkConfig{
			LocalAddr: networkAddr, PeerAddr: netip.AddrFrom4([4]byte{10, 64, 64, byte(2 + n)}), DNS: []netip.Addr{dnsAddr},
		}}
		if n == 0 {
			cfg.DropAfter, cfg.Clock = dropAfter, drop
		}
		return cfg
	}, gprsppp.Config{Logger: testLogger(t)})

	changes := make(chan slog.Record, 8)
	tn, err := gprsppp.OpenTUN(gprsppp.TUNConfig{Name: "gprs0", Logger: recordingLogger(t, changes, "tun: up", "tun: down")})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: modems.dial, Persist: true, Holdoff: 50 * time.Millisecond, Logger: testLogger(t),
		OnUp: func(l *gprsppp.Link) {
			if err := tn.Attach(l); err != nil {
				t.Errorf("Attach: %v", err)
			}
		},
	})
	runSupervisor(t, sup)
	next := func(want string) {
		t.Helper()
		select {
		case r := <-changes:
			if r.Message != want {
				t.Fatalf("interface: %q, want %q", r.Message, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("interface: no %q within 30 s", want)
		}
	}
	show := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(ip, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("ip %v: %v\n%s", args, err, out)
		}
		return string(out)
	}

	for i, local := range []string{"10.64.64.2", "10.64.64.3"} {
		next("tun: up")
		if addr := show("-o", "-4", "addr", "show", "dev", "gprs0"); !strings.Contains(addr, "inet "+local+" peer 10.64.64.1/32") {
			t.Fatalf("link %d: ip addr: %q, want %s peer 10.64.64.1/32", i, addr, local)
		}
		hostEcho(t, "tcp4", local)
		hostEcho(t, "udp4", local)
		if i == 1 {
			break
		}
		drop.Advance(dropAfter)
		next("tun: down")
		if link := show("-o", "link", "show", "dev", "gprs0"); strings.Contains(link, ",UP") {
			t.Errorf("after the carrier loss, ip link: %q", link)
		}
		if addr := show("-o", "addr", "show", "dev", "gprs0"); strings.Contains(addr, "inet") {
			t.Errorf("after the carrier loss, ip addr: %q", addr)
		}
	}
}

// hostEcho sends a message from the host's own socket to the
// simulator's echo service (port 7) and reads it back, checking that the
// connection left from local.
func hostEcho(t *testing.T, network, local string) {
	t.Helper()
	c, err := net.DialTimeout(network, netip.AddrPortFrom(networkAddr, 7).String(), 10*time.Second)
	if err != nil {
		t.Fatalf("%s echo: %v", network, err)
	}
	defer c.Close()
	if got := netip.MustParseAddrPort(c.LocalAddr().String()).Addr().String(); got != local {
		t.Errorf("%s echo from %s, want %s", network, got, local)
	}
	pingPong(t, c, "through the interface, "+network)
}
