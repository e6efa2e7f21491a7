package shim

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"
)

// telitDialFar connects from the far side to the shim host's port.
func (r *shimRig) telitDialFar(network string, port int) net.Conn {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := r.far.DialContext(ctx, network, "10.0.0.2:"+strconv.Itoa(port))
	if err != nil {
		r.t.Fatalf("dial: %v", err)
	}
	r.t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// The IP Easy commands as GM862-era firmware uses them: AT#GPRS=1, then
// AT#SKTD=0,<port>,"<host>",0,0 and CONNECT; AT#SKTL answers a
// connection itself with +CONN FROM and CONNECT behind the firewall, and
// listens once; AT#SKTSET and AT#SKTOP activate the context and dial.
func TestTelitIPEasy(t *testing.T) {
	r := newTelitRig(t)
	runShimSteps(t, r, []shimStep{
		{"AT+CMEE=1", "\r\nOK\r\n"},
		{`AT+CGDCONT=1,"IP","internet"`, "\r\nOK\r\n"},
		{`AT#USERID="user";#PASSW="pass"`, "\r\nOK\r\n"},
		{"AT#SKTTO?", "\r\n#SKTTO: 90\r\n\r\nOK\r\n"},
		{"AT#DSTO=1;#PKTSZ=0;#SKTCT=100", "\r\nOK\r\n"},
		{"AT#PKTSZ?", "\r\n#PKTSZ: 300\r\n\r\nOK\r\n"},
		{"AT#SKTCT=5", "\r\nERROR\r\n"},
		{`AT#SKTD=0,7,"10.0.0.1",0,0`, "\r\n+CME ERROR: 556\r\n"}, // no context
		{"AT#SKTL=1,0,2050", "\r\nERROR\r\n"},
		{"AT#GPRS=1", "\r\n+IP: 10.0.0.2\r\n\r\nOK\r\n"},
		{`AT#SKTD=0,7,"10.0.0.1"`, "\r\nCONNECT\r\n"},
	})
	r.send("hello")
	r.expect("hello") // the echo service
	r.cmd("", "")     // a CR is data too
	r.expect("\r")
	r.be.net.drop() // the network goes: NO CARRIER
	r.expect("\r\nNO CARRIER\r\n")

	r = newTelitRig(t)
	r.cmd(`AT+CMEE=1;+CGDCONT=1,"IP","internet"`, "\r\nOK\r\n")
	r.cmd("AT#GPRS=1", "\r\n+IP: 10.0.0.2\r\n\r\nOK\r\n")
	r.cmd(`AT#FRWL=1,"10.0.0.0","255.255.255.0";#DSTO=1`, "\r\nOK\r\n")
	r.cmd("AT#SKTL=1,0,2050", "\r\nOK\r\n")
	r.cmd("AT#SKTL=1,0,2051", "\r\n+CME ERROR: 564\r\n")
	c := r.telitDialFar("tcp", 2050)
	r.expect("\r\n+CONN FROM: 10.0.0.1\r\n\r\nCONNECT\r\n")
	c.Write([]byte("from far"))
	r.expect("from far")
	r.send("to far")
	buf := make([]byte, 6)
	if _, err := readFull(c, buf); err != nil || string(buf) != "to far" {
		t.Fatalf("far read %q, %v", buf, err)
	}
	c.Close()
	r.expect("\r\nNO CARRIER\r\n")
	r.cmd("AT#SS=1", "\r\n#SS: 1,0\r\n\r\nOK\r\n")  // one-shot
	r.cmd("AT#GPRS?", "\r\n#GPRS: 1\r\n\r\nOK\r\n") // the context stays
	r.cmd("AT#SKTL=1,0,2052", "\r\nOK\r\n")
	r.cmd("AT#SKTL=0,0,2052,255", "\r\nOK\r\n")
	r.cmd("AT#SKTL=0,0,2052", "\r\n+CME ERROR: 551\r\n")

	// AT#SKTOP: the stored target, the context brought up for it.
	r.cmd("AT#GPRS=0", "\r\nOK\r\n")
	r.cmd("AT#SKTOP", "\r\nERROR\r\n") // no AT#SKTSET yet
	r.cmd(`AT#SKTSET=0,7,"10.0.0.1",0,0;#SKTSAV`, "\r\nOK\r\n")
	r.cmd("AT#SKTSET?", "\r\n#SKTSET: 0,7,\"10.0.0.1\"\r\n\r\nOK\r\n")
	r.cmd("AT#SKTOP", "\r\nCONNECT\r\n")
	r.send("again")
	r.expect("again")
}

// AT#SSENDUDP(EXT) answers peers from a UDP listening socket after
// AT#SA; it needs one.
func TestTelitSSENDUDP(t *testing.T) {
	r := newTelitRig(t)
	r.cmd("AT+CMEE=1", "\r\nOK\r\n")
	r.telitActivate()
	r.cmd("AT#SSENDUDP=1,\"10.0.0.1\",7", "\r\n+CME ERROR: 551\r\n")
	r.cmd("AT#SLUDP=1,1,3100", "\r\nOK\r\n")
	u := r.telitDialFar("udp", 3100)
	u.Write([]byte("dgram"))
	r.expect("\r\nSRING: 1\r\n")
	r.cmd("AT#SA=1,1", "\r\nOK\r\n\r\nSRING: 1\r\n")
	port := remotePort(u)
	r.cmd(`AT#SSENDUDP=1,"10.0.0.1",`+port, "\r\n> ")
	r.send("reply\x1a")
	r.expect("\r\nOK\r\n")
	buf := make([]byte, 64)
	if n, err := u.Read(buf); err != nil || string(buf[:n]) != "reply" {
		t.Fatalf("peer read %q, %v", buf[:n], err)
	}
	r.cmd(`AT#SSENDUDPEXT=1,3,"10.0.0.1",`+port, "\r\n> ")
	r.send("\x00\x1a\xff")
	r.expect("\r\nOK\r\n")
	if n, err := u.Read(buf); err != nil || string(buf[:n]) != "\x00\x1a\xff" {
		t.Fatalf("peer read %q, %v", buf[:n], err)
	}
	// To a second address: the echo service answers on the same socket
	// (the shim keeps one peer per accepted UDP socket, so the answer is
	// not the host's to read, but it is sent).
	r.cmd(`AT#SSENDUDPEXT=1,2,"10.0.0.1",7`, "\r\n> ")
	r.send("hi")
	r.expect("\r\nOK\r\n")
	for _, bad := range []string{`AT#SSENDUDP=1,"host",7`, `AT#SSENDUDP=1,"10.0.0.1",0`, `AT#SSENDUDPEXT=1,1501,"10.0.0.1",7`, `AT#SSENDUDP=1,"10.0.0.1"`} {
		r.cmd(bad, "\r\nERROR\r\n")
	}
	r.cmd(`AT#SSENDUDP=2,"10.0.0.1",7`, "\r\n+CME ERROR: 551\r\n")
}

// When the network drops a listener, its port hears "#SL: ABORTED"
// (AT#SL) or "#SKTL: ABORTED" (AT#SKTL).
func TestTelitListenAborted(t *testing.T) {
	r := newTelitRig(t)
	r.telitActivate()
	r.cmd("AT#SL=3,1,3200", "\r\nOK\r\n")
	r.be.net.drop()
	r.expect("\r\n#SL: ABORTED\r\n")
	r.cmd("AT#SS=3", "\r\n#SS: 3,0\r\n\r\nOK\r\n")

	r = newTelitRig(t)
	r.telitActivate()
	r.cmd("AT#SKTL=1,0,3201", "\r\nOK\r\n")
	r.be.net.drop()
	r.expect("\r\n#SKTL: ABORTED\r\n")
}
