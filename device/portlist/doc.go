// Package portlist finds the serial ports a modem may be behind and tells
// them apart: which USB device and interface each belongs to, the kernel
// driver, the udev names under /dev/serial, which program holds it open,
// and, probed, whether it answers AT.
//
// A USB cellular module shows several ttys at once (diagnostics, GNSS,
// one or two AT ports) and only some of them take AT commands. List reads
// Linux sysfs: every /sys/class/tty entry with a device behind it, walking
// up from /sys/class/tty/NAME/device to the USB interface
// (bInterfaceNumber, its driver: option, qcserial, cdc_acm, ...) and the
// USB device (idVendor, idProduct, manufacturer, product). Known tells
// what an interface of a well-known module usually is, from the layouts
// that ModemManager's port-type udev rules also use. Processes reads /proc
// to find who holds a port and whether ModemManager runs, and IgnoreRule
// writes the udev rule that keeps ModemManager off a device. Probe opens a
// port with device.Open and asks AT, ATI and AT+CGMM.
//
// The roots of sysfs, /dev and /proc are fields of System, so that tests
// read a recorded tree.
//
// Wiring:
//
//	sys := portlist.System{} // /sys, /dev and /proc
//	ports, err := sys.List()
//	if err != nil {
//		return err
//	}
//	procs, _ := sys.Processes()
//	results := portlist.ProbeAll(ctx, paths, portlist.ProbeOptions{})
package portlist
