package device

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.bug.st/serial"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		spec    string
		kind    string
		addr    string
		wantErr string
	}{
		{spec: "/dev/ttyUSB2", kind: "serial", addr: "/dev/ttyUSB2"},
		{spec: "serial:/dev/ttyUSB2", kind: "serial", addr: "/dev/ttyUSB2"},
		{spec: "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.2-port0", kind: "serial",
			addr: "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.2-port0"},
		{spec: "ttyUSB2", kind: "serial", addr: "ttyUSB2"},
		{spec: "unix:/run/modem.sock", kind: "unix", addr: "/run/modem.sock"},
		{spec: "tcp://192.0.2.1:2001", kind: "tcp", addr: "192.0.2.1:2001"},
		{spec: "tcp://[2001:db8::1]:2001/", kind: "tcp", addr: "[2001:db8::1]:2001"},
		{spec: "", wantErr: "no device given"},
		{spec: "serial:", wantErr: "no path"},
		{spec: "unix:", wantErr: "no path"},
		{spec: "tcp://modem", wantErr: "want tcp://host:port"},
		{spec: "udp://192.0.2.1:2001", wantErr: "unknown kind of device"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			kind, addr, err := parseSpec(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseSpec(%q): err %v, want one containing %q", tt.spec, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseSpec(%q): %v", tt.spec, err)
			}
			if diff := cmp.Diff([2]string{tt.kind, tt.addr}, [2]string{kind, addr}); diff != "" {
				t.Errorf("parseSpec(%q) (-want +got):\n%s", tt.spec, diff)
			}
		})
	}
}

func TestOptionsMode(t *testing.T) {
	tests := []struct {
		name    string
		opt     Options
		want    *serial.Mode
		wantErr string
	}{
		{name: "zero", opt: Options{},
			want: &serial.Mode{BaudRate: 115200, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}},
		{name: "9600 7E2", opt: Options{Baud: 9600, DataBits: 7, Parity: "even", StopBits: 2},
			want: &serial.Mode{BaudRate: 9600, DataBits: 7, Parity: serial.EvenParity, StopBits: serial.TwoStopBits}},
		{name: "odd none", opt: Options{Parity: "odd", StopBits: 1},
			want: &serial.Mode{BaudRate: 115200, DataBits: 8, Parity: serial.OddParity, StopBits: serial.OneStopBit}},
		{name: "explicit none", opt: Options{Parity: "none", DataBits: 5},
			want: &serial.Mode{BaudRate: 115200, DataBits: 5, Parity: serial.NoParity, StopBits: serial.OneStopBit}},
		{name: "negative baud", opt: Options{Baud: -9600}, wantErr: "baud rate -9600 out of range"},
		{name: "baud too low", opt: Options{Baud: 12}, wantErr: "baud rate 12 out of range"},
		{name: "baud too high", opt: Options{Baud: 11520000}, wantErr: "baud rate 11520000 out of range"},
		{name: "data bits", opt: Options{DataBits: 9}, wantErr: "9 data bits"},
		{name: "parity", opt: Options{Parity: "mark"}, wantErr: `parity "mark"`},
		{name: "parity case", opt: Options{Parity: "Even"}, wantErr: `parity "Even"`},
		{name: "stop bits", opt: Options{StopBits: 3}, wantErr: "3 stop bits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.opt.mode()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("mode(): err %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("mode(): %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mode() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOpenRejectsBadOptions checks that options are validated for every
// kind of line, before anything is opened.
func TestOpenRejectsBadOptions(t *testing.T) {
	for _, spec := range []string{"/dev/nonexistent", "unix:/nonexistent", "tcp://127.0.0.1:1"} {
		t.Run(spec, func(t *testing.T) {
			_, err := Open(context.Background(), spec, Options{StopBits: 3})
			if err == nil || !strings.Contains(err.Error(), "stop bits") {
				t.Errorf("Open: err %v, want a stop bits error", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	tests := []struct {
		name string
		spec string
		is   []error
		msg  string
	}{
		{"missing", "/dev/ttyUSB9-nonexistent", []error{ErrNotFound, fs.ErrNotExist},
			"device /dev/ttyUSB9-nonexistent: no such device"},
		{"directory", dir, []error{syscall.ENOTTY}, "device " + dir + " is a directory, not a serial port"},
		{"regular file", file, []error{syscall.ENOTTY}, "device " + file + " is a regular file, not a serial port"},
		{"not a terminal", "/dev/null", []error{syscall.ENOTTY}, "device /dev/null is not a serial port (not a terminal)"},
		{"socket", sock, []error{syscall.ENOTTY}, "device " + sock + " is a unix socket; use unix:" + sock},
		{"missing socket", "unix:" + filepath.Join(dir, "none"), []error{fs.ErrNotExist}, "device: dial unix"},
		{"refused", "tcp://127.0.0.1:1", []error{syscall.ECONNREFUSED}, "device: dial tcp 127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Open(context.Background(), tt.spec, Options{})
			if err == nil {
				p.Close()
				t.Fatalf("Open(%q) succeeded", tt.spec)
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("Open(%q): err %v, want one matching %v", tt.spec, err, target)
				}
			}
			if !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("Open(%q): message %q, want it to start %q", tt.spec, err, tt.msg)
			}
		})
	}
}

// TestOpenPermissionDenied opens a device node the user may not open. Root
// opens anything, so as root the test is skipped; TestOpenErrMapping covers
// the message.
func TestOpenPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root is never denied; see TestOpenErrMapping")
	}
	_, path := openPty(t)
	if err := os.Chmod(path, 0); err != nil {
		t.Skipf("chmod %s: %v", path, err)
	}
	_, err := Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrPermission) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Open: err %v, want ErrPermission and fs.ErrPermission", err)
	}
}

// TestOpenErrMapping feeds openErr the errors os.OpenFile and serial.Open
// return, including those the test cannot provoke (root is never denied,
// and ignores TIOCEXCL).
func TestOpenErrMapping(t *testing.T) {
	const path = "/dev/ttyUSB2-test"
	pathErr := func(errno syscall.Errno) error { return &fs.PathError{Op: "open", Path: path, Err: errno} }
	hint := "; add your user to the dialout group: sudo usermod -aG dialout $USER, then log in again"
	busyMsg := " is in use by another program, which opened it exclusively; fuser -v " + path + " names it"
	tests := []struct {
		name string
		err  error
		is   []error
		msg  string
	}{
		{"ENOENT", pathErr(syscall.ENOENT), []error{ErrNotFound, syscall.ENOENT}, "device " + path + ": no such device"},
		{"ENXIO", pathErr(syscall.ENXIO), []error{ErrNotFound, syscall.ENXIO}, "device " + path + ": no such device"},
		{"ENODEV", syscall.ENODEV, []error{ErrNotFound}, "device " + path + ": no such device"},
		{"EBUSY", pathErr(syscall.EBUSY), []error{ErrBusy, syscall.EBUSY}, "device " + path + busyMsg},
		{"EACCES", pathErr(syscall.EACCES), []error{ErrPermission, fs.ErrPermission},
			"device " + path + ": permission denied" + hint},
		{"EPERM", pathErr(syscall.EPERM), []error{ErrPermission}, "device " + path + ": permission denied" + hint},
		{"EISDIR", pathErr(syscall.EISDIR), []error{syscall.ENOTTY, syscall.EISDIR},
			"device " + path + " is a directory, not a serial port"},
		{"ENOTTY", syscall.ENOTTY, []error{syscall.ENOTTY}, "device " + path + " is not a serial port (not a terminal)"},
		{"EIO", pathErr(syscall.EIO), []error{syscall.EIO}, "device " + path + ": open " + path + ": input/output error"},
		{"library busy", portError(serial.PortBusy), []error{ErrBusy}, "device " + path + busyMsg},
		{"library denied", portError(serial.PermissionDenied), []error{ErrPermission},
			"device " + path + ": permission denied" + hint},
		{"library not found", portError(serial.PortNotFound), []error{ErrNotFound}, "device " + path + ": no such device"},
		{"library other", portError(serial.InvalidSerialPort), nil, "device " + path + ": Invalid serial port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := openErr(path, tt.err)
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("openErr(%v) = %v, want one matching %v", tt.err, err, target)
				}
			}
			if diff := cmp.Diff(tt.msg, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

// portError stands in for a *serial.PortError with the given code, which
// only the library can build.
type portError serial.PortErrorCode

func (e portError) Code() serial.PortErrorCode { return serial.PortErrorCode(e) }
func (e portError) Error() string {
	return map[serial.PortErrorCode]string{serial.InvalidSerialPort: "Invalid serial port"}[e.Code()]
}
