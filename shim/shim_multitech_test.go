package shim

import (
	"io"
	"net"
	"strconv"
	"testing"
	"time"
)

// newMTRig is a shim speaking the Multi-Tech dialect with echo off and
// #CME ERROR codes on, as OpenDMTP sets it up.
func newMTRig(t *testing.T) *shimRig {
	t.Helper()
	r := newShimRig(t, func(c *Config) { c.Dialect = DialectMultiTech })
	r.be.info.Manufacturer, r.be.info.Model, r.be.info.Revision = "", "", ""
	r.init()
	r.cmd("AT+CMEE=1", "\r\nOK\r\n")
	return r
}

// mtStart brings GPRS up.
func (r *shimRig) mtStart() {
	r.t.Helper()
	r.cmd(`AT#APNSERV="internet"`, "\r\nOK\r\n")
	r.cmd(`AT#APNUN="user"`, "\r\nOK\r\n")
	r.cmd(`AT#APNPW="pass"`, "\r\nOK\r\n")
	r.cmd("AT#CONNECTIONSTART", "\r\n10.0.0.2\r\n\r\nOk_Info_GprsActivation\r\n")
}

func TestMultiTechBasics(t *testing.T) {
	r := newMTRig(t)
	runShimSteps(t, r, []shimStep{
		{"AT+GMM", "\r\nMULTIBAND  G850  1900\r\n\r\nOK\r\n"},
		{"AT+WOPEN=1", "\r\nOK\r\n"},
		{"AT#GPRSMODE=1", "\r\nOK\r\n"},
		{"AT#DISPLAYIP", "\r\n#CME ERROR: 35867\r\n"},
		{"AT#OTCP", "\r\n#CME ERROR: 34882\r\n"}, // no server yet
		{`AT#TCPSERV="10.0.0.1"`, "\r\nOK\r\n"},
		{"AT#TCPPORT=7", "\r\nOK\r\n"},
		{"AT#OTCP", "\r\n#CME ERROR: 35867\r\n"}, // no GPRS
		{`AT#TCPPORT=2,"23"`, "\r\nOK\r\n"},
		{"AT#DLEMODE=2,0", "\r\nOK\r\n"},
		{"AT#TCPTXDELAY=2,15", "\r\n#CME ERROR: 34882\r\n"},
		{"AT#TCPPORT=3,23", "\r\n#CME ERROR: 34882\r\n"},
		{"AT#TCPPORT=65536", "\r\n#CME ERROR: 34882\r\n"},
		{"AT#VTCP=2", "\r\n#DLEMODE: 0\r\n\r\n#TCPPORT: 23\r\n\r\n#TCPSERV: \"\"\r\n\r\n#TCPTXDELAY: 100\r\n\r\nOK\r\n"},
		{"AT#VTCP", "\r\n#DLEMODE: 1\r\n\r\n#TCPPORT: 7\r\n\r\n#TCPSERV: \"10.0.0.1\"\r\n\r\n#TCPTXDELAY: 100\r\n\r\nOK\r\n"},
		{"AT#DLEMODE?", "\r\n#DLEMODE: 1\r\n\r\nOK\r\n"},
		{`AT#DNSSERV1="0.0.0.0"`, "\r\nOK\r\n"},
		{`AT#DNSSERV2="8.8.4.4"`, "\r\nOK\r\n"},
		{`AT#DNSSERV2="name"`, "\r\n#CME ERROR: 34882\r\n"},
		{"AT#NOSUCH", "\r\nERROR\r\n"},
		{"AT#TCPPORT", "\r\n#CME ERROR: 34819\r\n"},
	})
	r.mtStart()
	runShimSteps(t, r, []shimStep{
		{"AT#CONNECTIONSTART", "\r\n#CME ERROR: 35840\r\n"},
		{"AT#DISPLAYIP", "\r\n#MY IP: \"10.0.0.2\"\r\n\r\n#PEER IP: \"0.0.0.0\"\r\n\r\n#GATEWAY IP: \"0.0.0.0\"\r\n\r\nOK\r\n"},
		{"AT#VDNS", "\r\n#DNSSERV1: \"10.0.0.1\"\r\n\r\n#DNSSERV2: \"8.8.4.4\"\r\n\r\nOK\r\n"},
		{"AT+CMEE=0", "\r\nOK\r\n"},
		{"AT#CONNECTIONSTART", "\r\nERROR\r\n"},
		{"AT#CONNECTIONSTOP", "\r\nOK\r\n"},
		{"AT+CMEE=1", "\r\nOK\r\n"},
		{"AT#DISPLAYIP", "\r\n#CME ERROR: 35867\r\n"},
		{"AT#CONNECTIONSTOP", "\r\nOK\r\n"},
	})
	if got := r.be.apns; len(got) != 1 || got[0] != "internet/user/pass" {
		t.Errorf("activations %q, want the APN and credentials of #APNSERV, #APNUN, #APNPW", got)
	}
}

// all256 is every byte value once.
func all256() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// TestMultiTechOTCP bridges the echo service in both DLE modes: the
// bytes come back as sent with DLEMODE=0, unstuffed toward the network
// and stuffed back with DLEMODE=1, a DLE that ends one write escaping
// the first byte of the next; ETX ends the session only with DLEMODE=1.
func TestMultiTechOTCP(t *testing.T) {
	for _, mode := range []int{0, 1} {
		t.Run("DLEMODE="+strconv.Itoa(mode), func(t *testing.T) {
			r := newMTRig(t)
			r.mtStart()
			r.cmd(`AT#TCPSERV="10.0.0.1"`, "\r\nOK\r\n")
			r.cmd("AT#TCPPORT="+strconv.Itoa(shimEchoPort), "\r\nOK\r\n")
			r.cmd("AT#DLEMODE="+strconv.Itoa(mode), "\r\nOK\r\n")
			r.cmd("AT#OTCP", "\r\nOk_Info_WaitingForData\r\n")
			r.cmd(`AT#TCPPORT=8`, "") // data now: echoed back
			r.expect("AT#TCPPORT=8\r")
			data := string(all256())
			if mode == 0 {
				r.send(data)
				r.expect(data)
				r.cmd("AT#CONNECTIONSTOP", "AT#CONNECTIONSTOP\r")
				return
			}
			stuffed := string(mtStuff([]byte(data)))
			r.send(stuffed)
			r.expect(stuffed)
			r.send("a\x10")
			r.send("\x03b")
			r.expect("a\x10\x03b")
			r.send("\x03\x03\x03")
			r.expect("\r\nOk_Info_SocketClosed\r\n\r\nOK\r\n")
			r.cmd("AT", "\r\nOK\r\n") // the other ETXs were ignored
			r.cmd("AT#VTCP", "\r\n#DLEMODE: 1\r\n\r\n#TCPPORT: 7\r\n\r\n#TCPSERV: \"10.0.0.1\"\r\n\r\n#TCPTXDELAY: 100\r\n\r\nOK\r\n")
		})
	}
}

// TestMultiTechRemoteClose: the peer's close ends the bridge with ETX
// (DLEMODE=1 only) and Ok_Info_SocketClosed.
func TestMultiTechRemoteClose(t *testing.T) {
	for _, mode := range []int{0, 1} {
		t.Run("DLEMODE="+strconv.Itoa(mode), func(t *testing.T) {
			r := newMTRig(t)
			r.mtStart()
			r.cmd(`AT#TCPSERV="10.0.0.1"`, "\r\nOK\r\n")
			r.cmd("AT#TCPPORT="+strconv.Itoa(shimClosePort), "\r\nOK\r\n")
			r.cmd("AT#DLEMODE="+strconv.Itoa(mode), "\r\nOK\r\n")
			r.cmd("AT#OTCP", "\r\nOk_Info_WaitingForData\r\n")
			want := "bye\r\nOk_Info_SocketClosed\r\n"
			if mode == 1 {
				want = "bye\x03\r\nOk_Info_SocketClosed\r\n"
			}
			r.expect(want)
			r.cmd("AT", "\r\nOK\r\n")
		})
	}
}

func TestMultiTechOpenErrors(t *testing.T) {
	r := newMTRig(t)
	r.mtStart()
	runShimSteps(t, r, []shimStep{
		{`AT#TCPSERV="nowhere.example"`, "\r\nOK\r\n"},
		{"AT#TCPPORT=7", "\r\nOK\r\n"},
		{"AT#OTCP", "\r\n#CME ERROR: 38027\r\n"},
		{`AT#TCPSERV="10.0.0.1"`, "\r\nOK\r\n"},
		{"AT#TCPPORT=1", "\r\nOK\r\n"},
		{"AT#OTCP=1", "\r\n#CME ERROR: 38016\r\n"},
		{"AT#OTCP=3", "\r\n#CME ERROR: 34819\r\n"},
	})
}

// TestMultiTechOUDP: a datagram session through the UDP echo service,
// DLE framed as UDP always is.
func TestMultiTechOUDP(t *testing.T) {
	r := newMTRig(t)
	r.mtStart()
	r.cmd(`AT#UDPSERV="10.0.0.1"`, "\r\nOK\r\n")
	r.cmd("AT#UDPPORT=7", "\r\nOK\r\n")
	r.cmd("AT#OUDP", "\r\nOk_Info_WaitingForData\r\n")
	r.send("hi\x10\x03\x10\x10")
	r.expect("hi\x10\x03\x10\x10")
	r.send("\x03")
	r.expect("\r\nOk_Info_SocketClosed\r\n\r\nOK\r\n")
}

// TestMultiTechListen is seed 003 in the rig: only the #TCPSERV client
// gets through, the bridge is byte-exact, the listener is one-shot and
// #LTCPSTOP ends it.
func TestMultiTechListen(t *testing.T) {
	r := newMTRig(t)
	r.mtStart()
	dial := func() net.Conn {
		t.Helper()
		c, err := r.far.DialContext(t.Context(), "tcp", "10.0.0.2:2020")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.SetDeadline(time.Now().Add(10 * time.Second))
		return c
	}
	// Refused: the far side is 10.0.0.1.
	r.cmd(`AT#TCPSERV=1,"10.0.0.9"`, "\r\nOK\r\n")
	r.cmd("AT#TCPPORT=1,2020", "\r\nOK\r\n")
	r.cmd("AT#LTCPSTART=1", "\r\nOK\r\n")
	r.cmd("AT#TCPPORT=1,2021", "\r\n#CME ERROR: 37123\r\n")
	c := dial()
	if n, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatalf("a refused client read %d bytes", n)
	}
	r.cmd("AT#LTCPSTOP=1", "\r\nOK\r\n")
	// Anyone.
	r.cmd(`AT#TCPSERV=1,"255.255.255.255"`, "\r\nOK\r\n")
	r.cmd("AT#LTCPSTART", "\r\nOK\r\n")
	c = dial()
	r.expect("\r\nOk_Info_WaitingForData\r\n")
	data := all256()
	if _, err := c.Write(data); err != nil {
		t.Fatal(err)
	}
	r.expect(string(mtStuff(data)))
	r.send(string(mtStuff(data)))
	got := make([]byte, 256)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != string(data) {
		t.Fatalf("far end read %q, %v", got, err)
	}
	c.Close()
	r.expect("\x03\r\nOk_Info_SocketClosed\r\n")
	// One-shot: nobody listens any more.
	if c, err := r.far.DialContext(t.Context(), "tcp", "10.0.0.2:2020"); err == nil {
		c.Close()
		t.Fatal("the port still listens after the session")
	}
}

// TestMultiTechNumeric: under ATV0 the information messages are their
// numbers, and #CME ERROR ends with CR as a numeric result code.
func TestMultiTechNumeric(t *testing.T) {
	r := newMTRig(t)
	runShimSteps(t, r, []shimStep{
		{"ATV0", "0\r"},
		{"AT#DISPLAYIP", "#CME ERROR: 35867\r"},
		{"AT#CONNECTIONSTART", "10.0.0.2\r\n3086\r"},
		{`AT#TCPSERV="10.0.0.1";#TCPPORT=` + strconv.Itoa(shimClosePort), "0\r"},
		{"AT#OTCP", "1028\rbye\x033074\r"},
		{"ATV1", "\r\nOK\r\n"},
	})
}
