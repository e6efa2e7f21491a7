package shim

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestShimQIRDIAgain checks that an AT+QIRD leaving data waiting is
// followed by a new +QIRDI, and one draining the buffer is not: hosts
// that read a fixed amount per notice (TinyGSM's M95 driver: 1500 octets)
// would otherwise wait for good.
func TestShimQIRDIAgain(t *testing.T) {
	for _, tc := range []struct {
		indi    string
		notices []string // after CONNECT OK, after reading 1, after reading 2
	}{
		{"1", []string{"+QIRDI: 0,1,0", "+QIRDI: 0,1,0", "+QIRDI: 0,1,0"}},
		{"2", []string{"+QIRDI: 0,1,0,1,3,3", "+QIRDI: 0,1,0,1,2,2", "+QIRDI: 0,1,0,1,1,1"}},
	} {
		t.Run("QINDI="+tc.indi, func(t *testing.T) {
			r := newShimRig(t, nil)
			r.init()
			r.activate()
			n := func(i int) string { return "\r\n" + tc.notices[i] + "\r\n" }
			qird := func(data string) string {
				return fmt.Sprintf("\r\n+QIRD: 10.0.0.1:21,TCP,%d\r\n%s\r\nOK\r\n", len(data), data)
			}
			runShimSteps(t, r, []shimStep{
				{"AT+QINDI=" + tc.indi, "\r\nOK\r\n"},
				// The service sends "bye" and closes.
				{`AT+QIOPEN="TCP","10.0.0.1",21`, "\r\nOK\r\n\r\nCONNECT OK\r\n" + n(0) + "\r\nCLOSED\r\n"},
				{"AT+QIRD=0,1,0,1", qird("b") + n(1)},
				{"AT", "\r\nOK\r\n"}, // announced once, not again
				{"AT+QIRD=0,1,0,1", qird("y") + n(2)},
				{"AT+QIRD=0,1,0,1500", qird("e")},
				{"AT+QIRD=0,1,0,1500", "\r\nOK\r\n"},
				{"AT", "\r\nOK\r\n"},
			})
		})
	}
}

// TestShimQIRDICap fills a connection's 64 KiB buffer from a fast sender
// and checks what +QIRDI announces under AT+QINDI=2: never more than a
// module holds (shimModuleBuffer, below 32768 for the int16_t of TinyGSM's
// MC60 driver) nor more than 127 packets (its int8_t), reaching the cap
// once the buffer is past it, and never more than AT+QIRD then returns in
// full.
func TestShimQIRDICap(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.activate()
	r.cmd("AT+QINDI=2", "\r\nOK\r\n")
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",19`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
	tlen := r.qirdi()
	// Read one octet at a time until the buffer holds more than the cap:
	// each read is announced again with what is waiting.
	deadline := time.Now().Add(20 * time.Second)
	for tlen < shimModuleBuffer {
		if time.Now().After(deadline) {
			t.Fatalf("the announcement never reached %d octets; last %d", shimModuleBuffer, tlen)
		}
		r.send("AT+QIRD=0,1,0,1\r")
		r.qirdRead(1)
		tlen = r.qirdi()
	}
	// Read what was announced, as the MC60 driver does: every read is
	// full, and the next notice comes after the last.
	for range 3 {
		for left := tlen; left > 0; {
			k := min(left, 1500)
			r.send("AT+QIRD=0,1,0," + strconv.Itoa(k) + "\r")
			r.qirdRead(k)
			left -= k
			if left > 0 {
				r.qirdi() // announced again after each read
			}
		}
		tlen = r.qirdi()
	}
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n")
}

// qirdi reads a +QIRDI under AT+QINDI=2, checks its fields against what
// a module could announce and returns <tlen>.
func (r *shimRig) qirdi() int {
	r.t.Helper()
	r.expect("\r\n+QIRDI: 0,1,0,")
	f := strings.Split(r.until("\r\n"), ",")
	if len(f) != 3 {
		r.t.Fatalf("+QIRDI: %q: want <num>,<len>,<tlen>", f)
	}
	var v [3]int
	for i, s := range f {
		n, err := strconv.Atoi(s)
		if err != nil {
			r.t.Fatalf("+QIRDI: %q", f)
		}
		v[i] = n
	}
	num, last, tlen := v[0], v[1], v[2]
	if num < 1 || num > 127 || last < 1 || last > tlen || tlen > shimModuleBuffer || tlen > 32767 {
		r.t.Fatalf("+QIRDI announces num %d, len %d, tlen %d", num, last, tlen)
	}
	return tlen
}

// qirdRead reads the answer to an AT+QIRD and checks that it carries want
// octets.
func (r *shimRig) qirdRead(want int) {
	r.t.Helper()
	r.expect("\r\n+QIRD: 10.0.0.1:19,TCP,")
	if hdr := r.until("\r\n"); hdr != strconv.Itoa(want) {
		r.t.Fatalf("AT+QIRD returned %s octets, want %d", hdr, want)
	}
	r.fill(want, "QIRD data")
	r.buf = r.buf[want:]
	r.expect("\r\nOK\r\n")
}

func TestShimAnnouncement(t *testing.T) {
	chunks := func(n, size int) [][]byte {
		var rx [][]byte
		for range n {
			rx = append(rx, bytes.Repeat([]byte{'x'}, size))
		}
		return rx
	}
	type counts struct{ Num, Last, Total int }
	for _, tc := range []struct {
		name string
		rx   [][]byte
		want counts
	}{
		{"one packet", chunks(1, 36), counts{1, 36, 36}},
		{"several", [][]byte{[]byte("abc"), []byte("de")}, counts{2, 2, 5}},
		{"64 KiB in 4 KiB reads", chunks(16, 4096), counts{7, 25600 - 6*4096, 25600}},
		{"exactly the buffer", chunks(25, 1024), counts{25, 1024, 25600}},
		{"more packets than an int8_t counts", chunks(300, 10), counts{127, 10, 1270}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got counts
			got.Num, got.Last, got.Total = shimAnnouncement(tc.rx)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("announcement (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShimQISTATEWhileDataWaits checks the BG96-style AT+QISTATE=1,<n>
// on a connection the peer closed: state 2 while what it sent waits for
// AT+QIRD, since TinyGSM's drivers read only while connected() says so,
// and no line once it has all been read.
func TestShimQISTATEWhileDataWaits(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.activate()
	r.cmd("AT+QINDI=1", "\r\nOK\r\n")
	// The service sends "bye" and closes.
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",21`, "\r\nOK\r\n\r\nCONNECT OK\r\n\r\n+QIRDI: 0,1,0\r\n\r\nCLOSED\r\n")
	r.send("AT+QISTATE=1,0\r")
	if got := r.until("OK\r\n"); !strings.Contains(got, `+QISTATE: 0,"TCP","10.0.0.1",21,`) || !strings.Contains(got, `,2,1,0,0,"uart1"`) {
		t.Errorf("QISTATE with data waiting answered %q, want state 2", got)
	}
	r.cmd("AT+QIRD=0,1,0,1500", "\r\n+QIRD: 10.0.0.1:21,TCP,3\r\nbye\r\nOK\r\n")
	r.cmd("AT+QISTATE=1,0", "\r\nOK\r\n")
}

// TestShimRegistrationAsGSM checks that a modern modem's E-UTRAN
// registration states reach the host as a GSM module's: registered for
// data (+CEREG 9 or 10, "CSFB not preferred") is home or roaming, and
// the host may attach.
func TestShimRegistrationAsGSM(t *testing.T) {
	for _, tc := range []struct {
		stat       int
		creg, att  string
		regappWant string
	}{
		{9, "+CREG: 0,1", "+CGATT: 1", "\r\nOK\r\n"},
		{10, "+CREG: 0,5", "+CGATT: 1", "\r\nOK\r\n"},
		{8, "+CREG: 0,0", "+CGATT: 0", "\r\n+CME ERROR: 3\r\n"},
		{2, "+CREG: 0,2", "+CGATT: 0", "\r\nOK\r\n"},
	} {
		t.Run(strconv.Itoa(tc.stat), func(t *testing.T) {
			r := newShimRig(t, nil)
			r.be.info.Registration = tc.stat
			r.init()
			r.cmd("AT+CREG?", "\r\n"+tc.creg+"\r\n\r\nOK\r\n")
			r.cmd("AT+CGATT?", "\r\n"+tc.att+"\r\n\r\nOK\r\n")
			r.cmd("AT+CMEE=1", "\r\nOK\r\n")
			r.cmd(`AT+QIREGAPP="internet","",""`, tc.regappWant)
		})
	}
}
