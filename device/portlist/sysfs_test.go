package portlist

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testSystem is a recorded host (testdata/ec25) with:
//
//   - a Quectel EC25-E (2c7c:0125) on USB port 1-1, interfaces 0 to 3 bound
//     to option (ttyUSB0 to ttyUSB3) and interface 4 to qmi_wwan (wwan0,
//     not a tty), as kernel 6.x lays it out under
//     /sys/devices/pci0000:00/0000:00:14.0/usb1;
//   - a u-blox GNSS receiver (1546:01a8) on 1-2, cdc_acm (ttyACM0);
//   - ttyS0, a 16550A (type 4) on PNP device 00:05 behind the serial core's
//     controller and port devices (kernel 6.5 and later), the kernel's
//     console;
//   - serial8250 placeholders of type 0: ttyS1 and ttyS2 as kernels before
//     6.5 place them, ttyS3 as later ones do;
//   - tty0, a virtual console without a device;
//   - udev's /dev/serial/by-id and by-path links for the USB ports;
//   - /proc with ModemManager (pid 812) holding ttyUSB2, minicom (1503) on
//     ttyACM0 and a shell (2210).
//
// The links in the tree are relative, as sysfs has them, except the
// /proc/PID/fd links, which name /dev paths outside the tree, as the kernel
// does; git keeps both as they are.
var testSystem = System{
	SysRoot:  filepath.Join("testdata", "ec25", "sys"),
	DevRoot:  filepath.Join("testdata", "ec25", "dev"),
	ProcRoot: filepath.Join("testdata", "ec25", "proc"),
}

func TestList(t *testing.T) {
	ec25 := func(iface int) *USB {
		return &USB{VendorID: 0x2c7c, ProductID: 0x0125, Manufacturer: "Quectel", Product: "EC25-E",
			Serial: "0123456789ABCDEF", Device: "1-1", Interface: iface}
	}
	quectel := func(n string) []string {
		return []string{
			"/dev/serial/by-id/usb-Quectel_EC25-E_0123456789ABCDEF-if0" + n + "-port0",
			"/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1." + n + "-port0",
		}
	}
	want := []Port{
		{
			Name: "ttyACM0", Path: "/dev/ttyACM0", Driver: "cdc_acm",
			USB: &USB{VendorID: 0x1546, ProductID: 0x01a8, Manufacturer: "u-blox AG - www.u-blox.com",
				Product: "u-blox GNSS receiver", Device: "1-2", Interface: 0},
			Links: []string{
				"/dev/serial/by-id/usb-u-blox_AG_-_www.u-blox.com_u-blox_GNSS_receiver-if00",
				"/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0",
			},
		},
		{Name: "ttyS0", Path: "/dev/ttyS0", Driver: "serial", Console: true},
		{Name: "ttyS1", Path: "/dev/ttyS1", Driver: "serial8250", NoUART: true},
		{Name: "ttyS2", Path: "/dev/ttyS2", Driver: "serial8250", NoUART: true},
		{Name: "ttyS3", Path: "/dev/ttyS3", Driver: "serial8250", NoUART: true},
		{Name: "ttyUSB0", Path: "/dev/ttyUSB0", Driver: "option", USB: ec25(0), Links: quectel("0")},
		{Name: "ttyUSB1", Path: "/dev/ttyUSB1", Driver: "option", USB: ec25(1), Links: quectel("1")},
		{Name: "ttyUSB2", Path: "/dev/ttyUSB2", Driver: "option", USB: ec25(2), Links: quectel("2")},
		{Name: "ttyUSB3", Path: "/dev/ttyUSB3", Driver: "option", USB: ec25(3), Links: quectel("3")},
	}
	got, err := testSystem.List()
	if err != nil {
		t.Fatal(err)
	}
	var gotNames, wantNames []string
	byName := map[string]Port{}
	for _, p := range got {
		gotNames = append(gotNames, p.Name)
		byName[p.Name] = p
	}
	for _, p := range want {
		wantNames = append(wantNames, p.Name)
	}
	if diff := cmp.Diff(wantNames, gotNames); diff != "" {
		t.Errorf("ports listed (-want +got):\n%s", diff)
	}
	for _, w := range want {
		t.Run(w.Name, func(t *testing.T) {
			if diff := cmp.Diff(w, byName[w.Name]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestListNoSysfs(t *testing.T) {
	_, err := System{SysRoot: t.TempDir()}.List()
	if err == nil {
		t.Error("List on an empty sysfs: no error")
	}
}

func TestRole(t *testing.T) {
	ports, err := testSystem.List()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ttyUSB0": RoleDiag,
		"ttyUSB1": RoleGNSS,
		"ttyUSB2": RoleAT,
		"ttyUSB3": RoleModem,
		"ttyACM0": "", // not a module in the table
		"ttyS0":   "",
	}
	for _, p := range ports {
		w, ok := want[p.Name]
		if !ok {
			continue
		}
		t.Run(p.Name, func(t *testing.T) {
			role, model := p.Role()
			if role != w {
				t.Errorf("role %q, want %q", role, w)
			}
			if (role != "") != (model == "Quectel EC25/EG25") {
				t.Errorf("role %q of model %q", role, model)
			}
		})
	}
}

// Each known layout has an AT port and names only small interface numbers,
// and no two layouts share IDs.
func TestLayouts(t *testing.T) {
	seen := map[[2]uint16]bool{}
	for _, l := range layouts {
		t.Run(l.Model, func(t *testing.T) {
			id := [2]uint16{l.VendorID, l.ProductID}
			if seen[id] {
				t.Errorf("%04x:%04x listed twice", l.VendorID, l.ProductID)
			}
			seen[id] = true
			at := false
			for iface, role := range l.Roles {
				if iface < 0 || iface > 15 || role == "" {
					t.Errorf("interface %d: role %q", iface, role)
				}
				at = at || role == RoleAT
			}
			if !at {
				t.Error("no AT port")
			}
		})
	}
}

func TestCompareNames(t *testing.T) {
	tests := []struct{ a, b string }{
		{"ttyUSB2", "ttyUSB10"},
		{"ttyACM0", "ttyS0"},
		{"ttyS", "ttyS0"},
		{"ttyS9", "ttyUSB0"},
	}
	for _, tt := range tests {
		t.Run(tt.a+"<"+tt.b, func(t *testing.T) {
			if compareNames(tt.a, tt.b) >= 0 || compareNames(tt.b, tt.a) <= 0 {
				t.Errorf("%s does not sort before %s", tt.a, tt.b)
			}
		})
	}
}
