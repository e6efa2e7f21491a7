package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/device/portlist"
)

// recordedHost is the host recorded in the portlist package's testdata: a
// Quectel EC25 (ttyUSB0 to ttyUSB3) whose AT port ModemManager holds, a
// u-blox GNSS receiver (ttyACM0) open in minicom, a 16550A that is the
// console (ttyS0) and three placeholders without a UART.
var recordedHost = portlist.System{
	SysRoot:  filepath.FromSlash("../../device/portlist/testdata/ec25/sys"),
	DevRoot:  filepath.FromSlash("../../device/portlist/testdata/ec25/dev"),
	ProcRoot: filepath.FromSlash("../../device/portlist/testdata/ec25/proc"),
}

// runPortsCommand runs "gprsppp ports args..." on the roots in o and
// returns what it printed.
func runPortsCommand(t *testing.T, o *portsOptions, args ...string) string {
	t.Helper()
	cmd := newPortsCommand(&globals{}, o)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("ports %q: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// The listing of the recorded host: each port with its USB identity,
// interface, driver, role, udev names and holders; the placeholders
// counted, not shown; and, since ModemManager runs and holds the EC25's
// AT port, the udev rule that keeps it off the EC25, ready to paste.
func TestPortsRecordedHost(t *testing.T) {
	got := runPortsCommand(t, &portsOptions{sys: recordedHost})
	want := `/dev/ttyACM0  u-blox AG - www.u-blox.com u-blox GNSS receiver 1546:01a8, USB 1-2 interface 0, driver cdc_acm
  by-id     /dev/serial/by-id/usb-u-blox_AG_-_www.u-blox.com_u-blox_GNSS_receiver-if00
  by-path   /dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0
  open by   minicom (pid 1503)
/dev/ttyS0  driver serial, console
/dev/ttyUSB0  Quectel EC25-E 2c7c:0125, USB 1-1 interface 0, driver option
  usually   diagnostics (QCDM/DM), on a Quectel EC25/EG25
  by-id     /dev/serial/by-id/usb-Quectel_EC25-E_0123456789ABCDEF-if00-port0
  by-path   /dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0
/dev/ttyUSB1  Quectel EC25-E 2c7c:0125, USB 1-1 interface 1, driver option
  usually   GNSS (NMEA), on a Quectel EC25/EG25
  by-id     /dev/serial/by-id/usb-Quectel_EC25-E_0123456789ABCDEF-if01-port0
  by-path   /dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.1-port0
/dev/ttyUSB2  Quectel EC25-E 2c7c:0125, USB 1-1 interface 2, driver option
  usually   AT, on a Quectel EC25/EG25
  by-id     /dev/serial/by-id/usb-Quectel_EC25-E_0123456789ABCDEF-if02-port0
  by-path   /dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.2-port0
  open by   ModemManager (pid 812)
/dev/ttyUSB3  Quectel EC25-E 2c7c:0125, USB 1-1 interface 3, driver option
  usually   AT and PPP (modem port), on a Quectel EC25/EG25
  by-id     /dev/serial/by-id/usb-Quectel_EC25-E_0123456789ABCDEF-if03-port0
  by-path   /dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.3-port0
(3 placeholder ports with no UART behind them not shown)

ModemManager is running (pid 812). It opens ports that may be modems to
probe them, and keeps a modem's AT port open: its commands then mix with gprsppp's.
It has /dev/ttyUSB2 open.
To make it leave the modem alone, run:

sudo tee /etc/udev/rules.d/78-gprsppp-mm-ignore.rules >/dev/null <<'EOF'
ACTION!="add|change|move|bind", GOTO="gprsppp_mm_ignore_end"
ATTRS{idVendor}=="2c7c", ATTRS{idProduct}=="0125", ENV{ID_MM_DEVICE_IGNORE}="1"
LABEL="gprsppp_mm_ignore_end"
EOF
sudo udevadm control --reload && sudo udevadm trigger

then re-plug the modem or restart ModemManager (sudo systemctl restart ModemManager).
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// ModemManager found by name alone, its open files unreadable (not root):
// the hint still names the known module's device.
func TestPortsModemManagerNotRoot(t *testing.T) {
	proc := t.TempDir()
	if err := os.MkdirAll(filepath.Join(proc, "644"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proc, "644", "comm"), []byte("ModemManager\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sys := recordedHost
	sys.ProcRoot = proc
	got := runPortsCommand(t, &portsOptions{sys: sys})
	for _, want := range []string{
		"ModemManager is running (pid 644)",
		"Run as root to see which ports it has open.",
		`ATTRS{idVendor}=="2c7c", ATTRS{idProduct}=="0125", ENV{ID_MM_DEVICE_IGNORE}="1"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "open by") || strings.Contains(got, `ATTRS{idVendor}=="1546"`) {
		t.Errorf("output names holders, or a rule for a device that is not a modem:\n%s", got)
	}
}

// "ports --probe PATH" on the simulator, run as "gprsppp sim --link",
// finds its AT port and shows what it says to ATI and AT+CGMM; a pty whose
// far end stays silent is reported as not answering within --timeout.
// The host's own ports are left out: sysfs and /proc are empty.
func TestPortsProbe(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyGPRS")
	startProcess(t, "ready", "sim", "--link", link)
	master, silent, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer silent.Close()

	empty := t.TempDir()
	if err := os.MkdirAll(filepath.Join(empty, "class", "tty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(empty, "devices"), 0o755); err != nil {
		t.Fatal(err)
	}
	o := &portsOptions{sys: portlist.System{SysRoot: empty, DevRoot: empty, ProcRoot: empty}, lockDir: t.TempDir()}
	got := runPortsCommand(t, o, "--probe", "--timeout", "600ms", link, silent.Name())
	simPty, err := filepath.EvalSymlinks(link)
	if err != nil {
		t.Fatal(err)
	}
	want := link + " -> " + simPty + `
  AT        OK
  ATI       gprsppp simulated modem
  AT+CGMM   gprsppp-sim
` + silent.Name() + `
  AT        no answer within 600ms

answered AT: ` + link + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A PATH that resolves to a listed port is that port; a placeholder is
// shown only when named; other PATHs are added in the order given.
func TestPortEntries(t *testing.T) {
	ports, err := recordedHost.List()
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "modem")
	if err := os.Symlink("/dev/ttyUSB3", link); err != nil {
		t.Fatal(err)
	}
	entries, omitted := portEntries(ports, []string{"/dev/ttyS2", link, "tcp://localhost:2001"})
	type entry struct {
		Path, Resolved string
		Named, Listed  bool
	}
	var got []entry
	for _, e := range entries {
		got = append(got, entry{e.path, e.resolved, e.named, e.port != nil})
	}
	want := []entry{
		{"/dev/ttyACM0", "/dev/ttyACM0", false, true},
		{"/dev/ttyS0", "/dev/ttyS0", false, true},
		{"/dev/ttyS2", "/dev/ttyS2", true, true},
		{"/dev/ttyUSB0", "/dev/ttyUSB0", false, true},
		{"/dev/ttyUSB1", "/dev/ttyUSB1", false, true},
		{"/dev/ttyUSB2", "/dev/ttyUSB2", false, true},
		{link, "/dev/ttyUSB3", true, true},
		{"tcp://localhost:2001", "tcp://localhost:2001", true, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if omitted != 2 {
		t.Errorf("%d placeholders omitted, want 2 (ttyS1, ttyS3)", omitted)
	}
}
