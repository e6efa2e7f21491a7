package tun

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/testenv"
	"golang.org/x/sys/unix"
)

func TestCreateErrors(t *testing.T) {
	for _, tc := range []struct {
		name, path, ifname string
		is                 error
		want               string
	}{
		{"no TUN driver", "/nonexistent/net/tun", "gprs0", os.ErrNotExist, "docker run --device /dev/net/tun"},
		{"empty name", cloneDevice, "", nil, "is not an interface name"},
		{"name too long", cloneDevice, "a-name-too-long-for-linux", nil, "is not an interface name"},
		{"slash in the name", cloneDevice, "gprs/0", nil, "is not an interface name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := create(tc.path, tc.ifname)
			if err == nil {
				d.Close()
				t.Fatal("create succeeded")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// Without CAP_NET_ADMIN (dropped by setpriv, the process staying root
// otherwise) Create fails and says what is missing.
func TestCreateWithoutNetAdmin(t *testing.T) {
	if os.Getenv("GPRSPPP_TEST_NO_NET_ADMIN") != "" {
		d, err := Create("gprsnocap0")
		if err == nil {
			d.Close()
			t.Fatal("Create succeeded without CAP_NET_ADMIN")
		}
		if !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), "needs CAP_NET_ADMIN") || !strings.Contains(err.Error(), "--cap-add NET_ADMIN") {
			t.Fatalf("error %q: want a permission error naming CAP_NET_ADMIN and --cap-add NET_ADMIN", err)
		}
		t.Logf("Create: %v", err)
		return
	}
	testenv.NeedRoot(t, "it drops CAP_NET_ADMIN from a root process")
	setpriv := testenv.NeedTool(t, "setpriv", "apt-get install util-linux")
	unshare := testenv.NeedTool(t, "unshare", "apt-get install util-linux")
	// In a namespace of its own, so that a Create that wrongly succeeds
	// makes nothing on the host.
	cmd := exec.Command(unshare, "--net", setpriv, "--inh-caps=-net_admin", "--bounding-set=-net_admin",
		os.Args[0], "-test.run", "^TestCreateWithoutNetAdmin$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "GPRSPPP_TEST_NO_NET_ADMIN=1")
	out, err := cmd.CombinedOutput()
	t.Logf("without CAP_NET_ADMIN:\n%s", out)
	if err != nil {
		t.Fatal(err)
	}
}

// Up gives the interface its point-to-point address, MTU and default
// route as ip(8) sees them; packets go both ways between the host and
// Read/Write; Down takes the addresses off; Close removes it.
func TestUpDown(t *testing.T) {
	if !testenv.InNetns(t) {
		return
	}
	ip := testenv.NeedTool(t, "ip", "apt-get install iproute2")
	d, err := Create("gprs%d")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !strings.HasPrefix(d.Name(), "gprs") || d.Name() == "gprs%d" {
		t.Fatalf("Name() = %q, want the kernel's number for gprs%%d", d.Name())
	}
	local, peer := netip.MustParseAddr("10.64.64.2"), netip.MustParseAddr("10.64.64.1")
	s := Settings{Addrs: []Address{{Local: netip.PrefixFrom(local, 32), Peer: peer}}, MTU: 1400}
	if err := d.Up(s); err != nil {
		t.Fatal(err)
	}
	if err := d.Up(s); err != nil { // a renumbering to the same address
		t.Fatalf("Up again: %v", err)
	}
	if err := d.AddDefaultRoute(4); err != nil {
		t.Fatal(err)
	}
	if err := d.AddDefaultRoute(4); !errors.Is(err, unix.EEXIST) {
		t.Errorf("second default route: %v, want EEXIST", err)
	}
	show := func(args ...string) string {
		out, err := exec.Command(ip, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("ip %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	link := show("-o", "link", "show", "dev", d.Name())
	for _, want := range []string{"<POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP>", "mtu 1400"} {
		if !strings.Contains(link, want) {
			t.Errorf("ip link: %q lacks %q", link, want)
		}
	}
	if addr := show("-o", "-4", "addr", "show", "dev", d.Name()); strings.Count(addr, "inet ") != 1 || !strings.Contains(addr, "inet 10.64.64.2 peer 10.64.64.1/32") {
		t.Errorf("ip addr: %q, want 10.64.64.2 peer 10.64.64.1/32 alone", addr)
	}
	if route := show("-4", "route", "show", "default"); !strings.Contains(route, "default dev "+d.Name()) {
		t.Errorf("ip route: %q lacks the default route", route)
	}
	if addr := show("-o", "-6", "addr", "show", "dev", d.Name()); addr != "" {
		t.Errorf("ip -6 addr: %q, want none: the kernel makes no link-local of its own", addr)
	}

	// The host's datagram to the peer comes out of Read...
	conn, err := net.Dial("udp4", "10.64.64.1:9")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("to the link")); err != nil {
		t.Fatal(err)
	}
	pkt := readUntil(t, d, func(p []byte) bool { return len(p) > 28 && p[9] == 17 && string(p[28:]) == "to the link" })
	if src, dst := netip.AddrFrom4([4]byte(pkt[12:16])), netip.AddrFrom4([4]byte(pkt[16:20])); src != local || dst != peer {
		t.Errorf("datagram %v → %v, want %v → %v", src, dst, local, peer)
	}
	// ...and the host answers the peer's echo request given to Write.
	if _, err := d.Write(echoRequest(peer, local)); err != nil {
		t.Fatal(err)
	}
	readUntil(t, d, func(p []byte) bool {
		return len(p) >= 28 && p[9] == 1 && p[20] == 0 && netip.AddrFrom4([4]byte(p[16:20])) == peer
	})

	// IPv6 beside IPv4: a link-local from an interface identifier and a
	// global address, both kept by a second Up, and a default route.
	s6 := s
	s6.Addrs = append(s6.Addrs,
		Address{Local: netip.MustParsePrefix("fe80::2/64")},
		Address{Local: netip.MustParsePrefix("2001:db8::2/128"), Peer: netip.MustParseAddr("2001:db8::1")})
	for range 2 {
		if err := d.Up(s6); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.AddDefaultRoute(6); err != nil {
		t.Fatal(err)
	}
	addr6 := show("-o", "-6", "addr", "show", "dev", d.Name())
	for _, want := range []string{"inet6 fe80::2/64", "inet6 2001:db8::2 peer 2001:db8::1/128"} {
		if strings.Count(addr6, want) != 1 {
			t.Errorf("ip -6 addr: %q, want %q once", addr6, want)
		}
	}
	if route := show("-6", "route", "show", "default"); !strings.Contains(route, "default dev "+d.Name()) {
		t.Errorf("ip -6 route: %q lacks the default route", route)
	}
	if err := d.Up(s); err != nil { // IPv6 gone from the link
		t.Fatal(err)
	}
	if addr := show("-o", "-6", "addr", "show", "dev", d.Name()); addr != "" {
		t.Errorf("after Up without IPv6, ip -6 addr: %q", addr)
	}

	if err := d.Down(); err != nil {
		t.Fatal(err)
	}
	if link := show("-o", "link", "show", "dev", d.Name()); strings.Contains(link, ",UP") {
		t.Errorf("after Down, ip link: %q", link)
	}
	if addr := show("-o", "addr", "show", "dev", d.Name()); strings.Contains(addr, "inet") {
		t.Errorf("after Down, ip addr: %q", addr)
	}
	name := d.Name()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.InterfaceByName(name); err == nil {
		t.Errorf("%s still there after Close", name)
	}
	if err := d.Up(s); err == nil {
		t.Error("Up after Close succeeded")
	}
}

// readUntil reads packets from d until match takes one, for at most 10 s
// (the host sends router solicitations and the like of its own).
func readUntil(t *testing.T, d *Device, match func([]byte) bool) []byte {
	t.Helper()
	d.file.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer d.file.SetReadDeadline(time.Time{})
	buf := make([]byte, 2048)
	for {
		n, err := d.Read(buf)
		if err != nil {
			t.Fatalf("no matching packet: %v", err)
		}
		if match(buf[:n]) {
			return buf[:n]
		}
	}
}

// echoRequest is an ICMP echo request from src to dst, checksums done.
func echoRequest(src, dst netip.Addr) []byte {
	p := []byte{0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0}
	p = append(p, src.AsSlice()...)
	p = append(p, dst.AsSlice()...)
	binary.BigEndian.PutUint16(p[10:], checksum(p))
	icmp := []byte{8, 0, 0, 0, 0x12, 0x34, 0, 1}
	binary.BigEndian.PutUint16(icmp[2:], checksum(icmp))
	return append(p, icmp...)
}

func checksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}
