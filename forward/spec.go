package forward

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Local is a local forward: a host socket whose traffic goes over the
// link to Target. ParseLocal makes one from its command-line form.
type Local struct {
	// Bind is the host address and port to listen on. ParseLocal
	// defaults the address to 127.0.0.1, so that only this host can use
	// the forward.
	Bind netip.AddrPort
	// Network is "tcp" or "udp"; ServeLocal treats "" as "tcp".
	Network string
	// Target is "host:port" on the link's side. A host name is resolved
	// through the link's DNS when a connection or UDP session starts.
	Target string
	// IdleTimeout ends a UDP client's session after this long without a
	// datagram in either direction. Zero means DefaultIdleTimeout. It is
	// not part of the command-line form.
	IdleTimeout time.Duration
}

// DefaultIdleTimeout is the idle timeout of UDP sessions when
// Local.IdleTimeout is zero, a common NAT mapping lifetime for UDP
// (RFC 4787 REQ-5 asks for at least two minutes).
const DefaultIdleTimeout = 2 * time.Minute

// String returns l in the form ParseLocal reads, with the bind address
// always present: "127.0.0.1:8080:example.com:80" or "[::1]:53:10.0.0.1:53/udp".
func (l Local) String() string {
	s := l.Bind.String() + ":" + l.Target
	if l.Network == "udp" {
		s += "/udp"
	}
	return s
}

// Remote is a remote forward: connections to Port on the link's address
// are relayed to Target as dialled from the host. ParseRemote makes one
// from its command-line form.
type Remote struct {
	// Bind is the address on the link's side to listen on; the zero
	// Addr (the default) or an unspecified address means the link's
	// own address, whatever it is after a redial.
	Bind netip.Addr
	// Port is the TCP port on the link's address, 1 to 65535.
	Port uint16
	// Target is "host:port" as dialled from the host.
	Target string
}

// String returns r in the form ParseRemote reads: "2222:127.0.0.1:22",
// or "10.0.0.7:2222:127.0.0.1:22" with a bind address.
func (r Remote) String() string {
	s := strconv.Itoa(int(r.Port)) + ":" + r.Target
	if r.Bind.IsValid() && !r.Bind.IsUnspecified() {
		b := r.Bind.String()
		if r.Bind.Is6() {
			b = "[" + b + "]"
		}
		s = b + ":" + s
	}
	return s
}

// ParseLocal parses a local forward, as the -L flag gives it:
//
//	[bind:]port:host:hostport[/udp]
//
// bind is an IPv4 address, a bracketed IPv6 address ("[::1]") or
// "localhost"; it defaults to 127.0.0.1. host is a DNS name, an IPv4
// address or a bracketed IPv6 address. Ports are decimal, 1 to 65535.
// A "/tcp" suffix is accepted and is the default.
func ParseLocal(s string) (Local, error) {
	errf := func(format string, args ...any) (Local, error) {
		return Local{}, fmt.Errorf("forward: local forward %q: %s", s, fmt.Sprintf(format, args...))
	}
	spec, network := s, "tcp"
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		spec, network = s[:i], s[i+1:]
		if network != "tcp" && network != "udp" {
			return errf("protocol %q is not tcp or udp", network)
		}
	}
	fields, err := splitFields(spec)
	if err != nil {
		return errf("%v", err)
	}
	bind := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	switch len(fields) {
	case 3:
	case 4:
		if bind, err = parseBind(fields[0]); err != nil {
			return errf("%v", err)
		}
		fields = fields[1:]
	default:
		return errf("want [bind:]port:host:hostport[/udp]")
	}
	port, err := parsePort(fields[0])
	if err != nil {
		return errf("port: %v", err)
	}
	target, err := parseTarget(fields[1], fields[2])
	if err != nil {
		return errf("%v", err)
	}
	return Local{Bind: netip.AddrPortFrom(bind, port), Network: network, Target: target}, nil
}

// ParseRemote parses a remote forward, as the -R flag gives it (ssh's
// form):
//
//	[bind:]port:host:hostport
//
// port is the TCP port on the link's side; host is a DNS name, an IPv4
// address or a bracketed IPv6 address as seen from the host. bind, as in
// ssh, is the address to listen on at the far side: "", "*", 0.0.0.0 or
// [::] for the link's own address (the default), or that address itself.
// A loopback bind is refused with an explanation: the link's side has no
// loopback that anyone could reach.
func ParseRemote(s string) (Remote, error) {
	errf := func(format string, args ...any) (Remote, error) {
		return Remote{}, fmt.Errorf("forward: remote forward %q: %s", s, fmt.Sprintf(format, args...))
	}
	fields, err := splitFields(s)
	if err != nil {
		return errf("%v", err)
	}
	var bind netip.Addr
	switch len(fields) {
	case 3:
	case 4:
		switch fields[0] {
		case "", "*":
		case "localhost":
			bind = netip.AddrFrom4([4]byte{127, 0, 0, 1})
		default:
			if bind, err = parseBind(fields[0]); err != nil {
				return errf("%v", err)
			}
		}
		if bind.IsLoopback() {
			return errf("the link has no loopback: a remote forward listens on the link's own address; leave out %q (or give 0.0.0.0)", fields[0])
		}
		if bind.IsUnspecified() {
			// 0.0.0.0 and [::] mean the link's own address, as the zero
			// Addr does: one value, so that String's form parses back
			// to the same Remote.
			bind = netip.Addr{}
		}
		fields = fields[1:]
	default:
		return errf("want [bind:]port:host:hostport")
	}
	port, err := parsePort(fields[0])
	if err != nil {
		return errf("port: %v", err)
	}
	target, err := parseTarget(fields[1], fields[2])
	if err != nil {
		return errf("%v", err)
	}
	return Remote{Bind: bind, Port: port, Target: target}, nil
}

// ParseAllow parses one entry of a remote forward's allow list: a CIDR
// prefix ("10.0.0.0/8") or a bare address, which means that address
// alone (/32, or /128 for IPv6). The prefix is returned masked
// ("10.1.2.3/8" gives 10.0.0.0/8).
func ParseAllow(cidr string) (netip.Prefix, error) {
	var (
		p   netip.Prefix
		err error
	)
	if strings.Contains(cidr, "/") {
		p, err = netip.ParsePrefix(cidr)
	} else {
		var a netip.Addr
		if a, err = netip.ParseAddr(cidr); err == nil && a.Zone() != "" {
			err = errors.New("zones are not allowed")
		}
		if err == nil {
			p, err = a.Prefix(a.BitLen())
		}
	}
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("forward: allow %q: want an address or CIDR prefix: %w", cidr, err)
	}
	return p.Masked(), nil
}

// splitFields splits s at colons outside square brackets.
func splitFields(s string) ([]string, error) {
	var fields []string
	start, inBracket := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			if inBracket || i != start {
				return nil, errors.New("misplaced '['")
			}
			inBracket = true
		case ']':
			if !inBracket || (i+1 < len(s) && s[i+1] != ':') {
				return nil, errors.New("misplaced ']'")
			}
			inBracket = false
		case ':':
			if !inBracket {
				fields = append(fields, s[start:i])
				start = i + 1
			}
		}
	}
	if inBracket {
		return nil, errors.New("missing ']'")
	}
	return append(fields, s[start:]), nil
}

// parseBind parses a bind address: IPv4, "[IPv6]" or "localhost".
func parseBind(s string) (netip.Addr, error) {
	if s == "localhost" {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	}
	a, err := parseLiteral(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("bind address: %w", err)
	}
	if !a.IsValid() {
		return netip.Addr{}, fmt.Errorf("bind address %q is not an IP address", s)
	}
	return a, nil
}

// parseLiteral parses "[IPv6]" or IPv4. It returns the zero Addr with a
// nil error for something that is neither and has no brackets (a name).
func parseLiteral(s string) (netip.Addr, error) {
	if strings.HasPrefix(s, "[") {
		a, err := netip.ParseAddr(strings.TrimSuffix(s[1:], "]"))
		if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
			return netip.Addr{}, fmt.Errorf("%q is not an IPv6 address", s)
		}
		return a, nil
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
		return a, nil
	}
	return netip.Addr{}, nil
}

// parseTarget checks host and port and joins them as "host:port".
func parseTarget(host, port string) (string, error) {
	a, err := parseLiteral(host)
	if err != nil {
		return "", fmt.Errorf("host: %w", err)
	}
	if !a.IsValid() && !isHostName(host) {
		return "", fmt.Errorf("host %q is not a DNS name or IP address", host)
	}
	if a.IsValid() {
		host = a.String()
	}
	p, err := parsePort(port)
	if err != nil {
		return "", fmt.Errorf("host port: %v", err)
	}
	return net.JoinHostPort(host, strconv.Itoa(int(p))), nil
}

// parsePort parses a decimal port from 1 to 65535.
func parsePort(s string) (uint16, error) {
	if s == "" {
		return 0, errors.New("missing")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%q is not from 1 to 65535", s)
	}
	return uint16(n), nil
}

// isHostName reports whether s is a DNS name as RFC 1123 §2.1 allows,
// with underscores tolerated: dot-separated labels of letters, digits,
// '-' and '_' that neither start nor end with '-', 253 octets at most.
// A trailing dot (a fully qualified name) is allowed.
func isHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
			if !ok {
				return false
			}
		}
	}
	return true
}
