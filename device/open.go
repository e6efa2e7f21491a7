package device

import (
	"context"
	"fmt"
	"net"
	"strings"
)

// Open opens the line to a modem named by spec:
//
//	/dev/ttyUSB2 or serial:/dev/ttyUSB2  a serial port or pty slave
//	unix:/path/to/socket                 a unix stream socket
//	tcp://host:port                      a raw TCP connection (ser2net)
//
// A spec without one of these prefixes is a device path, so paths under
// /dev/serial/by-path, which contain colons, work as they are.
//
// opt is checked for every kind of line, so a bad setting is reported even
// where it would be ignored. A serial port is first locked with a UUCP lock
// file (see Options.LockDir), then opened exclusively (TIOCEXCL) and in raw
// mode with the settings in opt; its Port also implements ModemControl, and
// its Close removes the lock file. Unix sockets and TCP lines are not local
// ttys and take no lock file: the far end decides who may connect. ctx
// bounds the TCP and unix dials; opening a serial port does not block,
// beyond 100ms given to another program to finish writing its lock file.
//
// Errors for a serial device match ErrNotFound, ErrBusy or ErrPermission
// where that is the cause, or syscall.ENOTTY when the path is not a terminal.
func Open(ctx context.Context, spec string, opt Options) (Port, error) {
	mode, err := opt.mode()
	if err != nil {
		return nil, err
	}
	kind, addr, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	if kind == "serial" {
		return openSerial(ctx, addr, opt, mode)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, kind, addr)
	if err != nil {
		return nil, fmt.Errorf("device: %w", err)
	}
	opt.logger().Debug("device: connected", "network", kind, "addr", addr)
	return c, nil
}

// parseSpec splits spec into a kind, "serial", "unix" or "tcp", and the
// path or address.
func parseSpec(spec string) (kind, addr string, err error) {
	switch {
	case spec == "":
		return "", "", fmt.Errorf("device: no device given")
	case strings.HasPrefix(spec, "/"):
		return "serial", spec, nil
	case strings.HasPrefix(spec, "serial:"):
		kind, addr = "serial", strings.TrimPrefix(spec, "serial:")
	case strings.HasPrefix(spec, "unix:"):
		kind, addr = "unix", strings.TrimPrefix(spec, "unix:")
	case strings.HasPrefix(spec, "tcp://"):
		addr = strings.TrimSuffix(strings.TrimPrefix(spec, "tcp://"), "/")
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return "", "", fmt.Errorf("device: %s: want tcp://host:port: %w", spec, err)
		}
		return "tcp", addr, nil
	case strings.Contains(spec, "://"):
		return "", "", fmt.Errorf("device: %s: unknown kind of device; want a path, serial:PATH, unix:PATH or tcp://HOST:PORT", spec)
	default:
		return "serial", spec, nil
	}
	if addr == "" {
		return "", "", fmt.Errorf("device: %s: no path", spec)
	}
	return kind, addr, nil
}
