package proxy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	socks5 "github.com/things-go/go-socks5"
	"github.com/things-go/go-socks5/statute"
	xproxy "golang.org/x/net/proxy"
)

// startSOCKS5 serves SOCKS5 for the link on a loopback port.
func startSOCKS5(t *testing.T, cfg SOCKS5Config) (addr string, stop func()) {
	t.Helper()
	l := loopback(t)
	stop = serve(t, func(ctx context.Context) error { return ServeSOCKS5(ctx, l, cfg) })
	return l.Addr().String(), stop
}

// TestSOCKS5Connect drives CONNECT with golang.org/x/net/proxy's client.
func TestSOCKS5Connect(t *testing.T) {
	tests := []struct {
		name       string
		user, pass string       // the server's
		auth       *xproxy.Auth // the client's
		target     string
		wantErr    string // substring of the client's error; empty for success
	}{
		{name: "by address", target: "10.64.0.1:7"},
		{name: "by name over the link", target: "echo.example:7"},
		{name: "password", user: "u", pass: "secret", auth: &xproxy.Auth{User: "u", Password: "secret"}, target: "echo.example:7"},
		{name: "wrong password", user: "u", pass: "secret", auth: &xproxy.Auth{User: "u", Password: "guess"}, target: "echo.example:7", wantErr: "authentication failed"},
		{name: "wrong user", user: "u", pass: "secret", auth: &xproxy.Auth{User: "v", Password: "secret"}, target: "echo.example:7", wantErr: "authentication failed"},
		{name: "no credentials when required", user: "u", pass: "secret", target: "echo.example:7", wantErr: "no acceptable authentication methods"},
		{name: "unknown name", target: "nowhere.example:7", wantErr: "host unreachable"},
		{name: "refused port", target: "10.64.0.1:1", wantErr: "connection refused"},
		{name: "loopback refused here", target: "127.0.0.1:22", wantErr: "connection not allowed by ruleset"},
		{name: "unspecified refused here", target: "0.0.0.0:80", wantErr: "connection not allowed by ruleset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link := newLink(t)
			addr, _ := startSOCKS5(t, SOCKS5Config{Username: tt.user, Password: tt.pass, Dialer: link})
			d, err := xproxy.SOCKS5("tcp", addr, tt.auth, xproxy.Direct)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), waitTime)
			defer cancel()
			c, err := d.(xproxy.ContextDialer).DialContext(ctx, "tcp", tt.target)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("dial = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			echoed(t, c, []byte("hello over socks5"))
			echoed(t, c, bytes.Repeat([]byte{0x5a}, 256<<10))
		})
	}
}

func TestSOCKS5AuthFailureLogged(t *testing.T) {
	link := newLink(t)
	log, rec := newRecorder()
	addr, stop := startSOCKS5(t, SOCKS5Config{Username: "u", Password: "s3cret-pw", Dialer: link, Logger: log})
	d, err := xproxy.SOCKS5("tcp", addr, &xproxy.Auth{User: "u", Password: "wrong-pw"}, xproxy.Direct)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Dial("tcp", "echo.example:7"); err == nil {
		t.Fatal("dial with a wrong password succeeded")
	}
	rec.wait(t, "authentication failed")
	stop()
	if logs := rec.all(); strings.Contains(logs, "s3cret-pw") || strings.Contains(logs, "wrong-pw") {
		t.Errorf("a password was logged:\n%s", logs)
	}
}

// Stopping the server closes the client connections it serves.
func TestSOCKS5Stop(t *testing.T) {
	link := newLink(t)
	addr, stop := startSOCKS5(t, SOCKS5Config{Dialer: link})
	d, err := xproxy.SOCKS5("tcp", addr, nil, xproxy.Direct)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Dial("tcp", "echo.example:7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	echoed(t, c, []byte("ping"))
	stop()
	c.SetReadDeadline(time.Now().Add(waitTime))
	if _, err := c.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Errorf("read after stop: %v, want the connection closed", err)
	}
}

func TestSOCKS5NilDialer(t *testing.T) {
	if err := ServeSOCKS5(context.Background(), loopback(t), SOCKS5Config{}); err == nil {
		t.Error("ServeSOCKS5 without a Dialer: no error")
	}
}

// udpClient is a hand-made SOCKS5 UDP ASSOCIATE client (RFC 1928 §4, §7).
type udpClient struct {
	ctrl  net.Conn
	relay netip.AddrPort
	pc    *net.UDPConn
}

// associate authenticates with no method, sends UDP ASSOCIATE announcing
// 0.0.0.0:0 and opens the client's UDP socket.
func associate(t *testing.T, proxyAddr string) *udpClient {
	t.Helper()
	ctrl, err := net.Dial("tcp", proxyAddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctrl.Close() })
	ctrl.SetDeadline(time.Now().Add(waitTime))
	req := bytes.Join([][]byte{
		{0x05, 0x01, 0x00},       // VER, NMETHODS, NO AUTHENTICATION REQUIRED
		{0x05, 0x03, 0x00, 0x01}, // VER, CMD UDP ASSOCIATE, RSV, ATYP IPv4
		{0, 0, 0, 0}, {0, 0},     // DST.ADDR, DST.PORT: not known yet
	}, nil)
	if _, err := ctrl.Write(req); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(ctrl)
	reply := make([]byte, 2+10)
	if _, err := io.ReadFull(r, reply); err != nil {
		t.Fatal(err)
	}
	if want := []byte{0x05, 0x00, 0x05, 0x00, 0x00, 0x01}; !bytes.Equal(reply[:6], want) {
		t.Fatalf("method selection and reply %x, want %x...", reply, want)
	}
	relay := netip.AddrPortFrom(netip.AddrFrom4([4]byte(reply[6:10])), binary.BigEndian.Uint16(reply[10:]))
	if relay.Addr() != netip.MustParseAddr("127.0.0.1") {
		t.Errorf("relay on %v, want the listener's address 127.0.0.1", relay)
	}
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return &udpClient{ctrl: ctrl, relay: relay, pc: pc}
}

// header returns a SOCKS UDP request header for dst, "ip:port" or
// "name:port".
func header(t *testing.T, frag byte, dst string) []byte {
	t.Helper()
	host, port, err := net.SplitHostPort(dst)
	if err != nil {
		t.Fatal(err)
	}
	h := []byte{0, 0, frag}
	if ip, err := netip.ParseAddr(host); err == nil && ip.Is4() {
		h = append(append(h, 0x01), ip.AsSlice()...)
	} else if err == nil {
		h = append(append(h, 0x04), ip.AsSlice()...)
	} else {
		h = append(append(h, 0x03, byte(len(host))), host...)
	}
	var p uint16
	for _, c := range port {
		p = p*10 + uint16(c-'0')
	}
	return binary.BigEndian.AppendUint16(h, p)
}

// exchange sends payload to dst through the relay and returns the first
// datagram that comes back. The first datagram to a destination can be
// lost while the link's stack resolves it, so it retries a few times.
func (u *udpClient) exchange(t *testing.T, dst string, payload []byte) []byte {
	t.Helper()
	buf := make([]byte, maxDatagram)
	for try := 0; try < 5; try++ {
		if _, err := u.pc.WriteToUDPAddrPort(append(header(t, 0, dst), payload...), u.relay); err != nil {
			t.Fatal(err)
		}
		u.pc.SetReadDeadline(time.Now().Add(waitTime / 5))
		n, err := u.pc.Read(buf)
		if isTimeout(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return buf[:n]
	}
	t.Fatalf("no reply from %s", dst)
	return nil
}

func TestSOCKS5Associate(t *testing.T) {
	// Replies carry the address the datagram came from, as an address.
	header4 := []byte{0, 0, 0, 0x01, 10, 64, 0, 1, 0, 7}
	header6 := append(append([]byte{0, 0, 0, 0x04}, networkAddr6.AsSlice()...), 0, 7)
	tests := []struct {
		name       string
		dst        string
		size       int
		wantHeader []byte
	}{
		{"by address", "10.64.0.1:7", 20, header4},
		{"by name over the link", "echo.example:7", 20, header4},
		{"large datagram", "10.64.0.1:7", 8000, header4},
		{"by IPv6 address", "[2001:db8:64::1]:7", 20, header6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link := newLink(t)
			addr, _ := startSOCKS5(t, SOCKS5Config{Dialer: link})
			u := associate(t, addr)
			for i := range 3 {
				payload := bytes.Repeat([]byte{byte('a' + i)}, tt.size)
				got := u.exchange(t, tt.dst, payload)
				want := append(append([]byte(nil), tt.wantHeader...), payload...)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("reply (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// The relay drops fragments and datagrams from other sources; what it
// relays keeps its order, so the first reply shows what was dropped.
func TestSOCKS5AssociateDrops(t *testing.T) {
	link := newLink(t)
	log, rec := newRecorder()
	addr, _ := startSOCKS5(t, SOCKS5Config{Dialer: link, Logger: log})
	u := associate(t, addr)
	u.exchange(t, "10.64.0.1:7", []byte("warm up")) // fixes the client's port

	// A fragment from the client, then a whole datagram.
	if _, err := u.pc.WriteToUDPAddrPort(append(header(t, 1, "10.64.0.1:7"), "fragment"...), u.relay); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, "dropped a malformed or fragmented datagram")
	// A datagram from another port of the same host.
	other, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.WriteToUDPAddrPort(append(header(t, 0, "10.64.0.1:7"), "intruder"...), u.relay); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, "dropped a datagram from an unexpected source")

	got := u.exchange(t, "10.64.0.1:7", []byte("whole"))
	if !bytes.HasSuffix(got, []byte("whole")) {
		t.Errorf("first reply %q, want the whole datagram's echo", got)
	}
}

// The association ends with its TCP connection (RFC 1928 §7).
func TestSOCKS5AssociateEndsWithControl(t *testing.T) {
	link := newLink(t)
	log, rec := newRecorder()
	addr, _ := startSOCKS5(t, SOCKS5Config{Dialer: link, Logger: log})
	u := associate(t, addr)
	u.exchange(t, "echo.example:7", []byte("hello"))
	u.ctrl.Close()
	rec.wait(t, "udp associate ended")
}

func TestSOCKS5AssociateWithPassword(t *testing.T) {
	link := newLink(t)
	addr, _ := startSOCKS5(t, SOCKS5Config{Username: "user", Password: "pw", Dialer: link})
	ctrl, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ctrl.Close()
	ctrl.SetDeadline(time.Now().Add(waitTime))
	req := bytes.Join([][]byte{
		{0x05, 0x01, 0x02},                           // offer USERNAME/PASSWORD
		{0x01, 4}, []byte("user"), {2}, []byte("pw"), // RFC 1929 request
		{0x05, 0x03, 0x00, 0x01, 0, 0, 0, 0, 0, 0}, // UDP ASSOCIATE 0.0.0.0:0
	}, nil)
	if _, err := ctrl.Write(req); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 2+2+10)
	if _, err := io.ReadFull(ctrl, got); err != nil {
		t.Fatal(err)
	}
	want := []byte{0x05, 0x02, 0x01, 0x00, 0x05, 0x00, 0x00, 0x01}
	if !bytes.Equal(got[:len(want)], want) {
		t.Fatalf("replies %x, want %x...", got, want)
	}
}

func TestExpectedSource(t *testing.T) {
	client := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	tests := []struct {
		name     string
		announce statute.AddrSpec
		wantIP   netip.Addr
		wantPort uint16
	}{
		{"unspecified (16-octet form)", statute.AddrSpec{IP: net.IPv4zero, Port: 0}, netip.MustParseAddr("127.0.0.1"), 0},
		{"unspecified (4-octet form)", statute.AddrSpec{IP: net.IPv4zero.To4(), Port: 0}, netip.MustParseAddr("127.0.0.1"), 0},
		{"port only", statute.AddrSpec{IP: net.IPv4zero, Port: 5000}, netip.MustParseAddr("127.0.0.1"), 5000},
		{"address and port", statute.AddrSpec{IP: net.IPv4(127, 0, 0, 2), Port: 5000}, netip.MustParseAddr("127.0.0.2"), 5000},
		{"name", statute.AddrSpec{FQDN: "client.example", Port: 5000}, netip.MustParseAddr("127.0.0.1"), 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &socks5.Request{RemoteAddr: client, DestAddr: &tt.announce}
			ip, port := expectedSource(req)
			if ip != tt.wantIP || port != tt.wantPort {
				t.Errorf("expectedSource = %v, %d; want %v, %d", ip, port, tt.wantIP, tt.wantPort)
			}
		})
	}
}

// forbidding is a Dialer that refuses every destination as the host's
// policy does (a loop into its own inbound forwards).
type forbidding struct{}

func (forbidding) DialContext(_ context.Context, network, address string) (net.Conn, error) {
	return nil, &net.OpError{Op: "dial", Net: network, Err: fmt.Errorf("%s: a loop: %w", address, fs.ErrPermission)}
}

// A destination the Dialer forbids gets reply 2 from SOCKS5 and a 502
// saying why from the HTTP proxy, and both log it at info level.
func TestProxiesReportForbiddenDestinations(t *testing.T) {
	log, rec := newRecorder()
	socksAddr, _ := startSOCKS5(t, SOCKS5Config{Dialer: forbidding{}, Logger: log})
	d, err := xproxy.SOCKS5("tcp", socksAddr, nil, xproxy.Direct)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTime)
	defer cancel()
	if _, err := d.(xproxy.ContextDialer).DialContext(ctx, "tcp", "10.64.0.2:2222"); err == nil || !strings.Contains(err.Error(), "not allowed by ruleset") {
		t.Errorf("SOCKS5 dial = %v, want reply 2 (not allowed by ruleset)", err)
	}
	rec.wait(t, "socks5: connect refused")

	httpAddr, _ := startHTTP(t, HTTPConfig{Dialer: forbidding{}, Logger: log})
	_, _, resp := connectTunnel(t, httpAddr, "10.64.0.2:2222", "", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "refused: dial tcp: 10.64.0.2:2222: a loop") {
		t.Errorf("HTTP CONNECT: %s %q, want 502 saying why", resp.Status, body)
	}
	rec.wait(t, "http proxy: dial refused")
}
