package shim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gprsppp/gprsppp/netstack/netstacktest"
	"github.com/gprsppp/gprsppp/ppptest"
)

// newTelitRig is a shim speaking the Telit dialect with echo off.
func newTelitRig(t *testing.T) *shimRig {
	t.Helper()
	r := newShimRig(t, func(c *Config) { c.Dialect = DialectTelit })
	r.init()
	return r
}

// newTelitRigPorts is one Telit module with two ports (MDM, MDM2),
// echo off on both.
func newTelitRigPorts(t *testing.T) (*shimRig, *shimRig) {
	t.Helper()
	near, far := netstacktest.Pair(t, shimNearIP, shimFarIP)
	fs := startShimFar(t, far)
	be := &shimFakeBackend{net: &shimFakeNet{Stack: near, done: make(chan struct{}), far: fs}, info: shimTestInfo}
	cfg := Config{Backend: be, Dialect: DialectTelit,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	var rigs [2]*shimRig
	var lines [2]*ppptest.Conn
	for i := range rigs {
		a, b := ppptest.Pipe()
		lines[i] = a
		r := &shimRig{t: t, host: b, dce: a, be: be, far: far, farS: fs, out: make(chan []byte, 64), stop: cancel}
		go func() {
			buf := make([]byte, 4096)
			for {
				n, err := b.Read(buf)
				if n > 0 {
					r.out <- bytes.Clone(buf[:n])
				}
				if err != nil {
					close(r.out)
					return
				}
			}
		}()
		rigs[i] = r
	}
	go func() { errc <- New(cfg).ServePorts(ctx, lines[0], lines[1]) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("ServePorts: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("ServePorts did not return")
		}
		for i, r := range rigs {
			lines[i].Close()
			for range r.out {
			}
		}
	})
	rigs[0].init()
	rigs[1].init()
	return rigs[0], rigs[1]
}

// telitActivate activates context 1 as attentive's telit2 does.
func (r *shimRig) telitActivate() {
	r.t.Helper()
	r.cmd(`AT+CGDCONT=1,IP,"internet"`, "\r\nOK\r\n")
	r.cmd("AT#SGACT=1,1", "\r\n#SGACT: 10.0.0.2\r\n\r\nOK\r\n")
}

func TestTelitBasics(t *testing.T) {
	r := newTelitRig(t)
	r.cmd("AT+CMEE=2", "\r\nOK\r\n")
	runShimSteps(t, r, []shimStep{
		{"AT&K0", "\r\nOK\r\n"},
		{"AT#SELINT=2", "\r\nOK\r\n"},
		{"AT#CCID", "\r\n#CCID: 89860000000000000000\r\n\r\nOK\r\n"},
		{"AT#SD=1,0,7,10.0.0.1,0,0,1", "\r\n+CME ERROR: context not opened\r\n"},
		{`AT+CGDCONT=1,IP,"internet"`, "\r\nOK\r\n"},
		{"AT#SGACT=1,1", "\r\n#SGACT: 10.0.0.2\r\n\r\nOK\r\n"},
		{"AT#SGACT=1,1", "\r\n+CME ERROR: context already activated\r\n"},
		{"AT#SGACT?", "\r\n#SGACT: 1,1\r\n\r\n#SGACT: 2,0\r\n\r\n#SGACT: 3,0\r\n\r\n#SGACT: 4,0\r\n\r\n#SGACT: 5,0\r\n\r\nOK\r\n"},
		{"AT#SS=1", "\r\n#SS: 1,0\r\n\r\nOK\r\n"},
		{"AT#SS=7", "\r\nERROR\r\n"},
		{"AT#SI=2", "\r\n#SI: 2,0,0,0,0\r\n\r\nOK\r\n"},
		{"AT#SI=?", "\r\n#SI: (1-6)\r\n\r\nOK\r\n"},
		{"AT#SS=?", "\r\n#SS: (1-6)\r\n\r\nOK\r\n"},
		{"AT#SLASTCLOSURE=1", "\r\n#SLASTCLOSURE: 1,0\r\n\r\nOK\r\n"},
		{"AT#SLASTCLOSURE?", "\r\nERROR\r\n"},
		{"AT#SRECV=1,128", "\r\n+CME ERROR: activation failed\r\n"},
		{"AT#SSENDEXT=1,3", "\r\n+CME ERROR: wrong state\r\n"},
		{"AT#SCFG=1,1,300,90,600,50", "\r\nOK\r\n"},
		{"AT#SCFG=1,1,300,90,5,50", "\r\nERROR\r\n"},
		{"AT#SCFGEXT=1,4,0,0", "\r\nERROR\r\n"},
		{`AT#FRWL=1,"10.0.0.0","255.255.255.0"`, "\r\nOK\r\n"},
		{`AT#FRWL=1,"192.168.1.1","255.255.0.0"`, "\r\nOK\r\n"},
		{"AT#FRWL?", "\r\n#FRWL: \"10.0.0.0\",\"255.255.255.0\"\r\n\r\n#FRWL: \"192.168.0.0\",\"255.255.0.0\"\r\n\r\nOK\r\n"},
		{`AT#FRWL=0,"192.168.1.1","255.255.0.0"`, "\r\nOK\r\n"},
		{`AT#FRWL=2,"192.168.4.1","225.255.255.0"`, "\r\nOK\r\n"}, // seed 004's clear
		{"AT#FRWL?", "\r\nOK\r\n"},
		{"AT#SGACT=1,0", "\r\nOK\r\n"},
		{"AT#GPRS=1", "\r\n+IP: 10.0.0.2\r\n\r\nOK\r\n"},
		{"AT#GPRS?", "\r\n#GPRS: 1\r\n\r\nOK\r\n"},
		{"AT#GPRS=0", "\r\nOK\r\n"},
		{"AT#BOGUS", "\r\nERROR\r\n"},
		{"AT+CMEE=1", "\r\nOK\r\n"},
		{"AT#SD=1,0,7,10.0.0.1,0,0,1", "\r\n+CME ERROR: 556\r\n"},
		{"AT+CMEE=0", "\r\nOK\r\n"},
		{"AT#SD=1,0,7,10.0.0.1,0,0,1", "\r\nERROR\r\n"},
	})
}

// TestTelitCommandMode is attentive's telit2 socket dialogue on the echo
// service: AT#SD in command mode, AT#SSENDEXT, SRING, AT#SRECV, AT#SI
// until ack_waiting is 0, AT#SH.
func TestTelitCommandMode(t *testing.T) {
	r := newTelitRig(t)
	r.cmd("AT+CMEE=2", "\r\nOK\r\n")
	r.telitActivate()
	r.cmd("AT#SCFGEXT=1,0,0,0,0,0", "\r\nOK\r\n")
	r.cmd("AT#SCFGEXT2=1,0,0,0,0,0", "\r\nOK\r\n")
	r.cmd("AT#SD=1,0,7,10.0.0.1,0,0,1", "\r\nOK\r\n")
	r.cmd("AT#SS=1", "\r\n#SS: 1,2,10.0.0.2,"+r.localPort(t)+",10.0.0.1,7\r\n\r\nOK\r\n")
	r.send("AT#SSENDEXT=1,5\r")
	r.expect("\r\n> ")
	r.send("he\x00\xfflo"[:5])
	r.expect("\r\nOK\r\n")
	r.expect("\r\nSRING: 1\r\n")
	r.cmd("AT#SRECV=1,3", "\r\n#SRECV: 1,3\r\nhe\x00\r\n\r\nOK\r\n") // no SRING for what is left
	r.cmd("AT#SRECV=1,128", "\r\n#SRECV: 1,2\r\n\xffl\r\n\r\nOK\r\n")
	r.cmd("AT#SRECV=1,128", "\r\n+CME ERROR: activation failed\r\n")
	r.cmd("AT#SI=1", "\r\n#SI: 1,5,5,0,0\r\n\r\nOK\r\n")
	r.cmd("AT#SCFGEXT=1,2,1,0", "\r\nOK\r\n")
	r.send("AT#SSEND=1\r")
	r.expect("\r\n> ")
	r.send("AB\x1a")
	r.expect("\r\nOK\r\n")
	r.expect("\r\nSRING: 1,2,4142\r\n")
	// Hex sending (sendDataMode 1), then the stray Ctrl-Z mbed's ME910
	// driver sends after AT#SSENDEXT's data, which is ignored.
	r.cmd("AT#SCFGEXT=1,1,0,0,0,1", "\r\nOK\r\n")
	r.send("AT#SSEND=1\r")
	r.expect("\r\n> ")
	r.send("4344\x1a")
	r.expect("\r\nOK\r\n")
	r.expect("\r\nSRING: 1,2\r\n")
	r.cmd("AT#SRECV=1,10", "\r\n#SRECV: 1,2\r\nCD\r\n\r\nOK\r\n")
	r.send("AT#SSENDEXT=1,1\r")
	r.expect("\r\n> ")
	r.send("E\x1a")
	r.expect("\r\nOK\r\n")
	r.expect("\r\nSRING: 1,1\r\n")
	r.cmd("AT#SRECV=1,10", "\r\n#SRECV: 1,1\r\nE\r\n\r\nOK\r\n")
	r.send("AT#SSEND=1\r")
	r.expect("\r\n> ")
	r.send("zz\x1a")
	r.expect("\r\nERROR\r\n")
	r.cmd("AT#SH=1", "\r\nOK\r\n")
	r.cmd("AT#SS", "\r\n#SS: 1,0\r\n\r\n#SS: 2,0\r\n\r\n#SS: 3,0\r\n\r\n#SS: 4,0\r\n\r\n#SS: 5,0\r\n\r\n#SS: 6,0\r\n\r\nOK\r\n")
}

// localPort is the local port of socket 1 as AT#SS shows it.
func (r *shimRig) localPort(t *testing.T) string {
	r.send("AT#SS=1\r")
	line := r.until("\r\n\r\nOK\r\n")
	f := bytes.Split([]byte(line), []byte(","))
	if len(f) != 6 {
		t.Fatalf("AT#SS=1: %q", line)
	}
	return string(f[3])
}

// TestTelitOnline is AT#SD in online mode: CONNECT, raw data both ways,
// +++ (OK), AT#SS shows it suspended, data while escaped rings, AT#SO
// returns with it, NO CARRIER when the peer closes.
func TestTelitOnline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = DialectTelit })
		r.init()
		r.cmd("AT#SGACT=1,1", "\r\n#SGACT: 10.0.0.2\r\n\r\nOK\r\n")
		r.cmd(`AT#SD=2,0,7007,"10.0.0.1"`, "\r\nCONNECT\r\n")
		far := <-pn.far
		defer far.Close()
		farRead := func(want string) { t.Helper(); expectFar(t, far, want) }
		r.send("to server")
		farRead("to server")
		far.Write([]byte("from server"))
		r.expect("from server")

		time.Sleep(time.Second) // the escape's guard time, in the bubble
		r.send("+++")
		time.Sleep(time.Second)
		r.expect("\r\nOK\r\n")
		r.cmd("AT#SS=2", "\r\n#SS: 2,2,10.0.0.2,0,0.0.0.0,0\r\n\r\nOK\r\n")
		r.cmd("AT#SO=1", "\r\nERROR\r\n") // nothing to resume; AT+CMEE=0
		far.Write([]byte("held"))
		r.expect("\r\nSRING: 2\r\n")
		r.cmd("AT#SO=2", "\r\nCONNECT\r\nheld")
		r.send("back")
		farRead("back")
		far.Write([]byte("last"))
		far.Close()
		r.expect("last\r\nNO CARRIER\r\n")
		r.cmd("AT#SS=2", "\r\n#SS: 2,0\r\n\r\nOK\r\n")
		r.cmd("AT#SO=2", "\r\nERROR\r\n")
	})
}

// TestTelitListenPorts is seed 004 on two ports of one module: AT#FRWL,
// AT#SL=1,1,<port>, SRING: 1 for an allowed source, AT#SA=1,0 bridging
// both ways, AT#SS on the second port, 1,0 after the remote closes; a
// source outside the firewall is refused without SRING.
func TestTelitListenPorts(t *testing.T) {
	mdm, mdm2 := newTelitRigPorts(t)
	mdm.cmd("AT#GPRS=0", "\r\nOK\r\n")
	mdm.cmd(`AT+CGDCONT=1,"IP","INTERNETTRIAL"`, "\r\nOK\r\n")
	mdm.cmd(`AT#USERID="trial488@INTERNETTRIAL"`, "\r\nOK\r\n")
	mdm.cmd(`AT#PASSW="trialpass488"`, "\r\nOK\r\n")
	mdm.cmd(`AT#FRWL=1,"192.168.1.1","255.255.255.0"`, "\r\nOK\r\n")
	mdm.cmd("AT#GPRS=1", "\r\n+IP: 10.0.0.2\r\n\r\nOK\r\n")
	mdm.cmd("AT#SL=1,1,23", "\r\nOK\r\n")
	mdm2.cmd("AT#SS", "\r\n#SS: 1,4,10.0.0.2,23,0.0.0.0,0\r\n\r\n#SS: 2,0\r\n\r\n#SS: 3,0\r\n\r\n#SS: 4,0\r\n\r\n#SS: 5,0\r\n\r\n#SS: 6,0\r\n\r\nOK\r\n")

	// 10.0.0.1 is outside the firewall: refused, no SRING.
	dial := func() net.Conn {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := mdm.far.DialContext(ctx, "tcp", "10.0.0.2:23")
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	refused := dial()
	refused.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := refused.Read(make([]byte, 1)); err == nil {
		t.Fatal("a source outside the firewall got data")
	}
	mdm.cmd("AT", "\r\nOK\r\n") // and no SRING before it

	mdm.cmd(`AT#FRWL=1,"10.0.0.7","255.255.255.0"`, "\r\nOK\r\n")
	// What the host types leaves in packets of 300 octets or after txTo
	// (5 s by default): 0.1 s here, for a short test.
	mdm.cmd("AT#SCFG=1,1,300,90,600,1", "\r\nOK\r\n")
	remote := dial()
	mdm.expect("\r\nSRING: 1\r\n")
	mdm2.cmd("AT#SS=1", "\r\n#SS: 1,5,10.0.0.2,23,10.0.0.1,"+remotePort(remote)+"\r\n\r\nOK\r\n")
	mdm.cmd("AT#SA=1,0", "\r\nCONNECT\r\n")
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	all = bytes.ReplaceAll(all, []byte("+"), nil)
	remote.Write(all)
	mdm.expect(string(all))
	mdm.send(string(all))
	got := make([]byte, len(all))
	remote.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := readFull(remote, got); err != nil || !bytes.Equal(got, all) {
		t.Fatalf("remote read %q, %v", got, err)
	}
	mdm2.cmd("AT#SS=1", "\r\n#SS: 1,1,10.0.0.2,23,10.0.0.1,"+remotePort(remote)+"\r\n\r\nOK\r\n")
	remote.Close()
	mdm.expect("\r\nNO CARRIER\r\n")
	mdm2.cmd("AT#SS", "\r\n#SS: 1,0\r\n\r\n#SS: 2,0\r\n\r\n#SS: 3,0\r\n\r\n#SS: 4,0\r\n\r\n#SS: 5,0\r\n\r\n#SS: 6,0\r\n\r\nOK\r\n")
	mdm.cmd("AT#SL=1,1,23", "\r\nOK\r\n")
}

func remotePort(c net.Conn) string {
	_, p, _ := net.SplitHostPort(c.LocalAddr().String())
	return p
}

func readFull(c net.Conn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k, err := c.Read(b[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// TestTelitListenModes: AT#SA in command mode with SRING modes 1 and 3
// and hex receive, ListenAutoRsp's CONNECT without AT#SA, AT#SH from
// the second port ending the first's online socket with NO CARRIER, and
// AT#SLUDP.
func TestTelitListenModes(t *testing.T) {
	mdm, mdm2 := newTelitRigPorts(t)
	mdm.cmd("AT+CMEE=2", "\r\nOK\r\n")
	mdm.telitActivate()
	dial := func(port string) net.Conn {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := mdm.far.DialContext(ctx, "tcp", "10.0.0.2:"+port)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	// Command mode, SRING with the amount, then with the peer, in hex.
	mdm.cmd("AT#SCFGEXT=3,1,0,0", "\r\nOK\r\n")
	mdm.cmd("AT#SL=3,1,3000", "\r\nOK\r\n")
	mdm.cmd("AT#SL=3,1,3000", "\r\n+CME ERROR: already listening\r\n")
	c := dial("3000")
	mdm.expect("\r\nSRING: 3\r\n")
	mdm.cmd("AT#SA=3,1", "\r\nOK\r\n")
	c.Write([]byte("abc"))
	mdm.expect("\r\nSRING: 3,3\r\n")
	mdm.cmd("AT#SCFGEXT=3,3,1,0", "\r\nOK\r\n")
	mdm.cmd("AT#SRECV=3,2", "\r\n#SRECV: 3,2\r\n6162\r\n\r\nOK\r\n")
	mdm.cmd("AT#SRECV=3,2", "\r\n#SRECV: 3,1\r\n63\r\n\r\nOK\r\n")
	c.Write([]byte("de"))
	mdm.expect("\r\nSRING: 10.0.0.1," + remotePort(c) + ",3,2,0,6465\r\n")
	mdm.send("AT#SSENDEXT=3,2\r")
	mdm.expect("\r\n> ")
	mdm.send("\x03\x10")
	mdm.expect("\r\nOK\r\n")
	got := make([]byte, 2)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := readFull(c, got); err != nil || string(got) != "\x03\x10" {
		t.Fatalf("remote read %q, %v", got, err)
	}
	mdm.cmd("AT#SH=3", "\r\nOK\r\n")

	// ListenAutoRsp: CONNECT at once; AT#SH on MDM2 hangs it up.
	mdm.cmd("AT#SCFGEXT=4,0,0,0,1", "\r\nOK\r\n")
	mdm.cmd("AT#SL=4,1,3001", "\r\nOK\r\n")
	c = dial("3001")
	mdm.expect("\r\nCONNECT\r\n")
	c.Write([]byte("x"))
	mdm.expect("x")
	mdm2.cmd("AT#SS=4", "\r\n#SS: 4,1,10.0.0.2,3001,10.0.0.1,"+remotePort(c)+"\r\n\r\nOK\r\n")
	mdm2.cmd("AT#SH=4", "\r\nOK\r\n")
	mdm.expect("\r\nNO CARRIER\r\n")
	mdm.cmd("AT#SS=4", "\r\n#SS: 4,0\r\n\r\nOK\r\n")

	// AT#SLUDP: the first datagram rings; AT#SA=5,1 and AT#SRECV with
	// the peer's address.
	mdm.cmd("AT#SLUDP=5,1,3002", "\r\nOK\r\n")
	u, err := mdm.far.DialContext(context.Background(), "udp", "10.0.0.2:3002")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	u.Write([]byte("dgram"))
	mdm.expect("\r\nSRING: 5\r\n")
	mdm.cmd("AT#SA=5,1", "\r\nOK\r\n\r\nSRING: 5\r\n")
	mdm.cmd("AT#SRECV=5,100,1", "\r\n#SRECV: 10.0.0.1,"+remotePort(u)+",5,5,0\r\ndgram\r\n\r\nOK\r\n")
	mdm.cmd("AT#SH=5", "\r\nOK\r\n")
	mdm.cmd("AT#SLUDP=5,0,3002", "\r\n+CME ERROR: wrong state\r\n")
}

// A peer the host dialed passes the firewall while connected, whatever
// its entries; when the network goes, the online socket ends with NO
// CARRIER and the context is down.
func TestTelitFirewallDialedAndContextLost(t *testing.T) {
	r := newTelitRig(t)
	r.cmd("AT+CMEE=2", "\r\nOK\r\n")
	r.telitActivate()
	r.cmd(`AT#FRWL=1,"192.168.1.0","255.255.255.0"`, "\r\nOK\r\n")
	r.cmd("AT#SL=2,1,4000", "\r\nOK\r\n")
	dial := func() net.Conn {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := r.far.DialContext(ctx, "tcp", "10.0.0.2:4000")
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	refused := dial()
	refused.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := refused.Read(make([]byte, 1)); err == nil {
		t.Fatal("10.0.0.1 got through the firewall")
	}
	r.cmd("AT#SD=1,0,7,10.0.0.1,0,0,1", "\r\nOK\r\n")
	dial()
	r.expect("\r\nSRING: 2\r\n")
	r.cmd("AT#SA=2,0", "\r\nCONNECT\r\n")
	r.be.net.drop()
	r.expect("\r\nNO CARRIER\r\n")
	r.cmd("AT#SGACT?", "\r\n#SGACT: 1,0\r\n\r\n#SGACT: 2,0\r\n\r\n#SGACT: 3,0\r\n\r\n#SGACT: 4,0\r\n\r\n#SGACT: 5,0\r\n\r\nOK\r\n")
	r.cmd("AT#SS=1", "\r\n#SS: 1,0\r\n\r\nOK\r\n")
}

// Two online sockets on one port: the first escaped stays suspended while
// the second is online, and AT#SO switches between them.
func TestTelitTwoOnline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = DialectTelit })
		r.init()
		r.cmd("AT#SGACT=1,1", "\r\n#SGACT: 10.0.0.2\r\n\r\nOK\r\n")
		r.cmd(`AT#SD=1,0,7007,"10.0.0.1"`, "\r\nCONNECT\r\n")
		far1 := <-pn.far
		defer far1.Close()
		escape := func() {
			time.Sleep(time.Second) // the guard time, in the bubble
			r.send("+++")
			time.Sleep(time.Second)
			r.expect("\r\nOK\r\n")
		}
		escape()
		r.cmd(`AT#SD=2,0,7008,"10.0.0.1"`, "\r\nCONNECT\r\n")
		far2 := <-pn.far
		defer far2.Close()
		far2.Write([]byte("two"))
		r.expect("two")
		escape()
		r.cmd("AT#SS=1", "\r\n#SS: 1,2,10.0.0.2,0,0.0.0.0,0\r\n\r\nOK\r\n")
		far1.Write([]byte("one"))
		r.expect("\r\nSRING: 1\r\n")
		r.cmd("AT#SO=1", "\r\nCONNECT\r\none")
		escape()
		r.cmd("AT#SO=2", "\r\nCONNECT\r\n")
		r.send("x")
		b := make([]byte, 1)
		if _, err := io.ReadFull(far2, b); err != nil || b[0] != 'x' {
			t.Fatalf("far2 read %q, %v", b, err)
		}
	})
}

// With AT#SCFGEXT2's noCarrierMode, a command-mode socket the peer closes
// says NO CARRIER: <connId>,<cause>; its data stays readable, and AT#SS
// is 0 once it is read.
func TestTelitNoCarrierMode(t *testing.T) {
	r := newTelitRig(t)
	r.cmd("AT+CMEE=2", "\r\nOK\r\n")
	r.telitActivate()
	r.cmd("AT#SCFGEXT2=1,0,0,0,0,1", "\r\nOK\r\n")
	r.cmd(fmt.Sprintf("AT#SD=1,0,%d,10.0.0.1,0,0,1", shimClosePort), "\r\nOK\r\n")
	r.until("\r\nNO CARRIER: 1,1\r\n")
	r.send("AT#SS=1\r") // an SRING may come before or after
	r.until(",3,10.0.0.2,")
	r.until(fmt.Sprintf(",10.0.0.1,%d\r\n\r\nOK\r\n", shimClosePort))
	r.send("AT#SRECV=1,100\r")
	r.until("\r\n#SRECV: 1,3\r\nbye\r\n\r\nOK\r\n")
	r.cmd("AT#SS=1", "\r\n#SS: 1,0\r\n\r\nOK\r\n")
	r.cmd("AT#SLASTCLOSURE=1", "\r\n#SLASTCLOSURE: 1,1\r\n\r\nOK\r\n")
	r.cmd("AT#SLASTCLOSURE=2", "\r\n#SLASTCLOSURE: 2,0\r\n\r\nOK\r\n")
	r.cmd("AT#SSENDEXT=1,1", "\r\n+CME ERROR: wrong state\r\n")
}
