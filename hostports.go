package gprsppp

import (
	"fmt"
	"os"
)

// The link's stack and the host's kernel share the link's address when a
// TUN is attached, so their local ports must not meet: the stack takes
// its ephemeral ports from outside the kernel's
// (net.ipv4.ip_local_port_range, which serves IPv6 too): above it, where
// nothing else picks ports (61000-65535 by default), else below it.

// localPortRange is the kernel's ephemeral port range in this network
// namespace.
const localPortRange = "/proc/sys/net/ipv4/ip_local_port_range"

// minStackPorts is the fewest ports the stack is given.
const minStackPorts = 1024

// stackPorts returns the range of local ports for the link's stack.
func (t *TUN) stackPorts() (lo, hi uint16) {
	klo, khi := 32768, 60999 // Linux's default
	if b, err := os.ReadFile(localPortRange); err != nil {
		t.log.Warn("tun: the host's ephemeral port range unknown, taking Linux's default", "err", err)
	} else if _, err := fmt.Sscan(string(b), &klo, &khi); err != nil {
		t.log.Warn("tun: the host's ephemeral port range unreadable, taking Linux's default", "file", localPortRange, "err", err)
		klo, khi = 32768, 60999
	}
	lo, hi, ok := portsOutside(klo, khi)
	if !ok {
		t.log.Warn("tun: the host's ephemeral ports leave the link's stack too few of its own; their flows may collide", "host", fmt.Sprintf("%d-%d", klo, khi))
	}
	return lo, hi
}

// portsOutside returns the ports above klo-khi, or else those from 1024
// below it, and whether they are at least minStackPorts; if neither is,
// it returns the top minStackPorts.
func portsOutside(klo, khi int) (lo, hi uint16, ok bool) {
	above := 65535 - khi // khi+1 .. 65535
	below := klo - 1024  // 1024 .. klo-1
	switch {
	case above >= minStackPorts:
		return uint16(khi + 1), 65535, true
	case below >= minStackPorts:
		return 1024, uint16(klo - 1), true
	}
	return 65535 - minStackPorts + 1, 65535, false
}
