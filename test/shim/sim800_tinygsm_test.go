package shim_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// bringUpSIM800 is the examples' setup: init, getModemInfo,
// waitForNetwork and gprsConnect.
func (c *tinySIM800) bringUp() {
	c.t.Helper()
	c.init()
	if info := c.modemInfo(); !strings.Contains(info, "SIM800") {
		c.t.Errorf("modem info %q, want the SIM800's", info)
	}
	if !c.waitForNetwork(10 * time.Second) {
		c.t.Fatal("waitForNetwork: AT+CREG? reports no registration")
	}
	if !c.gprsConnect("internet", "", "") {
		c.t.Fatal("gprsConnect failed")
	}
}

// TestTinyGSMSIM800 runs TinyGSM's SIM800 driver against the shim in the
// SIM800 dialect: the examples' bring-up, then GsmClients on the
// simulator's echo and web services, a server that closes, two sockets
// at once, and gprsDisconnect.
func TestTinyGSMSIM800(t *testing.T) {
	st := newStack(t)
	c := newTinySIM800(t, st.startShim(t, shimOptions{dialect: shim.DialectSIM800}))
	c.rxBuffer = 1024
	c.bringUp()
	t.Run("isGprsConnected", func(t *testing.T) {
		defer c.use(t)()
		ok, ip := c.gprsConnected()
		if !ok || ip != st.clientAddr().String() {
			t.Errorf("isGprsConnected = %v, localIP = %q, want true and %v: %s", ok, ip, st.clientAddr(), c.h.tail())
		}
	})
	runTinySketch(t, c, tinySketch{moduleText: "\r\nOK\r\n\r\n+CIPRXGET: 1,3\r\n3, CLOSED\r\nERROR\r\n", otherMux: 0, disconnect: "AT+CIPSHUT, AT+CGATT=0"})
	t.Logf("%v", c.seen)
}

// TestTinyGSMSIM800Download: 1 MiB through the pattern source, as a
// sketch with TINY_GSM_RX_BUFFER 1024 reads it: edge-triggered
// +CIPRXGET: 1,<n>, each drained by AT+CIPRXGET=2 reads of at most 1023
// octets whose field 4 (parsed as an int16_t) says how much is left, and
// the source's close seen once all is read.
func TestTinyGSMSIM800Download(t *testing.T) {
	st := newStack(t)
	c := newTinySIM800(t, st.startShim(t, shimOptions{dialect: shim.DialectSIM800}))
	c.rxBuffer = 1024
	c.bringUp()
	const size = 1 << 20
	if !c.connect(4, gwAddr.String(), sourcePort) {
		t.Fatal("connect to the source failed")
	}
	line := []byte(strconv.Itoa(size) + "\n")
	if n := c.write(4, line); n != len(line) {
		t.Fatalf("write = %d", n)
	}
	start := time.Now()
	got, stalled := c.download(4, 1024, 10*time.Second)
	if stalled || !bytes.Equal(got, sim.Pattern(size)) {
		t.Fatalf("got %d octets, not the %d of the pattern (stalled %v, first difference at %d; %v): %s",
			len(got), size, stalled, firstDiff(got, sim.Pattern(size)), c.seen, c.h.tail())
	}
	t.Logf("%d octets in %v: %v", len(got), time.Since(start).Round(time.Millisecond), c.seen)
	c.stop(4)
}
