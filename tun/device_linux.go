package tun

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"
)

// cloneDevice is the TUN driver's clone device.
const cloneDevice = "/dev/net/tun"

// Device is a TUN interface: Read and Write move one IP packet each, Up
// and Down configure it, Close removes it. Its methods are safe for
// concurrent use.
type Device struct {
	file  *os.File
	name  string
	index uint32

	mu sync.Mutex // serialises configuration over nl
	nl *rtnetlink.Conn
}

// Create makes a TUN interface named name (at most 15 bytes; a name with
// %d, as "gprs%d", lets the kernel number it) and returns it down and
// without addresses, the kernel's IPv6 link-local among them (see
// noKernelLinkLocal). An interface of that name made persistent by
// "ip tuntap add" is taken over, and left in place by Close.
func Create(name string) (*Device, error) {
	return create(cloneDevice, name)
}

func create(path, name string) (*Device, error) {
	if name == "" || len(name) >= unix.IFNAMSIZ || strings.ContainsAny(name, "/: \t\n") {
		return nil, fmt.Errorf("tun: %q is not an interface name (1 to %d bytes, no '/', ':' or spaces)", name, unix.IFNAMSIZ-1)
	}
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, openError(path, err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("tun: interface name %q: %w", name, err)
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, createError(name, err)
	}
	// Non-blocking, the file joins Go's poller: Close ends a Read.
	d := &Device{file: os.NewFile(uintptr(fd), path), name: ifr.Name()}
	iface, err := net.InterfaceByName(d.name)
	if err != nil {
		d.file.Close()
		return nil, fmt.Errorf("tun: %s: %w", d.name, err)
	}
	d.index = uint32(iface.Index)
	if err := noKernelLinkLocal(d.index); err != nil {
		d.file.Close()
		return nil, fmt.Errorf("tun: %s: %w", d.name, err)
	}
	if d.nl, err = rtnetlink.Dial(nil); err != nil {
		d.file.Close()
		return nil, fmt.Errorf("tun: rtnetlink: %w", err)
	}
	return d, nil
}

// openError explains why the clone device would not open.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("tun: %s: %w: no TUN driver here (modprobe tun; in a container, docker run --device /dev/net/tun)", path, err)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("tun: %s: %w: a TUN interface needs CAP_NET_ADMIN and access to %s (run as root; in a container, docker run --device /dev/net/tun --cap-add NET_ADMIN)", path, err, path)
	}
	return fmt.Errorf("tun: %s: %w", path, err)
}

// createError explains why TUNSETIFF failed.
func createError(name string, err error) error {
	switch {
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("tun: create interface %s: %w: creating a TUN interface needs CAP_NET_ADMIN (run as root; in a container, docker run --cap-add NET_ADMIN --device /dev/net/tun)", name, err)
	case errors.Is(err, unix.EBUSY):
		return fmt.Errorf("tun: create interface %s: %w: a program holds it already", name, err)
	case errors.Is(err, unix.EINVAL):
		return fmt.Errorf("tun: create interface %s: %w: an interface of that name exists and is not a TUN interface", name, err)
	}
	return fmt.Errorf("tun: create interface %s: %w", name, err)
}

// Name returns the interface's name.
func (d *Device) Name() string { return d.name }

// Index returns the interface's index.
func (d *Device) Index() int { return int(d.index) }

// Read reads one IP packet the host sent into the interface. A b shorter
// than the packet gets its start, the rest is lost.
func (d *Device) Read(b []byte) (int, error) { return d.file.Read(b) }

// Write hands one IP packet to the host as received on the interface.
// The kernel drops what it does not take (a full backlog, an interface
// down) and Write reports it.
func (d *Device) Write(pkt []byte) (int, error) { return d.file.Write(pkt) }

// Close removes the interface (unless it was persistent) and ends a
// pending Read. It is idempotent.
func (d *Device) Close() error {
	d.mu.Lock()
	if d.nl != nil {
		d.nl.Close()
		d.nl = nil
	}
	d.mu.Unlock()
	if err := d.file.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("tun: close %s: %w", d.name, err)
	}
	return nil
}
