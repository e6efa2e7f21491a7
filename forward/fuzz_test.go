package forward

import "testing"

// The fuzz targets check that whatever parses prints back to a form that
// parses to the same value. Seeds are here and in testdata/fuzz.

func FuzzParseLocal(f *testing.F) {
	for _, s := range []string{
		"8080:example.com:80",          // default bind, TCP
		"5353:10.0.0.1:53/udp",         // UDP
		"0.0.0.0:2222:10.1.2.3:22/tcp", // explicit bind and protocol
		"[::1]:8080:[2001:db8::1]:80",  // bracketed IPv6 on both sides
		"localhost:1:dns.example.:53",  // named bind, fully qualified host
		"[::1:80:h:80",                 // missing bracket
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLocal(s)
		if err != nil {
			return
		}
		again, err := ParseLocal(l.String())
		if err != nil {
			t.Fatalf("ParseLocal(%q) = %v, but ParseLocal(%q): %v", s, l, l.String(), err)
		}
		if again != l || again.String() != l.String() {
			t.Fatalf("ParseLocal(%q) = %v, but ParseLocal(%q) = %v", s, l, l.String(), again)
		}
	})
}

func FuzzParseRemote(f *testing.F) {
	for _, s := range []string{
		"2222:127.0.0.1:22", // IPv4 target
		"80:localhost:8080", // named target
		"443:[::1]:8443",    // IPv6 target
		"0:h:22",            // port out of range
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRemote(s)
		if err != nil {
			return
		}
		again, err := ParseRemote(r.String())
		if err != nil || again != r {
			t.Fatalf("ParseRemote(%q) = %v, but ParseRemote(%q) = %v, %v", s, r, r.String(), again, err)
		}
	})
}

func FuzzParseAllow(f *testing.F) {
	for _, s := range []string{
		"10.0.0.0/8",    // prefix
		"10.1.2.3/8",    // unmasked prefix
		"192.0.2.7",     // bare address
		"2001:db8::/32", // IPv6 prefix
		"fe80::1%eth0",  // zone: refused
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseAllow(s)
		if err != nil {
			return
		}
		if p != p.Masked() {
			t.Fatalf("ParseAllow(%q) = %v, not masked", s, p)
		}
		again, err := ParseAllow(p.String())
		if err != nil || again != p {
			t.Fatalf("ParseAllow(%q) = %v, but ParseAllow(%q) = %v, %v", s, p, p.String(), again, err)
		}
	})
}

func FuzzParseInbound(f *testing.F) {
	for _, s := range []string{
		"2323:23",                   // default bind and source
		"0.0.0.0:2323:23@192.0.2.7", // explicit bind and source
		"[::1]:2323:23@10.64.64.1",  // bracketed IPv6 bind
		"localhost:1:65535",         // named bind, extreme ports
		"2323:23@127.0.0.1",         // loopback source: refused
		"2323:23@2001:db8::1",       // IPv6 source: refused
		"[::1:2323:23",              // missing bracket
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := ParseInbound(s)
		if err != nil {
			return
		}
		again, err := ParseInbound(in.String())
		if err != nil || again != in || again.String() != in.String() {
			t.Fatalf("ParseInbound(%q) = %v, but ParseInbound(%q) = %v, %v", s, in, in.String(), again, err)
		}
	})
}
