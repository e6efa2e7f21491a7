package forward

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseInbound(t *testing.T) {
	src := netip.MustParseAddr("192.0.2.7")
	tests := []struct {
		in      string
		want    Inbound
		str     string // String's form, if not in
		wantErr string // substring; empty for success
	}{
		{in: "2323:23", want: Inbound{Bind: netip.AddrPortFrom(localhost, 2323), LinkPort: 23}, str: "127.0.0.1:2323:23"},
		{in: "127.0.0.1:2323:23", want: Inbound{Bind: netip.AddrPortFrom(localhost, 2323), LinkPort: 23}},
		{in: "2323:23@192.0.2.7", want: Inbound{Bind: netip.AddrPortFrom(localhost, 2323), LinkPort: 23, Source: src}, str: "127.0.0.1:2323:23@192.0.2.7"},
		{in: "0.0.0.0:1:65535@10.64.64.1", want: Inbound{Bind: netip.MustParseAddrPort("0.0.0.0:1"), LinkPort: 65535, Source: netip.MustParseAddr("10.64.64.1")}},
		{in: "localhost:2323:23", want: Inbound{Bind: netip.AddrPortFrom(localhost, 2323), LinkPort: 23}, str: "127.0.0.1:2323:23"},
		{in: "[::1]:2323:23@192.0.2.7", want: Inbound{Bind: netip.MustParseAddrPort("[::1]:2323"), LinkPort: 23, Source: src}},
		{in: "02323:0023", want: Inbound{Bind: netip.AddrPortFrom(localhost, 2323), LinkPort: 23}, str: "127.0.0.1:2323:23"},

		{in: "", wantErr: "want [bind:]port:linkport[@source]"},
		{in: "2323", wantErr: "want [bind:]port:linkport[@source]"},
		{in: "a:b:2323:23", wantErr: "want [bind:]port:linkport[@source]"},
		{in: "2323:10.0.0.1:23", wantErr: `bind address "2323" is not an IP address`},
		{in: "0:23", wantErr: `port: "0" is not from 1 to 65535`},
		{in: "2323:65536", wantErr: `link port: "65536" is not from 1 to 65535`},
		{in: "2323:", wantErr: "link port: missing"},
		{in: "2323:telnet", wantErr: `link port: "telnet" is not a number`},
		{in: "example.com:2323:23", wantErr: "bind address"},
		{in: "[::1:2323:23", wantErr: "missing ']'"},
		{in: "2323:23@", wantErr: `source "" is not an IPv4 address`},
		{in: "2323:23@gw.example", wantErr: "is not an IPv4 address"},
		{in: "2323:23@2001:db8::1", wantErr: "is not an IPv4 address"},
		{in: "2323:23@::ffff:192.0.2.7", wantErr: "is not an IPv4 address"},
		{in: "2323:23@192.0.2.7@192.0.2.8", wantErr: "is not an IPv4 address"},
		{in: "2323:23@127.0.0.1", wantErr: "cannot be a host's address"},
		{in: "2323:23@0.0.0.0", wantErr: "cannot be a host's address"},
		{in: "2323:23@224.0.0.1", wantErr: "cannot be a host's address"},
		{in: "2323:23@255.255.255.255", wantErr: "cannot be a host's address"},
		{in: "2323:23@169.254.1.1", wantErr: "cannot be a host's address"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseInbound(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseInbound(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cmpAddrs := cmp.Options{
				cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b }),
				cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
			}
			if diff := cmp.Diff(tt.want, got, cmpAddrs); diff != "" {
				t.Errorf("ParseInbound(%q) (-want +got):\n%s", tt.in, diff)
			}
			want := tt.in
			if tt.str != "" {
				want = tt.str
			}
			if s := got.String(); s != want {
				t.Errorf("String() = %q, want %q", s, want)
			}
		})
	}
}

// ServeInbound relays a host connection to what dial opens, half-closes
// included, and closes it at once, with a log line, when dial fails.
func TestServeInbound(t *testing.T) {
	client, network := newLink(t)
	inner, err := client.Listen("tcp", ":2222")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	go func() {
		for {
			c, err := inner.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var buf bytes.Buffer
				buf.ReadFrom(c) // to the host's FIN
				c.Write(bytes.ToUpper(buf.Bytes()))
			}()
		}
	}()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in := Inbound{Bind: netip.MustParseAddrPort(ln.Addr().String()), LinkPort: 2222}
	up := make(chan bool, 1)
	up <- true
	dial := func(ctx context.Context) (net.Conn, error) {
		if !<-up {
			up <- false
			return nil, errors.New("no call is up")
		}
		up <- true
		return network.DialTCPFrom(ctx, netip.Addr{}, netip.AddrPortFrom(clientAddr, in.LinkPort))
	}
	log, rec := newRecorder()
	serve(t, func(ctx context.Context) error { return ServeInbound(ctx, ln, in, dial, log) })

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitTime))
	c.Write([]byte("through the network side"))
	c.(*net.TCPConn).CloseWrite()
	var got bytes.Buffer
	if _, err := got.ReadFrom(c); err != nil || got.String() != "THROUGH THE NETWORK SIDE" {
		t.Fatalf("read %q, %v", got.String(), err)
	}

	<-up
	up <- false
	c2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	c2.SetDeadline(time.Now().Add(waitTime))
	if n, err := c2.Read(make([]byte, 1)); err == nil {
		t.Fatalf("read %d octets from an inbound forward whose dial failed", n)
	}
	rec.wait(t, "inbound connection refused")
}
