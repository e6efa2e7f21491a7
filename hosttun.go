package gprsppp

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gprsppp/gprsppp/tun"
)

// TUNConfig configures a TUN interface that gives each link to the host's
// own TCP/IP (Linux). Zero values take the defaults given.
type TUNConfig struct {
	// Name is the interface's name; a %d in it ("gprs%d") lets the
	// kernel number it. Empty means "gprs0".
	Name string
	// DefaultRoute adds a default route through the interface each time
	// a link comes up, unless the host has one already, which it leaves
	// alone (as pppd's defaultroute). False, the default, routes only
	// the peer's address through it.
	DefaultRoute bool
	// ResolvConf names a file rewritten with the link's DNS servers each
	// time a link comes up, for example /etc/resolv.conf (in place, so a
	// container's bind-mounted one works too). Close puts back what it
	// held before (or removes it if there was none), unless it was
	// changed since. Empty, the default, writes none.
	ResolvConf string
	// Logger receives the interface's changes; at debug level, the
	// packets it drops. Nil is silent.
	Logger *slog.Logger
}

// TUN is a TUN interface carrying the host's IP packets over the current
// link, directly: the host's kernel does TCP/IP, not the link's stack.
// Attach gives it each new link: the interface gets the link's address
// (point to point, with the peer's), its MTU (the peer's MRU) and is set
// up; when the link ends it is set down and its addresses are removed
// until the next Attach. The link's own sockets (Link.DialContext,
// Listen, the proxies and forwards over them) keep working beside it:
// inbound packets of their flows stay with the link's stack, which takes
// its local ports from outside the host's ephemeral range so the two
// never open the same flow; everything else goes to the interface.
type TUN struct {
	cfg TUNConfig
	dev *tun.Device
	log *slog.Logger

	mu        sync.Mutex           // serialises configuring dev with changes of cur
	cur       atomic.Pointer[Link] // the link packets go to; nil while none is up
	wg        sync.WaitGroup       // routineRead and each link's routineWatch
	ctx       context.Context      // cancelled by Close
	end       context.CancelFunc   // cancels ctx
	closeOnce sync.Once

	drops atomic.Uint64 // packets lost between the interface and a link

	resolv *resolvConf // nil without cfg.ResolvConf
}

// OpenTUN creates the interface, down and without addresses until a link
// is attached. It fails with an error wrapping os.ErrPermission without
// CAP_NET_ADMIN, and os.ErrNotExist without /dev/net/tun.
func OpenTUN(cfg TUNConfig) (*TUN, error) {
	if cfg.Name == "" {
		cfg.Name = "gprs0"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	dev, err := tun.Create(cfg.Name)
	if err != nil {
		return nil, fmt.Errorf("gprsppp: %w", err)
	}
	t := &TUN{cfg: cfg, dev: dev, log: cfg.Logger.With("interface", dev.Name())}
	if cfg.ResolvConf != "" {
		t.resolv = &resolvConf{path: cfg.ResolvConf, iface: dev.Name()}
	}
	t.ctx, t.end = context.WithCancel(context.Background())
	t.wg.Add(1)
	go t.routineRead()
	return t, nil
}

// Name returns the interface's name.
func (t *TUN) Name() string { return t.dev.Name() }

// Drops counts the packets lost between the interface and the links:
// sent by the host while no link was up or of a family the link does not
// carry, refused by the link's queue, or not taken by the host.
func (t *TUN) Drops() uint64 { return t.drops.Load() }

// Attach moves the host's traffic to l: it configures the interface for
// l and sets it up, follows l's renegotiations, and sets the interface
// down when l ends. Call it for each new link, as from
// SupervisorConfig.OnUp. An interface that cannot be configured is an
// error, and l is left as it was.
func (t *TUN) Attach(l *Link) error {
	if err := l.st.SetPortRange(t.stackPorts()); err != nil {
		t.log.Warn("tun: the link's stack keeps its ports; its flows and the host's may collide", "err", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ctx.Err() != nil {
		return fmt.Errorf("gprsppp: interface %s closed", t.Name())
	}
	// Taken before the addresses are read, so that a change between
	// the two (a router advertisement just after IPv6CP) is not missed.
	renumbered := l.Renumbered()
	if err := t.configureLocked(l); err != nil {
		return err
	}
	t.cur.Store(l)
	l.setHost(t.deliver)
	t.wg.Add(1)
	go t.routineWatch(l, renumbered)
	return nil
}

// configureLocked gives the interface l's address, peer and MTU, sets
// it up, and adds what TUNConfig asks for.
func (t *TUN) configureLocked(l *Link) error {
	addrs, dns, mtu := tunAddrs(l), append(l.DNSServers(), l.IPv6DNSServers()...), l.MTU()
	if mtu < ipv6MinMTU {
		v4 := slices.DeleteFunc(slices.Clone(addrs), func(a tun.Address) bool { return a.Local.Addr().Is6() })
		if len(v4) < len(addrs) {
			t.log.Warn("tun: the link's MTU is below IPv6's minimum; the interface gets no IPv6 address", "mtu", mtu, "min", ipv6MinMTU)
			addrs = v4
		}
	}
	if err := t.dev.Up(tun.Settings{Addrs: addrs, MTU: mtu}); err != nil {
		return fmt.Errorf("gprsppp: %w", err)
	}
	var v6 []netip.Addr // as configured, not as the link may have them by now
	for _, a := range addrs {
		if a.Local.Addr().Is6() {
			v6 = append(v6, a.Local.Addr())
		}
	}
	t.log.Info("tun: up", "address", l.LocalAddr(), "peer", l.PeerAddr(), "ipv6", v6, "mtu", mtu, "dns", dns)
	if !l.PeerAddr().IsValid() && len(families(addrs)) == 0 && !t.cfg.DefaultRoute {
		t.log.Warn("tun: the peer announced no address, so nothing is routed through the interface; a default route (DefaultRoute, --tun-default-route) would be")
	}
	if t.cfg.DefaultRoute {
		for _, family := range families(addrs) {
			if err := t.dev.AddDefaultRoute(family); err != nil {
				t.log.Warn("tun: no default route through the interface", "err", err)
			}
		}
	}
	if t.cfg.ResolvConf != "" {
		if err := t.resolv.write(dns); err != nil {
			t.log.Warn("tun: resolv.conf not written", "err", err)
		}
	}
	return nil
}

// ipv6MinMTU is IPv6's minimum link MTU (RFC 8200 §5). Linux takes no
// IPv6 address on an interface with a smaller MTU, so a link whose peer's
// MRU is smaller gives the interface its IPv4 address alone, as the
// link's own stack sends no IPv6 over it either.
const ipv6MinMTU = 1280

// tunAddrs are the interface's addresses on l: its IPv4 address, point
// to point with the peer's, and its IPv6 addresses (the link-local one
// from the IPv6CP identifier, then those formed from router
// advertisements), each in its /64 as SLAAC forms them.
func tunAddrs(l *Link) []tun.Address {
	var addrs []tun.Address
	if local := l.LocalAddr(); local.IsValid() {
		addrs = append(addrs, tun.Address{Local: netip.PrefixFrom(local, local.BitLen()), Peer: l.PeerAddr()})
	}
	for _, a := range l.IPv6Addrs() {
		addrs = append(addrs, tun.Address{Local: netip.PrefixFrom(a, 64)})
	}
	return addrs
}

// families lists the IP versions (4, 6) among addrs, for default routes;
// an IPv6 link-local address alone routes nothing beyond the link.
func families(addrs []tun.Address) []int {
	var v []int
	for _, a := range addrs {
		f := 4
		if a.Local.Addr().Is6() {
			if a.Local.Addr().IsLinkLocalUnicast() {
				continue
			}
			f = 6
		}
		if !slices.Contains(v, f) {
			v = append(v, f)
		}
	}
	return v
}

// routineWatch follows l from the Renumbered channel it was given: a
// renegotiation or router advertisement reconfigures the interface,
// the link's end sets it down, unless another link has it by then.
func (t *TUN) routineWatch(l *Link, renumbered <-chan struct{}) {
	defer t.wg.Done()
	for {
		select {
		case <-renumbered:
			renumbered = l.Renumbered()
			t.mu.Lock()
			if t.cur.Load() == l {
				if err := t.configureLocked(l); err != nil {
					t.log.Error("tun: renumbering", "err", err)
				}
			}
			t.mu.Unlock()
		case <-l.Done():
			t.detach(l, "link down")
			return
		case <-t.ctx.Done():
			t.detach(l, "closing")
			return
		}
	}
}

// detach sets the interface down if l still has it.
func (t *TUN) detach(l *Link, why string) {
	l.setHost(nil)
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.cur.CompareAndSwap(l, nil) {
		return
	}
	if err := t.dev.Down(); err != nil && t.ctx.Err() == nil {
		t.log.Error("tun: setting the interface down", "err", err)
		return
	}
	t.log.Info("tun: down", "reason", why, "drops", t.drops.Load())
}

// deliver hands one inbound packet to the host.
func (t *TUN) deliver(pkt []byte) {
	if _, err := t.dev.Write(pkt); err != nil {
		t.drop("to the host", len(pkt), err)
	}
}

// routineRead moves the host's packets to the current link until Close.
func (t *TUN) routineRead() {
	defer t.wg.Done()
	buf := make([]byte, 1<<16)
	for {
		n, err := t.dev.Read(buf)
		if err != nil {
			if t.ctx.Err() == nil {
				t.log.Error("tun: reading the interface", "err", err)
			}
			return
		}
		l := t.cur.Load()
		if l == nil {
			t.drop("to the link", n, errNoLink)
			continue
		}
		if err := l.writeIP(buf[:n]); err != nil {
			t.drop("to the link", n, err)
		}
	}
}

var errNoLink = fmt.Errorf("gprsppp: no link up")

func (t *TUN) drop(where string, n int, err error) {
	t.drops.Add(1)
	t.log.Debug("tun: dropped packet", "direction", where, "len", n, "err", err)
}

// Close sets the interface down, removes it and stops moving packets;
// the link, if any, stays up with its own sockets. It is idempotent.
func (t *TUN) Close() error {
	var err error
	t.closeOnce.Do(func() {
		t.end()
		if l := t.cur.Load(); l != nil {
			t.detach(l, "closing")
		}
		err = t.dev.Close()
		t.wg.Wait()
		t.log.Info("tun: removed")
		if t.resolv != nil {
			if restored, rerr := t.resolv.restore(); rerr != nil {
				t.log.Warn("tun: resolv.conf not restored", "err", rerr)
			} else if restored {
				t.log.Info("tun: resolv.conf restored", "path", t.cfg.ResolvConf)
			}
		}
	})
	return err
}
