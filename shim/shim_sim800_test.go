package shim

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// newSIM800Rig is a shim speaking the SIM800 dialect, past its boot
// banner and with echo off.
func newSIM800Rig(t *testing.T) *shimRig {
	t.Helper()
	r := newShimRig(t, func(c *Config) { c.Dialect = DialectSIM800 })
	r.expect("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n")
	r.init()
	return r
}

// sim800Bearer brings the bearer up as TinyGSM does: CSTT, CIICR,
// CIFSR;E0.
func (r *shimRig) sim800Bearer() {
	r.t.Helper()
	r.cmd(`AT+CSTT="internet","user","pass"`, "\r\nOK\r\n")
	r.cmd("AT+CIICR", "\r\nOK\r\n")
	r.cmd("AT+CIFSR;E0", "\r\n10.0.0.2\r\n\r\nOK\r\n")
}

func TestSIM800Basics(t *testing.T) {
	r := newSIM800Rig(t)
	runShimSteps(t, r, []shimStep{
		{"ATI", "\r\nSIM800 R14.18\r\n\r\nOK\r\n"},
		{"AT+GMM", "\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n"},
		{"AT+CGMI", "\r\nSIMCOM_Ltd\r\n\r\nOK\r\n"},
		{"AT+CLTS=1", "\r\nOK\r\n"},
		{"AT+CBATCHK=1", "\r\nOK\r\n"},
		{"AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
		{"AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n"},
		// Before the bearer: no address, no connection in MUX mode.
		{"AT+CIFSR", "\r\nERROR\r\n"},
		{"AT+CIICR", "\r\nERROR\r\n"},
		{`AT+SAPBR=3,1,"Contype","GPRS"`, "\r\nOK\r\n"},
		{`AT+SAPBR=3,1,APN,"internet"`, "\r\nOK\r\n"},
		{"AT+SAPBR=2,1", "\r\n+SAPBR: 1,3,\"0.0.0.0\"\r\n\r\nOK\r\n"},
		{"AT+SAPBR=1,1", "\r\nOK\r\n"},
		{"AT+SAPBR=2,1", "\r\n+SAPBR: 1,1,\"10.0.0.2\"\r\n\r\nOK\r\n"},
		{"AT+CGATT=1", "\r\nOK\r\n"},
		{"AT+CIPMUX=1", "\r\nOK\r\n"},
		{"AT+CIPMUX?", "\r\n+CIPMUX: 1\r\n\r\nOK\r\n"},
		{"AT+CIPMODE=1", "\r\nERROR\r\n"}, // transparent needs single mode
		{"AT+CIPQSEND=1", "\r\nOK\r\n"},
		{"AT+CIPRXGET=1", "\r\nOK\r\n"},
		{"AT+CIPSTART=0,\"TCP\",\"10.0.0.1\",7", "\r\nERROR\r\n"}, // IP INITIAL
		{`AT+CSTT="internet","user","pass"`, "\r\nOK\r\n"},
		{"AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: IP START\r\n" + sim800NoConns},
		{`AT+CSTT="x"`, "\r\nERROR\r\n"},
		{"AT+CIICR", "\r\nOK\r\n"},
		{"AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: IP GPRSACT\r\n" + sim800NoConns},
		{"AT+CIPSTART=0,\"TCP\",\"10.0.0.1\",7", "\r\nERROR\r\n"}, // no CIFSR yet
		{"AT+CIFSR", "\r\n10.0.0.2\r\n"},
		{"AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: IP STATUS\r\n" + sim800NoConns},
		{"AT+CIPMUX=0", "\r\nERROR\r\n"}, // the IP application runs
		{"AT+CDNSCFG=\"8.8.8.8\",\"8.8.4.4\"", "\r\nOK\r\n"},
		{"AT+CDNSCFG?", "\r\nPrimaryDns: 8.8.8.8\r\n\r\nSecondaryDns: 8.8.4.4\r\n\r\nOK\r\n"},
		{"AT+CIPSSL=1", "\r\nERROR\r\n"},
		{"AT+CIPSSL=0", "\r\nOK\r\n"},
		{"AT+CIPCLOSE=0,1", "\r\nERROR\r\n"}, // nothing open
		{"AT+CIPCLOSE=6", "\r\nERROR\r\n"},
		{"AT+CIPSEND=0,5", "\r\nERROR\r\n"},
		{"AT+CIPRXGET=4,0", "\r\nERROR\r\n"},
		{"AT+CIPSTATUS=0", "\r\n+CIPSTATUS: 0,,\"\",\"\",\"\",\"INITIAL\"\r\n\r\nOK\r\n"},
		{"AT+CIPSHUT", "\r\nSHUT OK\r\n"},
		{"AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n" + sim800NoConns},
		{"AT+CSTT", "\r\nOK\r\n"},
		{"AT+QIACT", "\r\nERROR\r\n"},
	})
	if got := r.be.apns; len(got) != 2 || got[0] != "internet//" || got[1] != "internet/user/pass" {
		t.Errorf("activations %q, want the bearer's APN and AT+CSTT's", got)
	}
}

// sim800NoConns are the six C: lines of AT+CIPSTATUS with nothing open.
var sim800NoConns = func() string {
	var b strings.Builder
	for id := range 6 {
		fmt.Fprintf(&b, "\r\nC: %d,,\"\",\"\",\"\",\"INITIAL\"\r\n", id)
	}
	return b.String()
}()

// The dialogue of TinyGSM's and attentive's drivers: MUX, quick send,
// manual receive with the edge-triggered +CIPRXGET: 1,<n>, fields 3 and 4
// of AT+CIPRXGET=2, AT+CIPSTATUS=<n>, the remote close.
func TestSIM800ManualReceive(t *testing.T) {
	r := newSIM800Rig(t)
	r.cmd("AT+CIPMUX=1;+CIPQSEND=1;+CIPRXGET=1", "\r\nOK\r\n")
	r.sim800Bearer()
	r.cmd(fmt.Sprintf(`AT+CIPSTART=2,"TCP","10.0.0.1",%d`, shimEchoPort), "\r\nOK\r\n")
	r.expect("\r\n2, CONNECT OK\r\n")
	r.cmd(fmt.Sprintf(`AT+CIPSTART=2,"TCP","10.0.0.1",%d`, shimEchoPort), "\r\nOK\r\n\r\n2, ALREADY CONNECT\r\n")
	r.cmd("AT+CIPSTATUS=2", "\r\n+CIPSTATUS: 2,0,\"TCP\",\"10.0.0.1\",\"7\",\"CONNECTED\"\r\n\r\nOK\r\n")
	r.cmd("AT+CIPSEND=2,5", "\r\n> ")
	r.send("hello")
	r.expect("\r\nDATA ACCEPT:2,5\r\n")
	r.expect("\r\n+CIPRXGET: 1,2\r\n")
	r.cmd("AT+CIPSEND=2,6", "\r\n> ")
	r.send(" world")
	r.expect("\r\nDATA ACCEPT:2,6\r\n")
	// No second URC until the buffer is drained; wait for the echo.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.cmd("AT+CIPRXGET=4,2", "")
		got := r.until("\r\nOK\r\n")
		if got == "\r\n+CIPRXGET: 4,2,11\r\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("echo not buffered: %q", got)
		}
	}
	r.cmd("AT+CIPRXGET=2,2,4", "\r\n+CIPRXGET: 2,2,4,7\r\nhell\r\nOK\r\n")
	r.cmd("AT+CIPRXGET=3,2,2", "\r\n+CIPRXGET: 3,2,2,5\r\n6F20\r\nOK\r\n")
	r.cmd("AT+CIPRXGET=2,2,1460", "\r\n+CIPRXGET: 2,2,5,0\r\nworld\r\nOK\r\n")
	r.cmd("AT+CIPRXGET=2,2,1461", "\r\nERROR\r\n")
	r.cmd("AT+CIPACK=2", "\r\n+CIPACK: 11,11,0\r\n\r\nOK\r\n")
	// Drained: the next arrival is told again. Ctrl-Z ends a payload.
	r.cmd("AT+CIPQSEND=0", "\r\nOK\r\n")
	r.cmd("AT+CIPSEND=2", "\r\n> ")
	r.send("again\x1a")
	r.expect("\r\n2, SEND OK\r\n")
	r.expect("\r\n+CIPRXGET: 1,2\r\n")
	r.cmd("AT+CIPCLOSE=2", "\r\n2, CLOSE OK\r\n")
	r.cmd("AT+CIPSTATUS=2", "\r\n+CIPSTATUS: 2,,\"\",\"\",\"\",\"INITIAL\"\r\n\r\nOK\r\n")
	// A server that says bye and closes: CLOSED at once, the data stays
	// readable.
	r.cmd(fmt.Sprintf(`AT+CIPSTART=0,TCP,"10.0.0.1","%d"`, shimClosePort), "\r\nOK\r\n")
	r.expect("\r\n0, CONNECT OK\r\n\r\n+CIPRXGET: 1,0\r\n\r\n0, CLOSED\r\n")
	r.cmd("AT+CIPSTATUS=0", "\r\n+CIPSTATUS: 0,0,\"TCP\",\"10.0.0.1\",\"21\",\"REMOTE CLOSING\"\r\n\r\nOK\r\n")
	r.cmd("AT+CIPRXGET=2,0,100", "\r\n+CIPRXGET: 2,0,3,0\r\nbye\r\nOK\r\n")
	r.cmd("AT+CIPSTATUS=0", "\r\n+CIPSTATUS: 0,0,\"TCP\",\"10.0.0.1\",\"21\",\"CLOSED\"\r\n\r\nOK\r\n")
	r.cmd("AT+CIPSTATUS", "")
	st := r.until("\r\nC: 5,,\"\",\"\",\"\",\"INITIAL\"\r\n")
	if !strings.HasPrefix(st, "\r\nOK\r\n\r\nSTATE: IP PROCESSING\r\n\r\nC: 0,0,\"TCP\",\"10.0.0.1\",\"21\",\"CLOSED\"\r\n") {
		t.Fatalf("AT+CIPSTATUS: %q", st)
	}
	r.cmd("AT+CIPCLOSE=0,1", "\r\n0, CLOSE OK\r\n")
	r.cmd("AT+CIPSHUT", "\r\nSHUT OK\r\n")
}

// Push receive: +RECEIVE,<n>,<len>: in MUX mode (RT-Thread's sim800c),
// +IPD with AT+CIPHEAD=1 and RECV FROM with AT+CIPSRIP=1 in single mode,
// where the connection's state is CONNECT OK and then TCP CLOSED.
func TestSIM800Push(t *testing.T) {
	r := newSIM800Rig(t)
	r.cmd("AT+CIPMUX=1", "\r\nOK\r\n")
	r.sim800Bearer()
	r.cmd(fmt.Sprintf(`AT+CIPSTART=1,"UDP","10.0.0.1",%d`, shimEchoPort), "\r\nOK\r\n")
	r.expect("\r\n1, CONNECT OK\r\n")
	r.cmd("AT+CIPSEND=1,3", "\r\n> ")
	r.send("\x00\x01\xff")
	r.expect("\r\n1, SEND OK\r\n")
	r.expect("\r\n+RECEIVE,1,3:\r\n\x00\x01\xff")
	r.cmd("AT+CIPCLOSE=1", "\r\n1, CLOSE OK\r\n")
	r.cmd("AT+CIPSHUT", "\r\nSHUT OK\r\n")

	r.cmd("AT+CIPMUX=0;+CIPHEAD=1;+CIPSRIP=1", "\r\nOK\r\n")
	r.cmd(`AT+CSTT="internet"`, "\r\nOK\r\n")
	r.cmd("AT+CIICR", "\r\nOK\r\n")
	r.cmd("AT+CIFSR", "\r\n10.0.0.2\r\n")
	r.cmd(fmt.Sprintf(`AT+CIPSTART="TCP","10.0.0.1",%d`, shimEchoPort), "\r\nOK\r\n")
	r.expect("\r\nCONNECT OK\r\n")
	r.cmd("AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: CONNECT OK\r\n")
	r.cmd("AT+CIPSEND=2", "\r\n> ")
	r.send("hi")
	r.expect("\r\nSEND OK\r\n")
	r.expect("\r\nRECV FROM:10.0.0.1:7\r\n\r\n+IPD,2:hi")
	r.cmd("AT+CIPCLOSE", "\r\nCLOSE OK\r\n")
	r.cmd("AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: TCP CLOSED\r\n")
	r.cmd("AT+CIPCLOSE", "\r\nERROR\r\n")
	r.cmd("AT+CIPHEAD=0;+CIPSRIP=0", "\r\nOK\r\n")
	r.cmd(fmt.Sprintf(`AT+CIPSTART="TCP","10.0.0.1",%d`, shimClosePort), "\r\nOK\r\n")
	r.expect("\r\nCONNECT OK\r\nbye\r\nCLOSED\r\n")
	r.cmd("AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: TCP CLOSED\r\n")
	r.cmd(`AT+CIPSTART="TCP","10.0.0.1",1`, "\r\nOK\r\n")
	r.expect("\r\nSTATE: TCP CLOSED\r\n\r\nCONNECT FAIL\r\n")
}

// AT+CDNSGIP and AT+CIPSTART with a host name.
func TestSIM800DNS(t *testing.T) {
	r := newSIM800Rig(t)
	r.cmd("AT+CIPMUX=1", "\r\nOK\r\n")
	r.cmd(`AT+CDNSGIP="echo.example"`, "\r\nERROR\r\n")
	r.sim800Bearer()
	r.cmd(`AT+CDNSGIP="echo.example"`, "\r\nOK\r\n")
	r.expect("\r\n+CDNSGIP: 1,\"echo.example\",\"10.0.0.1\"\r\n")
	r.cmd(`AT+CDNSGIP="nowhere.example"`, "\r\nOK\r\n")
	r.expect("\r\n+CDNSGIP: 0,8\r\n")
	r.cmd(fmt.Sprintf(`AT+CIPSTART=5,"TCP","echo.example",%d`, shimEchoPort), "\r\nOK\r\n")
	r.expect("\r\n5, CONNECT OK\r\n")
}

// AT+CIPSERVER: a client from the network side gets a number and
// REMOTE IP; its data is pushed.
func TestSIM800Server(t *testing.T) {
	r := newSIM800Rig(t)
	r.cmd("AT+CIPMUX=1", "\r\nOK\r\n")
	r.cmd("AT+CIPSERVER=1,2020", "\r\nERROR\r\n") // no bearer yet
	r.sim800Bearer()
	r.cmd("AT+CIPSERVER=?", "\r\n+CIPSERVER: (0-CLOSE SERVER, 1-OPEN SERVER),(1,65535)\r\n\r\nOK\r\n")
	r.cmd("AT+CIPSERVER=1,2020", "\r\nOK\r\n\r\nSERVER OK\r\n")
	r.cmd("AT+CIPSERVER?", "\r\n+CIPSERVER: 1,2020,0,0\r\n\r\nOK\r\n")
	c, err := r.far.DialContext(t.Context(), "tcp", "10.0.0.2:2020")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r.expect("\r\n0, REMOTE IP: 10.0.0.1\r\n")
	c.Write([]byte("ping"))
	r.expect("\r\n+RECEIVE,0,4:\r\nping")
	r.cmd("AT+CIPSEND=0,4", "\r\n> ")
	r.send("pong")
	r.expect("\r\n0, SEND OK\r\n")
	buf := make([]byte, 4)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(buf); err != nil || string(buf) != "pong" {
		t.Fatalf("client read %q, %v", buf, err)
	}
	r.cmd("AT+CIPSTATUS", "")
	st := r.until("\r\nC: 5,,\"\",\"\",\"\",\"INITIAL\"\r\n")
	if !strings.HasPrefix(st, "\r\nOK\r\n\r\nSTATE: IP PROCESSING\r\n\r\nS: 0,0,\"2020\",\"LISTENING\"\r\n\r\nC: 0,0,\"TCP\",\"10.0.0.1\",") {
		t.Fatalf("AT+CIPSTATUS: %q", st)
	}
	c.Close()
	r.expect("\r\n0, CLOSED\r\n")
	r.cmd("AT+CIPSERVER=0", "\r\nSERVER CLOSE\r\n")
	r.cmd("AT+CIPSERVER=0", "\r\nERROR\r\n")
}

// AT+CIPMODE=1: CONNECT and raw data, +++ back to command mode and
// ATO back to data mode, CLOSED when the peer closes.
func TestSIM800Transparent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = DialectSIM800 })
		r.until("SMS Ready\r\n")
		r.init()
		r.cmd("AT+CIPMODE=1", "\r\nOK\r\n")
		r.cmd("AT+CIPMUX=1", "\r\nERROR\r\n")
		// Single mode from IP INITIAL: the module brings the bearer up.
		r.cmd(`AT+CIPSTART="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT\r\n")
		far := <-pn.far
		defer far.Close()
		farRead := func(want string) { t.Helper(); expectFar(t, far, want) }
		r.send("to\x00server")
		farRead("to\x00server")
		far.Write([]byte("from server"))
		r.expect("from server")

		time.Sleep(time.Second)
		r.send("+++")
		time.Sleep(time.Second)
		r.expect("\r\nOK\r\n")
		r.cmd("AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: CONNECT OK\r\n")
		r.cmd("AT+CIPSEND=1", "\r\nERROR\r\n")
		far.Write([]byte("held"))
		r.cmd("AT", "\r\nOK\r\n") // it waits for data mode
		r.cmd("ATO", "\r\nCONNECT\r\nheld")
		r.send("back")
		farRead("back")
		far.Write([]byte("last"))
		far.Close()
		r.expect("last\r\nCLOSED\r\n")
		r.cmd("ATO", "\r\nERROR\r\n")
		r.cmd("AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: TCP CLOSED\r\n")
		r.cmd("AT+CIPSHUT", "\r\nSHUT OK\r\n")
	})
}

// Single mode: DATA ACCEPT:<len> under AT+CIPQSEND=1, AT+CIPSPRT without
// the prompt, and the loss of the network: +PDP: DEACT, the state PDP
// DEACT until AT+CIPSHUT.
func TestSIM800SingleQuickSendAndDeact(t *testing.T) {
	r := newSIM800Rig(t)
	r.cmd("AT+CIPQSEND=1;+CIPRXGET=1", "\r\nOK\r\n")
	r.sim800Bearer()
	r.cmd(fmt.Sprintf(`AT+CIPSTART="TCP","10.0.0.1",%d`, shimEchoPort), "\r\nOK\r\n\r\nCONNECT OK\r\n")
	r.cmd("AT+CIPSEND=4", "\r\n> ")
	r.send("ping")
	r.expect("\r\nDATA ACCEPT:4\r\n\r\n+CIPRXGET: 1\r\n")
	r.cmd("AT+CIPRXGET=4", "\r\n+CIPRXGET: 4,4\r\n\r\nOK\r\n")
	r.cmd("AT+CIPRXGET=2,10", "\r\n+CIPRXGET: 2,4,0\r\nping\r\nOK\r\n")
	r.cmd("AT+CIPSPRT?", "\r\n+CIPSPRT: 1\r\n\r\nOK\r\n")
	r.cmd("AT+CIPSPRT=0;+CIPQSEND=0", "\r\nOK\r\n")
	r.cmd("AT+CIPSEND=2", "")
	r.send("hi")
	r.expect("\r\nSEND OK\r\n\r\n+CIPRXGET: 1\r\n")
	r.be.net.drop()
	r.expect("\r\n+PDP: DEACT\r\n")
	r.cmd("AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: PDP DEACT\r\n")
	r.cmd(`AT+CIPSTART="TCP","10.0.0.1",7`, "\r\nERROR\r\n")
	r.cmd("AT+CIFSR", "\r\nERROR\r\n")
	r.cmd("AT+CIPSHUT", "\r\nSHUT OK\r\n")
	r.cmd("AT+CIPSTATUS", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n")
}

// Malformed input gets ERROR and leaves the session working.
func TestSIM800Malformed(t *testing.T) {
	r := newSIM800Rig(t)
	runShimSteps(t, r, []shimStep{
		{"AT+CIPNOPE", "\r\nERROR\r\n"},
		{"AT+CIPMUX=2", "\r\nERROR\r\n"},
		{"AT+CIPRXGET=5", "\r\nERROR\r\n"},
		{"AT+CIPSTART=\"TCP\"", "\r\nERROR\r\n"},
		{"AT+CIPSTART=\"SCTP\",\"1.2.3.4\",7", "\r\nERROR\r\n"},
		{"AT+CIPSTART=\"TCP\",\"1.2.3.4\",65536", "\r\nERROR\r\n"},
		{"AT+CIPSEND=-1", "\r\nERROR\r\n"},
		{"AT+CIPCLOSE=2", "\r\nERROR\r\n"},
		{"AT+SAPBR=9,1", "\r\nERROR\r\n"},
		{"AT+CIPCCFG=1,2", "\r\nERROR\r\n"},
		{"AT+CSTT=\"a\"b", "\r\nERROR\r\n"},
		{"AT", "\r\nOK\r\n"},
	})
}

// The CLI's --dialect sim800 reaches the personality through ParseDialect.
func TestSIM800DialectName(t *testing.T) {
	d, err := ParseDialect("SIM800")
	if err != nil || d != DialectSIM800 || d.String() != "sim800" {
		t.Fatalf("ParseDialect(SIM800) = %v, %v", d, err)
	}
}
