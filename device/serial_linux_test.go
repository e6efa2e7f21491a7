package device

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// lineSettings is the part of a tty's termios that Options controls.
type lineSettings struct {
	Speed    uint32
	CharSize uint32
	Parity   string
	TwoStop  bool
	RTSCTS   bool
	Raw      bool
}

// settingsOf reads the slave's termios through the pty master: on Linux
// TCGETS on a master returns its slave's settings. (Opening the slave again
// would fail for a user other than root: the port holds it exclusively.)
func settingsOf(t *testing.T, master *os.File) lineSettings {
	t.Helper()
	tio, err := getTermios(master)
	if err != nil {
		t.Fatalf("TCGETS on pty master: %v", err)
	}
	s := lineSettings{
		Speed:    tio.Cflag & unix.CBAUD,
		CharSize: tio.Cflag & unix.CSIZE,
		Parity:   "none",
		TwoStop:  tio.Cflag&unix.CSTOPB != 0,
		RTSCTS:   tio.Cflag&unix.CRTSCTS != 0,
		Raw:      tio.Lflag&(unix.ICANON|unix.ECHO|unix.ISIG) == 0 && tio.Oflag&unix.OPOST == 0,
	}
	if tio.Cflag&unix.PARENB != 0 {
		s.Parity = "even"
		if tio.Cflag&unix.PARODD != 0 {
			s.Parity = "odd"
		}
	}
	return s
}

func TestSerialSettings(t *testing.T) {
	// The pty driver forces CS8 and no parity whatever is asked for, so
	// those two settings cannot be seen here.
	tests := []struct {
		name string
		opt  Options
		want lineSettings
	}{
		{"defaults", Options{},
			lineSettings{Speed: unix.B115200, CharSize: unix.CS8, Parity: "none", Raw: true}},
		{"rtscts", Options{RTSCTS: true},
			lineSettings{Speed: unix.B115200, CharSize: unix.CS8, Parity: "none", RTSCTS: true, Raw: true}},
		{"9600 7E2", Options{Baud: 9600, DataBits: 7, Parity: "even", StopBits: 2},
			lineSettings{Speed: unix.B9600, CharSize: unix.CS8, Parity: "none", TwoStop: true, Raw: true}},
		{"odd parity", Options{Baud: 921600, Parity: "odd", StopBits: 1},
			lineSettings{Speed: unix.B921600, CharSize: unix.CS8, Parity: "none", Raw: true}},
		{"non-standard rate", Options{Baud: 250000},
			lineSettings{Speed: unix.BOTHER, CharSize: unix.CS8, Parity: "none", Raw: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			master, path := openPty(t)
			// Start from the opposite of the wanted flow control, to see
			// that Open sets it either way.
			if tio, err := getTermios(master); err == nil && !tt.want.RTSCTS {
				tio.Cflag |= unix.CRTSCTS
				setTermios(master, tio)
			}
			p, err := Open(context.Background(), path, tt.opt)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer p.Close()
			if diff := cmp.Diff(tt.want, settingsOf(t, master)); diff != "" {
				t.Errorf("line settings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestModemControlOnPty(t *testing.T) {
	_, path := openPty(t)
	p := openT(t, path)
	mc, ok := p.(ModemControl)
	if !ok {
		t.Fatalf("serial port %T does not implement ModemControl", p)
	}
	if err := mc.SetDTR(false); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("SetDTR on a pty: err %v, want errors.ErrUnsupported", err)
	}
	if _, err := mc.Carrier(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Carrier on a pty: err %v, want errors.ErrUnsupported", err)
	}
	p.Close()
	if _, err := mc.Carrier(); errors.Is(err, errors.ErrUnsupported) || err == nil {
		t.Errorf("Carrier after Close: err %v, want a closed error", err)
	}
}

// TestReadWithoutDeadlineWaits checks that a Read without a deadline
// waits for data, with no empty or spurious return before it.
func TestReadWithoutDeadlineWaits(t *testing.T) {
	master, path := openPty(t)
	p := openT(t, path)
	ch := readAsync(p)
	select {
	case r := <-ch:
		t.Fatalf("Read returned %q, %v with nothing sent", r.data, r.err)
	case <-time.After(300 * time.Millisecond):
	}
	master.Write([]byte("RING"))
	if r := within(t, ch, "Read"); r.err != nil || r.data != "RING" {
		t.Errorf("Read: %q, %v; want %q, nil", r.data, r.err, "RING")
	}
}
