package shim

import (
	"net"
	"strconv"
	"testing"
	"time"
)

// mtDialFar connects from the far side to the shim host's port.
func (r *shimRig) mtDialFar(network string, port int) net.Conn {
	r.t.Helper()
	c, err := r.far.DialContext(r.t.Context(), network, "10.0.0.2:"+strconv.Itoa(port))
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// TestMultiTechListenETXAbort: before a client comes, an ETX from the
// host stops a #LTCPSTART listener under DLEMODE=1 (OK, and the port is
// closed); under DLEMODE=0, and with no listener, ETX does nothing.
func TestMultiTechListenETXAbort(t *testing.T) {
	r := newMTRig(t)
	r.mtStart()
	r.cmd(`AT#TCPSERV=1,"255.255.255.255"`, "\r\nOK\r\n")
	r.cmd("AT#TCPPORT=1,2030", "\r\nOK\r\n")
	r.cmd("AT#LTCPSTART=1", "\r\nOK\r\n")
	r.send("\x03")
	r.expect("\r\nOK\r\n")
	if c, err := r.far.DialContext(t.Context(), "tcp", "10.0.0.2:2030"); err == nil {
		c.Close()
		t.Fatal("the port still listens after ETX")
	}
	r.send("\x03\x03")                       // no listener: ignored
	r.cmd("AT#TCPPORT=1,2031", "\r\nOK\r\n") // nothing runs any more
	r.cmd("AT#DLEMODE=1,0", "\r\nOK\r\n")
	r.cmd("AT#LTCPSTART=1", "\r\nOK\r\n")
	r.send("\x03") // DLEMODE=0: ETX is not a command
	r.cmd("AT#TCPPORT=1,2032", "\r\n#CME ERROR: 37123\r\n")
	c := r.mtDialFar("tcp", 2031)
	r.expect("\r\nOk_Info_WaitingForData\r\n")
	if _, err := c.Write([]byte("x\x03")); err != nil {
		t.Fatal(err)
	}
	r.expect("x\x03")
}

// TestMultiTechListenUDP: #LUDPSTART takes the first datagram from the
// #UDPSERV peer (anyone with 255.255.255.255) and bridges to that peer
// with DLE framing both ways; the port closes with the session (ETX).
// A datagram from a peer #UDPSERV does not allow is sent too, but UDP
// gives no sign of its refusal: the test only sees that no session
// starts before #LUDPSTOP (the filter itself is mtAllow, which the TCP
// listener's tests exercise, and modemsock's allow list).
func TestMultiTechListenUDP(t *testing.T) {
	r := newMTRig(t)
	r.mtStart()
	r.cmd("AT#UDPPORT=5050", "\r\nOK\r\n")
	r.cmd(`AT#UDPSERV="10.0.0.9"`, "\r\nOK\r\n")
	r.cmd("AT#LUDPSTART", "\r\nOK\r\n")
	refused := r.mtDialFar("udp", 5050)
	if _, err := refused.Write([]byte("nobody")); err != nil {
		t.Fatal(err)
	}
	r.cmd("AT#LUDPSTOP", "\r\nOK\r\n") // the datagram did not start a session
	// Another port, so that the refused datagram, however late, cannot
	// reach the next listener.
	r.cmd(`AT#UDPSERV="255.255.255.255";#UDPPORT=5051`, "\r\nOK\r\n")
	r.cmd("AT#LUDPSTART", "\r\nOK\r\n")
	c := r.mtDialFar("udp", 5051)
	if _, err := c.Write([]byte("a\x03b\x10")); err != nil {
		t.Fatal(err)
	}
	r.expect("\r\nOk_Info_WaitingForData\r\na\x10\x03b\x10\x10")
	r.send("re\x10\x03ply")
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "re\x03ply" {
		t.Fatalf("far read %q, %v; want the reply unstuffed", buf[:n], err)
	}
	r.send("\x03")
	r.expect("\r\nOk_Info_SocketClosed\r\n\r\nOK\r\n")
	r.cmd("AT#LUDPSTART=3", "\r\n#CME ERROR: 34819\r\n")
	r.cmd("AT#UDPPORT=0", "\r\nOK\r\n")
	r.cmd("AT#LUDPSTART", "\r\n#CME ERROR: 34882\r\n")
}

// TestMultiTechViews: #VSTATE follows #CONNECTIONSTART; #VALL shows
// every parameter, #VUDP and #VGPRS their groups, the password hidden.
func TestMultiTechViews(t *testing.T) {
	r := newMTRig(t)
	r.cmd("AT#VSTATE", "\r\n#STATE: IDLE\r\n\r\nOK\r\n")
	r.mtStart()
	runShimSteps(t, r, []shimStep{
		{"AT#VSTATE", "\r\n#STATE: CONNECTED\r\n\r\nOK\r\n"},
		{"AT#UDPPORT=53", "\r\nOK\r\n"},
		{`AT#TCPSERV=2,"host.example"`, "\r\nOK\r\n"},
		{"AT#VUDP", "\r\n#UDPPORT: 53\r\n\r\n#UDPSERV: \"\"\r\n\r\n#UDPTXDELAY: 100\r\n\r\nOK\r\n"},
		{"AT#VGPRS", "\r\n#GPRSMODE: 1\r\n\r\n#APNSERV: \"internet\"\r\n\r\n#APNUN: \"user\"\r\n\r\n#APNPW: \"\"\r\n\r\nOK\r\n"},
		{"AT#VALL", "\r\n#GPRSMODE: 1\r\n\r\n#APNSERV: \"internet\"\r\n\r\n#APNUN: \"user\"\r\n\r\n#APNPW: \"\"\r\n" +
			"\r\n#DNSSERV1: \"0.0.0.0\"\r\n\r\n#DNSSERV2: \"0.0.0.0\"\r\n" +
			"\r\n#DLEMODE: 1,1\r\n\r\n#TCPPORT: 1,0\r\n\r\n#TCPSERV: 1,\"\"\r\n\r\n#TCPTXDELAY: 1,100\r\n" +
			"\r\n#DLEMODE: 2,1\r\n\r\n#TCPPORT: 2,0\r\n\r\n#TCPSERV: 2,\"host.example\"\r\n\r\n#TCPTXDELAY: 2,100\r\n" +
			"\r\n#UDPPORT: 53\r\n\r\n#UDPSERV: \"\"\r\n\r\n#UDPTXDELAY: 100\r\n\r\nOK\r\n"},
		{"AT#VALL=1", "\r\n#CME ERROR: 34819\r\n"},
		{"AT#CONNECTIONSTOP", "\r\nOK\r\n"},
		{"AT#VSTATE", "\r\n#STATE: IDLE\r\n\r\nOK\r\n"},
	})
}

// TestMultiTechDTR: dropping DTR under AT&D2 (or AT&D1: the module has
// no way back to a session) ends the bridge as the host's ETX does,
// also under DLEMODE=0, where no ETX can; under AT&D0 it is ignored.
func TestMultiTechDTR(t *testing.T) {
	for _, set := range []string{"&D0", "&D1", "&D2"} {
		t.Run(set, func(t *testing.T) {
			r := newMTRig(t)
			r.mtStart()
			r.cmd("AT"+set, "\r\nOK\r\n")
			r.cmd(`AT#TCPSERV="10.0.0.1"`, "\r\nOK\r\n")
			r.cmd("AT#TCPPORT="+strconv.Itoa(shimEchoPort), "\r\nOK\r\n")
			r.cmd("AT#DLEMODE=0", "\r\nOK\r\n")
			r.cmd("AT#OTCP", "\r\nOk_Info_WaitingForData\r\n")
			r.send("ping\x03")
			r.expect("ping\x03")
			r.dtr.Store(false)
			if set == "&D0" {
				r.send("still")
				r.expect("still")
				return
			}
			r.expect("\r\nOk_Info_SocketClosed\r\n\r\nOK\r\n")
			r.dtr.Store(true)
			r.cmd("AT#VSTATE", "\r\n#STATE: CONNECTED\r\n\r\nOK\r\n")
			r.cmd("AT#TCPPORT=9", "\r\nOK\r\n") // no session runs
		})
	}
}
