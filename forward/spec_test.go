package forward

import (
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var localhost = netip.MustParseAddr("127.0.0.1")

func TestParseLocal(t *testing.T) {
	tests := []struct {
		in      string
		want    Local
		wantErr string // substring; empty for success
	}{
		{in: "8080:example.com:80", want: Local{Bind: netip.AddrPortFrom(localhost, 8080), Network: "tcp", Target: "example.com:80"}},
		{in: "8080:example.com:80/tcp", want: Local{Bind: netip.AddrPortFrom(localhost, 8080), Network: "tcp", Target: "example.com:80"}},
		{in: "5353:10.0.0.1:53/udp", want: Local{Bind: netip.AddrPortFrom(localhost, 5353), Network: "udp", Target: "10.0.0.1:53"}},
		{in: "0.0.0.0:2222:10.1.2.3:22", want: Local{Bind: netip.MustParseAddrPort("0.0.0.0:2222"), Network: "tcp", Target: "10.1.2.3:22"}},
		{in: "localhost:1:a:65535", want: Local{Bind: netip.AddrPortFrom(localhost, 1), Network: "tcp", Target: "a:65535"}},
		{in: "[::1]:8080:[2001:db8::1]:80", want: Local{Bind: netip.MustParseAddrPort("[::1]:8080"), Network: "tcp", Target: "[2001:db8::1]:80"}},
		{in: "[::1]:53:dns.example.:53/udp", want: Local{Bind: netip.MustParseAddrPort("[::1]:53"), Network: "udp", Target: "dns.example.:53"}},
		{in: "08080:my_host-1.example:0080", want: Local{Bind: netip.AddrPortFrom(localhost, 8080), Network: "tcp", Target: "my_host-1.example:80"}},

		{in: "", wantErr: "want [bind:]port:host:hostport"},
		{in: "8080:example.com", wantErr: "want [bind:]port:host:hostport"},
		{in: "1:2:3:4:5", wantErr: "want [bind:]port:host:hostport"},
		{in: "8080:example.com:80/sctp", wantErr: `protocol "sctp" is not tcp or udp`},
		{in: "0:example.com:80", wantErr: "port: \"0\" is not from 1 to 65535"},
		{in: "65536:example.com:80", wantErr: "not from 1 to 65535"},
		{in: "-1:example.com:80", wantErr: "not a number"},
		{in: "+80:example.com:80", wantErr: "not a number"},
		{in: "80:example.com:", wantErr: "host port: missing"},
		{in: "80::80", wantErr: `host "" is not a DNS name`},
		{in: "80:exa mple:80", wantErr: "is not a DNS name"},
		{in: "80:-bad.example:80", wantErr: "is not a DNS name"},
		{in: "example.com:80:example.com:80", wantErr: `bind address "example.com" is not an IP address`},
		{in: "[example]:80:h:80", wantErr: "is not an IPv6 address"},
		{in: "[::ffff:1.2.3.4]:80:h:80", wantErr: "is not an IPv6 address"},
		{in: "[1.2.3.4]:80:h:80", wantErr: "is not an IPv6 address"},
		{in: "[::1:80:h:80", wantErr: "missing ']'"},
		{in: "::1:80:h:80", wantErr: "want [bind:]port:host:hostport"},
		{in: "80:[::1]x:80", wantErr: "misplaced ']'"},
		{in: "80:x[::1]:80", wantErr: "misplaced '['"},
		{in: "[fe80::1%eth0]:80:h:80", wantErr: "is not an IPv6 address"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLocal(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseLocal(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("ParseLocal(%q) (-want +got):\n%s", tt.in, diff)
			}
			again, err := ParseLocal(got.String())
			if err != nil || again != got {
				t.Errorf("ParseLocal(%q) = %v, %v; want %v", got.String(), again, err, got)
			}
		})
	}
}

func TestParseRemote(t *testing.T) {
	tests := []struct {
		in      string
		want    Remote
		str     string // String's form, if not in
		wantErr string
	}{
		{in: "2222:127.0.0.1:22", want: Remote{Port: 2222, Target: "127.0.0.1:22"}},
		{in: "80:localhost:8080", want: Remote{Port: 80, Target: "localhost:8080"}},
		{in: "443:[::1]:8443", want: Remote{Port: 443, Target: "[::1]:8443"}},

		{in: "10.0.0.7:2222:127.0.0.1:22", want: Remote{Bind: netip.MustParseAddr("10.0.0.7"), Port: 2222, Target: "127.0.0.1:22"}},
		{in: "0.0.0.0:2222:127.0.0.1:22", want: Remote{Port: 2222, Target: "127.0.0.1:22"}, str: "2222:127.0.0.1:22"},
		{in: "*:2222:127.0.0.1:22", want: Remote{Port: 2222, Target: "127.0.0.1:22"}, str: "2222:127.0.0.1:22"},
		{in: ":2222:127.0.0.1:22", want: Remote{Port: 2222, Target: "127.0.0.1:22"}, str: "2222:127.0.0.1:22"},

		{in: "127.0.0.1:2222:127.0.0.1:22", wantErr: "the link has no loopback"},
		{in: "localhost:2222:127.0.0.1:22", wantErr: "the link has no loopback"},
		{in: "2222", wantErr: "want [bind:]port:host:hostport"},
		{in: "2222:h", wantErr: "want [bind:]port:host:hostport"},
		{in: "a:b:2222:h:22", wantErr: "want [bind:]port:host:hostport"},
		{in: "banana:2222:h:22", wantErr: "bind address"},
		{in: "0:h:22", wantErr: "port: \"0\" is not from 1 to 65535"},
		{in: "22:h:99999", wantErr: "host port: \"99999\" is not from 1 to 65535"},
		{in: "22:h h:22", wantErr: "is not a DNS name"},
		{in: "22:[h]:22", wantErr: "is not an IPv6 address"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRemote(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseRemote(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("ParseRemote(%q) (-want +got):\n%s", tt.in, diff)
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

func TestParseAllow(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: "10.0.0.0/8", want: "10.0.0.0/8"},
		{in: "10.1.2.3/8", want: "10.0.0.0/8"},
		{in: "192.0.2.7", want: "192.0.2.7/32"},
		{in: "0.0.0.0/0", want: "0.0.0.0/0"},
		{in: "2001:db8::1", want: "2001:db8::1/128"},
		{in: "2001:db8::/32", want: "2001:db8::/32"},

		{in: "", wantErr: true},
		{in: "example.com", wantErr: true},
		{in: "10.0.0.0/33", wantErr: true},
		{in: "10.0.0.0/", wantErr: true},
		{in: "fe80::1%eth0", wantErr: true},
		{in: "10.0.0.0/8/8", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAllow(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseAllow(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseAllow(%q) = %v, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestAllowed(t *testing.T) {
	allow := []netip.Prefix{netip.MustParsePrefix("10.64.0.0/16"), netip.MustParsePrefix("192.0.2.1/32")}
	tests := []struct {
		addr  string
		allow []netip.Prefix
		want  bool
	}{
		{"10.64.3.4:1000", allow, true},
		{"192.0.2.1:1", allow, true},
		{"192.0.2.2:1", allow, false},
		{"[::ffff:10.64.0.1]:1", allow, true},
		{"10.64.3.4:1000", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			ap := netip.MustParseAddrPort(tt.addr)
			if got := allowed(net.TCPAddrFromAddrPort(ap), tt.allow); got != tt.want {
				t.Errorf("allowed(%v) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	if allowed(nil, allow) {
		t.Error("allowed(nil) = true")
	}
}
