package portlist

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// System names where List, Processes and Holders read the host's state.
// The zero value reads the running system; tests point the roots at a
// recorded tree.
type System struct {
	// SysRoot is where sysfs is mounted. Empty means /sys.
	SysRoot string
	// DevRoot is the directory holding udev's serial/by-id and
	// serial/by-path. Empty means /dev. Port paths and links are always
	// reported under /dev, the names programs open.
	DevRoot string
	// ProcRoot is where procfs is mounted. Empty means /proc.
	ProcRoot string
}

func (s System) sysRoot() string  { return cmp.Or(s.SysRoot, "/sys") }
func (s System) devRoot() string  { return cmp.Or(s.DevRoot, "/dev") }
func (s System) procRoot() string { return cmp.Or(s.ProcRoot, "/proc") }

// Port is a tty with a device behind it: a USB serial or CDC ACM port, a
// UART, or a placeholder for one.
type Port struct {
	// Name is the kernel's name for the tty, such as "ttyUSB2".
	Name string
	// Path is the device node, "/dev/" + Name.
	Path string
	// Links are udev's persistent names for the port, the symbolic links
	// under /dev/serial/by-id and /dev/serial/by-path that point to it,
	// sorted.
	Links []string
	// Driver is the kernel driver: for a USB port the interface's
	// (option, qcserial, cdc_acm, ftdi_sio, ...), otherwise the UART's
	// (serial, serial8250, uart-pl011, imx-uart, ...). Empty if none is
	// bound.
	Driver string
	// NoUART marks a placeholder: the serial core reports its type as 0
	// (PORT_UNKNOWN). The 8250 driver registers ttyS0 to ttyS3, or as
	// many as its nr_uarts says, whether or not a UART is there; opening
	// one fails with EIO.
	NoUART bool
	// Console marks a port the kernel writes its console to (console=
	// on its command line); a getty may be reading it too.
	Console bool
	// USB describes the port's USB device and interface, or is nil for a
	// port that is not on USB.
	USB *USB
}

// USB identifies a port's USB device and interface, as sysfs gives them.
type USB struct {
	// VendorID and ProductID are the device's idVendor and idProduct.
	VendorID, ProductID uint16
	// Manufacturer, Product and Serial are the device's strings; empty
	// where it has none.
	Manufacturer, Product, Serial string
	// Device is the device's sysfs name, such as "1-1" (bus 1, port 1).
	// The ports of one device share it.
	Device string
	// Interface is the port's bInterfaceNumber.
	Interface int
	// InterfaceName is the interface's own string, which few modules
	// set; usually empty.
	InterfaceName string
}

// ID returns the vendor and product IDs as lsusb prints them,
// "2c7c:0125".
func (u *USB) ID() string { return fmt.Sprintf("%04x:%04x", u.VendorID, u.ProductID) }

// List returns the ttys under /sys/class/tty that have a device behind
// them, virtual terminals and ptys left out, in natural order of their
// names (ttyUSB2 before ttyUSB10). Placeholders without a UART are
// included, marked NoUART.
func (s System) List() ([]Port, error) {
	class := filepath.Join(s.sysRoot(), "class", "tty")
	entries, err := os.ReadDir(class)
	if err != nil {
		return nil, fmt.Errorf("portlist: %w", err)
	}
	top, err := filepath.EvalSymlinks(filepath.Join(s.sysRoot(), "devices"))
	if err != nil {
		return nil, fmt.Errorf("portlist: %w", err)
	}
	links := s.persistentNames()
	consoles := strings.Fields(attr(filepath.Join(class, "console"), "active"))
	var ports []Port
	for _, e := range entries {
		p, ok := port(filepath.Join(class, e.Name()), top)
		if !ok {
			continue
		}
		p.Links = links[p.Name]
		p.Console = p.Console || slices.Contains(consoles, p.Name)
		ports = append(ports, p)
	}
	slices.SortFunc(ports, func(a, b Port) int { return compareNames(a.Name, b.Name) })
	return ports, nil
}

// port reads the tty whose /sys/class/tty entry is tty; top is the
// resolved /sys/devices, above which the walk up the device tree stops.
// It reports false for a tty without a device.
func port(tty, top string) (Port, bool) {
	dev, err := filepath.EvalSymlinks(filepath.Join(tty, "device"))
	if err != nil {
		return Port{}, false
	}
	name := filepath.Base(tty)
	p := Port{Name: name, Path: "/dev/" + name, NoUART: attr(tty, "type") == "0", Console: attr(tty, "console") == "Y"}
	p.USB, p.Driver = walkUp(dev, top)
	return p, true
}

// walkUp climbs from dev, a tty's device directory, towards top. It takes
// the first driver that is not the serial core's (bus serial-base, kernel
// 6.5 and later) or the USB serial port's (bus usb-serial, whose driver
// names are "option1" and the like): that is the USB interface's or the
// UART's. It reads the interface where bInterfaceNumber appears and stops
// at the USB device, where idVendor does.
func walkUp(dev, top string) (*USB, string) {
	var (
		driver string
		iface  = -1
		name   string
	)
	for dir := dev; strings.HasPrefix(dir, top+string(filepath.Separator)); dir = filepath.Dir(dir) {
		if driver == "" {
			if d, bus := driverOf(dir); bus != "serial-base" && bus != "usb-serial" {
				driver = d
			}
		}
		if n, ok := hexAttr(dir, "bInterfaceNumber"); ok && iface < 0 {
			iface, name = int(n), attr(dir, "interface")
		}
		vendor, ok := hexAttr(dir, "idVendor")
		if !ok {
			continue
		}
		product, _ := hexAttr(dir, "idProduct")
		return &USB{
			VendorID:      uint16(vendor),
			ProductID:     uint16(product),
			Manufacturer:  attr(dir, "manufacturer"),
			Product:       attr(dir, "product"),
			Serial:        attr(dir, "serial"),
			Device:        filepath.Base(dir),
			Interface:     iface,
			InterfaceName: name,
		}, driver
	}
	return nil, driver
}

// driverOf returns the name and bus of the driver bound to the device in
// dir: its driver link points to /sys/bus/BUS/drivers/NAME.
func driverOf(dir string) (name, bus string) {
	target, err := os.Readlink(filepath.Join(dir, "driver"))
	if err != nil {
		return "", ""
	}
	return filepath.Base(target), filepath.Base(filepath.Dir(filepath.Dir(target)))
}

// persistentNames maps tty names to the links under serial/by-id and
// serial/by-path in the device root that point to them, reported under
// /dev. udev makes these only for some ports (USB, platform devices with a
// path); a missing directory means none.
func (s System) persistentNames() map[string][]string {
	root := filepath.Clean(s.devRoot())
	names := make(map[string][]string)
	for _, kind := range []string{"by-id", "by-path"} {
		dir := filepath.Join(root, "serial", kind)
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			target, err := os.Readlink(filepath.Join(dir, e.Name()))
			if err != nil {
				continue
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(dir, target)
			}
			if filepath.Dir(target) != root {
				continue
			}
			tty := filepath.Base(target)
			names[tty] = append(names[tty], "/dev/serial/"+kind+"/"+e.Name())
		}
	}
	for _, l := range names {
		slices.Sort(l)
	}
	return names
}

// attr returns the sysfs attribute file name in dir, trimmed, or "" if
// it cannot be read.
func attr(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// hexAttr reads a hexadecimal attribute such as idVendor or
// bInterfaceNumber.
func hexAttr(dir, name string) (uint64, bool) {
	s := attr(dir, name)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 16, 16)
	return n, err == nil
}

// compareNames orders tty names naturally: by the name without its
// trailing number, then by that number, so ttyUSB2 comes before ttyUSB10.
func compareNames(a, b string) int {
	ap, an := splitNumber(a)
	bp, bn := splitNumber(b)
	return cmp.Or(strings.Compare(ap, bp), cmp.Compare(an, bn), strings.Compare(a, b))
}

// splitNumber splits the decimal number off the end of name; the number
// is -1 if there is none.
func splitNumber(name string) (string, int) {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(name[i:])
	if err != nil {
		return name, -1
	}
	return name[:i], n
}
