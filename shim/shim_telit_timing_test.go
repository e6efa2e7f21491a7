package shim

import (
	"io"
	"testing"
	"testing/synctest"
	"time"
)

// AT#SCFG's pktSz and txTo pack what the host types in online mode: full
// packets at once, the rest after txTo; maxTo closes an idle connection
// with NO CARRIER and AT#SLASTCLOSURE's cause 3, and traffic either way
// puts it off.
func TestTelitSCFGTiming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = DialectTelit })
		r.init()
		r.cmd("AT#SGACT=1,1", "\r\n#SGACT: 10.0.0.2\r\n\r\nOK\r\n")
		r.cmd("AT#SCFG=2,1,10,3,600,20", "\r\nOK\r\n")
		r.cmd(`AT#SD=2,0,7007,"10.0.0.1"`, "\r\nCONNECT\r\n")
		far := <-pn.far
		defer far.Close()
		start := time.Now()
		r.send("0123456789abcdefghijKLMNO")
		buf := make([]byte, 25)
		if _, err := io.ReadFull(far, buf[:20]); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("two full packets after %v, want at once", d)
		}
		if _, err := io.ReadFull(far, buf[20:]); err != nil || string(buf) != "0123456789abcdefghijKLMNO" {
			t.Fatalf("far read %q, %v", buf, err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("the partial packet after %v, want txTo, 2 s", d)
		}
		time.Sleep(2 * time.Second) // idle, then traffic puts the timeout off
		far.Write([]byte("in"))
		r.expect("in")
		start = time.Now()
		r.expect("\r\nNO CARRIER\r\n")
		if d := time.Since(start); d < 3*time.Second || d > 4*time.Second {
			t.Errorf("closed %v after the last traffic, want maxTo, 3 s (to a second)", d)
		}
		if n, err := far.Read(buf); err == nil {
			t.Errorf("far read %q after the inactivity timeout", buf[:n])
		}
		r.cmd("AT#SLASTCLOSURE=2", "\r\n#SLASTCLOSURE: 2,3\r\n\r\nOK\r\n")
		r.cmd("AT#SS=2", "\r\n#SS: 2,0\r\n\r\nOK\r\n")
	})
}

// A command-mode socket closed for inactivity says so under
// AT#SCFGEXT2's noCarrierMode; maxTo 0 never closes.
func TestTelitSCFGIdleCommandMode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = DialectTelit })
		r.init()
		r.cmd("AT#SGACT=1,1", "\r\n#SGACT: 10.0.0.2\r\n\r\nOK\r\n")
		r.cmd("AT#SCFG=1,1,300,5,600,50;#SCFGEXT2=1,0,0,0,0,1", "\r\nOK\r\n")
		r.cmd("AT#SCFG=3,1,300,0,600,50", "\r\nOK\r\n")
		r.cmd(`AT#SD=1,0,7007,"10.0.0.1",0,0,1`, "\r\nOK\r\n")
		far1 := <-pn.far
		defer far1.Close()
		r.cmd(`AT#SD=3,0,7008,"10.0.0.1",0,0,1`, "\r\nOK\r\n")
		far3 := <-pn.far
		defer far3.Close()
		r.expect("\r\nNO CARRIER: 1,3\r\n")
		time.Sleep(time.Hour)
		r.cmd("AT#SS", "\r\n#SS: 1,0\r\n\r\n#SS: 2,0\r\n\r\n#SS: 3,2,10.0.0.2,0,0.0.0.0,0\r\n\r\n#SS: 4,0\r\n\r\n#SS: 5,0\r\n\r\n#SS: 6,0\r\n\r\nOK\r\n")
	})
}

// While AT#SD waits for its connection, the module's other port sees the
// socket connecting (AT#SS state 7, on the context's address; the ports
// and the peer are the shim's zeros until the connection is made); after
// connTo the dial fails with "timeout in opening socket" and the socket
// is closed.
func TestTelitSSConnecting(t *testing.T) {
	mdm, mdm2 := newTelitRigPorts(t)
	mdm.cmd("AT+CMEE=2", "\r\nOK\r\n")
	mdm.telitActivate()
	mdm.cmd("AT#SCFG=1,1,300,90,30,50", "\r\nOK\r\n") // connTo 3 s
	mdm.send("AT#SD=1,0,7,10.0.0.99,0,0,1\r")         // nobody answers there
	// The ports run apart: MDM2 may ask before MDM has taken AT#SD.
	awaitSS(t, mdm2, "\r\n#SS: 1,7,10.0.0.2,0,0.0.0.0,0", "\r\n#SS: 1,0")
	mdm.expect("\r\n+CME ERROR: timeout in opening socket\r\n")
	mdm2.cmd("AT#SS=1", "\r\n#SS: 1,0\r\n\r\nOK\r\n")
}

// AT#SS shows a socket opened to a host name as resolving (6) while the
// name is looked up, connecting (7) once it connects to the address
// found; a name that does not resolve fails the AT#SD with "can not
// resolve DN".
func TestTelitSSResolving(t *testing.T) {
	mdm, mdm2 := newTelitRigPorts(t)
	release := mdm.be.net.holdLookups()
	mdm.cmd("AT+CMEE=2", "\r\nOK\r\n")
	mdm.telitActivate()
	mdm.cmd("AT#SCFG=1,1,300,90,30,50", "\r\nOK\r\n") // connTo 3 s
	mdm.send("AT#SD=1,0,7,void.example,0,0,1\r")
	select {
	case host := <-mdm.be.net.lookups:
		if host != "void.example" {
			t.Fatalf("looked up %q, want void.example", host)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("AT#SD=1 looked nothing up")
	}
	mdm2.cmd("AT#SS=1", "\r\n#SS: 1,6,10.0.0.2,0,0.0.0.0,0\r\n\r\nOK\r\n")
	close(release)
	awaitSS(t, mdm2, "\r\n#SS: 1,7,10.0.0.2,0,0.0.0.0,0", "\r\n#SS: 1,6,10.0.0.2,0,0.0.0.0,0")
	mdm.expect("\r\n+CME ERROR: timeout in opening socket\r\n")
	mdm2.cmd("AT#SS=1", "\r\n#SS: 1,0\r\n\r\nOK\r\n")
	mdm.cmd("AT#SD=1,0,7,nowhere.example,0,0,1", "\r\n+CME ERROR: can not resolve DN\r\n")
	mdm2.cmd("AT#SS=1", "\r\n#SS: 1,0\r\n\r\nOK\r\n")
}

// awaitSS asks port AT#SS=1 until it answers want, within 3 s; before,
// it may answer only was.
func awaitSS(t *testing.T, port *shimRig, want, was string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); ; {
		if time.Now().After(deadline) {
			t.Fatalf("AT#SS=1 never answered %q", want)
		}
		port.send("AT#SS=1\r")
		if l := port.until("\r\n\r\nOK\r\n"); l == want {
			return
		} else if l != was {
			t.Fatalf("AT#SS=1: %q, want %q or %q", l, was, want)
		}
	}
}
