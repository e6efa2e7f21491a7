package shim_test

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// TestTinyGSMBG96 runs TinyGSM's BG96 driver against the shim in the BG96
// dialect: the examples' bring-up, then a GsmClient on the simulator's
// echo and web services and the harness's pattern source.
func TestTinyGSMBG96(t *testing.T) {
	st := newStack(t)
	c := newTinyBG96(t, st.startShim(t, shimOptions{dialect: shim.DialectBG96}))
	c.rxBuffer = 1024 // as TinyGSM's FileDownload example
	c.bringUp()
	// TinyGSM's localIP() asks AT+CGPADDR=1 (getLocalIPImpl of
	// TinyGsmModem.tpp; the BG96 driver keeps it).
	t.Run("isGprsConnected", func(t *testing.T) {
		defer c.use(t)()
		c.checkGprs(st)
	})
	runTinySketch(t, c, tinySketch{moduleText: "\r\nOK\r\n\r\n+QIURC: \"closed\",3\r\nERROR\r\n", otherMux: 5, disconnect: "AT+QIDEACT=1"})
	t.Logf("%v", c.seen)
}

// TestTinyGSMBG96Download: 1 MiB through the pattern source, as a
// sketch with TINY_GSM_RX_BUFFER 1024 reads it: many edge-triggered
// "recv"s, each drained by AT+QIRD of at most 1023 octets and
// AT+QIRD=<id>,0, and the source's close seen through AT+QISTATE once all
// is read. TinyGSM parses <unread> with streamGetIntBefore into an
// int16_t, so the shim's default 64 KiB buffer, full, reads as 0 unread;
// the second case runs with a 16 KiB buffer.
func TestTinyGSMBG96Download(t *testing.T) {
	for _, tc := range []struct {
		name    string
		profile shim.Profile
	}{{"default buffer", shim.Profile{}}, {"16KiB buffer", shim.Profile{RecvBuffer: 16 << 10}}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStack(t)
			c := newTinyBG96(t, st.startShim(t, shimOptions{dialect: shim.DialectBG96, profile: tc.profile}))
			c.rxBuffer = 1024
			c.bringUp()
			const size = 1 << 20
			if !c.connect(11, gwAddr.String(), sourcePort) {
				t.Fatal("connect to the source failed")
			}
			line := []byte(strconv.Itoa(size) + "\n")
			if n := c.write(11, line); n != len(line) {
				t.Fatalf("write = %d", n)
			}
			start := time.Now()
			got, stalled := c.download(11, 1024, 10*time.Second)
			if stalled || !bytes.Equal(got, sim.Pattern(size)) {
				t.Fatalf("got %d octets, not the %d of the pattern (stalled %v, first difference at %d; %v): %s",
					len(got), size, stalled, firstDiff(got, sim.Pattern(size)), c.seen, c.h.tail())
			}
			t.Logf("%d octets in %v: %v", len(got), time.Since(start).Round(time.Millisecond), c.seen)
			c.stop(11)
		})
	}
}

// TestTinyGSMBG96Restart is restartImpl: AT+CFUN=1,1 answered OK, then
// the driver waits up to 10 s for the module's "APP RDY" before init.
func TestTinyGSMBG96Restart(t *testing.T) {
	st := newStack(t)
	c := newTinyBG96(t, st.startShim(t, shimOptions{dialect: shim.DialectBG96}))
	if !c.testAT() {
		t.Fatal("testAT failed")
	}
	c.sendAT("+CFUN=1,1")
	if r, _ := c.waitResponse(15500*time.Millisecond, "OK"); r != 1 {
		t.Fatalf("AT+CFUN=1,1: no OK: %s", c.h.tail())
	}
	start := time.Now()
	r, data := c.waitResponse(10*time.Second, "APP RDY")
	if r != 1 {
		t.Errorf("no APP RDY within 10 s of AT+CFUN=1,1 (got %q): TinyGSM's restart() waits the full 10 s", data)
	} else {
		t.Logf("APP RDY after %v", time.Since(start).Round(time.Millisecond))
	}
	c.init()
	if !c.waitForNetwork(10 * time.Second) {
		t.Fatal("no network after the restart")
	}
}

// firstDiff is the index of the first octet where a and b differ.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
