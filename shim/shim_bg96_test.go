package shim

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// newBG96Rig is a shim speaking the BG96 dialect, past its RDY banner
// and with echo off.
func newBG96Rig(t *testing.T) *shimRig {
	t.Helper()
	r := newShimRig(t, func(c *Config) { c.Dialect = DialectBG96 })
	// A backend that knows no identity: the shim gives the BG96's.
	r.be.info.Manufacturer, r.be.info.Model, r.be.info.Revision = "", "", ""
	r.expect("\r\nRDY\r\n\r\nAPP RDY\r\n")
	r.init()
	return r
}

// bg96Activate configures and activates context 1.
func (r *shimRig) bg96Activate() {
	r.t.Helper()
	r.cmd(`AT+QICSGP=1,1,"internet","user", "pass",1`, "\r\nOK\r\n")
	r.cmd("AT+QIACT=1", "\r\nOK\r\n")
	r.cmd("AT+QIACT?", "\r\n+QIACT: 1,1,1,\"10.0.0.2\"\r\n\r\nOK\r\n")
}

func TestBG96Basics(t *testing.T) {
	r := newBG96Rig(t)
	runShimSteps(t, r, []shimStep{
		{"ATI", "\r\nQuectel\r\nBG96\r\nRevision: BG96MAR02A07M1G\r\n\r\nOK\r\n"},
		{"AT+CGMM", "\r\nBG96\r\n\r\nOK\r\n"},
		{"AT+QIGETERROR", "\r\n+QIGETERROR: 0,operation success\r\n\r\nOK\r\n"},
		{"AT+CTZR=0", "\r\nOK\r\n"},
		{"AT+CGPADDR=1", "\r\n+CGPADDR: 1,0.0.0.0\r\n\r\nOK\r\n"},
		{"AT+CTZU=1", "\r\nOK\r\n"},
		{"AT+CEREG?", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n"},
		{"AT+QICSGP=1", "\r\n+QICSGP: 1,\"\",\"\",\"\",0\r\n\r\nOK\r\n"},
		{`AT+QICSGP=1,1,"internet","user", "pass",1`, "\r\nOK\r\n"},
		{"AT+QICSGP=1", "\r\n+QICSGP: 1,\"internet\",\"user\",\"pass\",1\r\n\r\nOK\r\n"},
		{`AT+QICSGP=17,1,"x"`, "\r\nERROR\r\n"},
		{"AT+QIACT?", "\r\nOK\r\n"},
		{"AT+QIACT=1", "\r\nOK\r\n"},
		{"AT+QIACT?", "\r\n+QIACT: 1,1,1,\"10.0.0.2\"\r\n\r\nOK\r\n"},
		{"AT+QIOPEN=1,12,\"TCP\",\"10.0.0.1\",7,0,0", "\r\nERROR\r\n"},
		{"AT+QIGETERROR", "\r\n+QIGETERROR: 552,invalid parameters\r\n\r\nOK\r\n"},
		{"AT+QIDEACT=1", "\r\nOK\r\n"},
		{"AT+QIACT?", "\r\nOK\r\n"},
	})
	r.cmd("AT+CFUN=1,1", "\r\nOK\r\n\r\nRDY\r\n\r\nAPP RDY\r\n")
	r.cmd("AT", "AT\r\r\nOK\r\n") // echo on again, as from the factory
	if got := r.be.apns; len(got) != 1 || got[0] != "internet/user/pass" {
		t.Errorf("activations %q, want the APN and credentials of AT+QICSGP", got)
	}
}

// A TinyGSM-style dialogue: buffer access, fixed-length sends, "recv"
// once until AT+QIRD drains the buffer, the counters of AT+QIRD=<id>,0
// and AT+QISEND=<id>,0, AT+QISTATE=1,<id>.
func TestBG96BufferMode(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(fmt.Sprintf(`AT+QIOPEN=1,3,"TCP","10.0.0.1",%d,0,0`, shimEchoPort), "\r\nOK\r\n")
	r.expect("\r\n+QIOPEN: 3,0\r\n")
	r.cmd("AT+QISTATE=1,3", "")
	st := r.until("\r\nOK\r\n")
	f := strings.Split(strings.TrimSpace(st), ",")
	if len(f) != 10 || f[0] != "+QISTATE: 3" || f[1] != `"TCP"` || f[2] != `"10.0.0.1"` || f[3] != "7" || f[5] != "2" || f[6] != "1" || f[9] != `"uart1"` {
		t.Fatalf("AT+QISTATE=1,3: %q", st)
	}
	r.cmd("AT+QISEND=3,5", "\r\n> ")
	r.send("hello")
	r.expect("\r\nSEND OK\r\n")
	r.expect("\r\n+QIURC: \"recv\",3\r\n")
	r.cmd("AT+QISEND=3,6", "\r\n> ")
	r.send(" world")
	r.expect("\r\nSEND OK\r\n")
	// No second "recv" until the buffer is drained; wait for the echo.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.cmd("AT+QIRD=3,0", "")
		counts := r.until("\r\nOK\r\n")
		if strings.Contains(counts, "+QIRD: 11,0,11") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("echo not buffered: %q", counts)
		}
	}
	r.cmd("AT+QIRD=3,4", "\r\n+QIRD: 4\r\nhell\r\n\r\nOK\r\n")
	r.cmd("AT+QIRD=3,0", "\r\n+QIRD: 11,4,7\r\n\r\nOK\r\n")
	r.cmd("AT+QIRD=3", "\r\n+QIRD: 7\r\no world\r\n\r\nOK\r\n")
	r.cmd("AT+QIRD=3", "\r\n+QIRD: 0\r\n\r\nOK\r\n")
	r.cmd("AT+QISEND=3,0", "\r\n+QISEND: 11,11,0\r\n\r\nOK\r\n")
	// Drained: the next arrival is told again.
	r.cmd("AT+QISEND=3", "\r\n> ")
	r.send("again\x1a")
	r.expect("\r\nSEND OK\r\n")
	r.expect("\r\n+QIURC: \"recv\",3\r\n")
	r.cmd("AT+QICLOSE=3", "\r\nOK\r\n")
	r.cmd("AT+QISTATE=1,3", "\r\nOK\r\n")
	r.cmd("AT+QIRD=3", "\r\nERROR\r\n")
}

// Push access: the data comes with its URC.
func TestBG96PushMode(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(fmt.Sprintf(`AT+QIOPEN=1,0,"TCP","10.0.0.1",%d,0,1`, shimEchoPort), "\r\nOK\r\n")
	r.expect("\r\n+QIOPEN: 0,0\r\n")
	r.cmd(`AT+QISENDEX=0,"0102ff"`, "\r\nSEND OK\r\n")
	r.expect("\r\n+QIURC: \"recv\",0,3\r\n\x01\x02\xff\r\n")
	r.cmd(`AT+QISENDEX=0,"0g"`, "\r\nERROR\r\n")
	r.cmd("AT+QIRD=0", "\r\nERROR\r\n") // not in buffer access
}

// A peer's close: "closed", state 4 until AT+QICLOSE, data still readable.
func TestBG96PeerClose(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(fmt.Sprintf(`AT+QIOPEN=1,1,"TCP","10.0.0.1",%d,0,0`, shimClosePort), "\r\nOK\r\n")
	r.expect("\r\n+QIOPEN: 1,0\r\n")
	r.until(`+QIURC: "closed",1` + "\r\n")
	r.cmd("AT+QISTATE=1,1", "")
	if st := r.until("\r\nOK\r\n"); !strings.Contains(st, ",4,1,0,0,\"uart1\"") {
		t.Fatalf("AT+QISTATE after the peer's close: %q", st)
	}
	r.cmd("AT+QIRD=1", "\r\n+QIRD: 3\r\nbye\r\n\r\nOK\r\n")
	r.cmd("AT+QISEND=1,1", "\r\nERROR\r\n")
	r.cmd("AT+QICLOSE=1,10", "\r\nOK\r\n")
	r.cmd("AT+QISTATE?", "\r\nOK\r\n")
}

func TestBG96ConnectFailed(t *testing.T) {
	r := newBG96Rig(t)
	r.cmd(`AT+QIOPEN=1,0,"TCP","10.0.0.1",7,0,0`, "\r\nOK\r\n\r\n+QIOPEN: 0,561\r\n") // not activated
	r.bg96Activate()
	r.cmd(`AT+QIOPEN=1,0,"TCP","10.0.0.1",1,0,0`, "\r\nOK\r\n") // refused
	r.expect("\r\n+QIOPEN: 0,566\r\n")
	r.cmd(`AT+QIOPEN=1,0,"TCP","10.0.0.1",7,0,0`, "\r\nOK\r\n")
	r.expect("\r\n+QIOPEN: 0,0\r\n")
	r.cmd(`AT+QIOPEN=1,0,"TCP","10.0.0.1",7,0,0`, "\r\nOK\r\n\r\n+QIOPEN: 0,563\r\n") // in use
	r.cmd(`AT+QIOPEN=1,0,"TCP","10.0.0.1",7,0,2`, "\r\nERROR\r\n")                    // in use, transparent
	r.cmd(`AT+QIOPEN=1,1,"TCP","10.0.0.1",1,0,2`, "\r\nERROR\r\n")                    // refused, transparent
	r.cmd("AT+QIGETERROR", "\r\n+QIGETERROR: 566,socket connect failed\r\n\r\nOK\r\n")
}

// UDP, and a name resolved by AT+QIDNSGIP.
func TestBG96UDPAndDNS(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(`AT+QIDNSGIP=1,"echo.example"`, "\r\nOK\r\n")
	r.expect("\r\n+QIURC: \"dnsgip\",0,1,600\r\n\r\n+QIURC: \"dnsgip\",\"10.0.0.1\"\r\n")
	r.cmd(`AT+QIDNSGIP=1,"nowhere.example"`, "\r\nOK\r\n")
	r.expect("\r\n+QIURC: \"dnsgip\",565,0,0\r\n")
	r.cmd(fmt.Sprintf(`AT+QIOPEN=1,2,"UDP","echo.example",%d,0,0`, shimEchoPort), "\r\nOK\r\n")
	r.expect("\r\n+QIOPEN: 2,0\r\n")
	r.cmd("AT+QISEND=2,4", "\r\n> ")
	r.send("ping")
	r.expect("\r\nSEND OK\r\n")
	r.expect("\r\n+QIURC: \"recv\",2\r\n")
	r.cmd("AT+QIRD=2,1500", "\r\n+QIRD: 4\r\nping\r\n\r\nOK\r\n")
}

// A TCP LISTENER gives each connection it takes the lowest free
// connectID and reports it with "incoming".
func TestBG96Listener(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(`AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,2020,0`, "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n")
	r.cmd("AT+QISTATE=1,0", "\r\n+QISTATE: 0,\"TCP LISTENER\",\"10.0.0.2\",0,2020,3,1,0,0,\"uart1\"\r\n\r\nOK\r\n")
	c, err := r.far.DialContext(t.Context(), "tcp", net.JoinHostPort("10.0.0.2", "2020"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, port, _ := net.SplitHostPort(c.LocalAddr().String())
	r.expect(`` + "\r\n+QIURC: \"incoming\",1,0,\"10.0.0.1\"," + port + "\r\n")
	if _, err := c.Write([]byte("from far")); err != nil {
		t.Fatal(err)
	}
	r.expect("\r\n+QIURC: \"recv\",1\r\n")
	r.cmd("AT+QIRD=1,100", "\r\n+QIRD: 8\r\nfrom far\r\n\r\nOK\r\n")
	r.cmd("AT+QISTATE=1,1", "\r\n+QISTATE: 1,\"TCP INCOMING\",\"10.0.0.1\","+port+",2020,2,1,0,0,\"uart1\"\r\n\r\nOK\r\n")
	r.cmd("AT+QISEND=1,5", "\r\n> ")
	r.send("hello")
	r.expect("\r\nSEND OK\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 5)
	if _, err := c.Read(buf); err != nil || string(buf) != "hello" {
		t.Fatalf("far end read %q, %v", buf, err)
	}
	r.cmd("AT+QICLOSE=0", "\r\nOK\r\n")
	r.cmd("AT+QISTATE?", "\r\n+QISTATE: 1,\"TCP INCOMING\",\"10.0.0.1\","+port+",2020,2,1,0,0,\"uart1\"\r\n\r\nOK\r\n")
}

// The link's loss: "pdpdeact", the sockets closing.
func TestBG96ContextLost(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(`AT+QIOPEN=1,0,"TCP","10.0.0.1",7,0,0`, "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n")
	r.be.net.drop()
	r.expect("\r\n+QIURC: \"pdpdeact\",1\r\n")
	r.cmd("AT+QISTATE=1,0", "")
	if st := r.until("\r\nOK\r\n"); !strings.Contains(st, ",4,1,0,0,") {
		t.Fatalf("AT+QISTATE after the loss: %q", st)
	}
	r.cmd("AT+QIACT?", "\r\nOK\r\n")
	r.cmd("AT+QICLOSE=0", "\r\nOK\r\n")
}

// Sends are bounded by the profile and the payload is binary-safe.
func TestBG96SendLimits(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(`AT+QIOPEN=1,0,"TCP","10.0.0.1",9,0,0`, "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n")
	r.cmd("AT+QISEND=0,1461", "\r\nERROR\r\n")
	r.cmd("AT+QISEND=0,1460", "\r\n> ")
	r.send(strings.Repeat("\x1a\x1b\r\n", 365))
	r.expect("\r\nSEND OK\r\n")
	r.cmd("AT+QISENDEX=0,\""+strings.Repeat("00", 513)+"\"", "\r\nERROR\r\n")
	r.cmd("AT+QISEND=0,0", "")
	if got := r.until("\r\nOK\r\n"); !strings.HasPrefix(strings.TrimSpace(got), "+QISEND: "+strconv.Itoa(1460)+",") {
		t.Fatalf("counters %q", got)
	}
}

// Transparent access (mode 2): CONNECT instead of +QIOPEN, raw data both
// ways, +++ back to command mode, ATO and AT+QISWTMD=<id>,2 back to data
// mode, NO CARRIER when the peer closes.
func TestBG96Transparent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = DialectBG96 })
		r.expect("\r\nRDY\r\n\r\nAPP RDY\r\n")
		r.init()
		r.cmd("AT+QIACT=1", "\r\nOK\r\n")
		r.cmd(`AT+QIOPEN=1,4,"TCP","10.0.0.1",7007,0,2`, "\r\nCONNECT\r\n")
		far := <-pn.far
		defer far.Close()
		farRead := func(want string) { t.Helper(); expectFar(t, far, want) }
		r.send("to server")
		farRead("to server")
		far.Write([]byte("from server"))
		r.expect("from server")

		time.Sleep(time.Second)
		r.send("+++")
		time.Sleep(time.Second)
		r.expect("\r\nOK\r\n")
		r.cmd("AT+QISTATE=1,4", "\r\n+QISTATE: 4,\"TCP\",\"10.0.0.1\",7007,0,2,1,0,2,\"uart1\"\r\n\r\nOK\r\n")
		r.cmd("AT+QISEND=4,1", "\r\nERROR\r\n")
		far.Write([]byte("held"))
		r.cmd("AT", "\r\nOK\r\n") // no URC: it waits for data mode
		r.cmd("ATO", "\r\nCONNECT\r\nheld")
		r.send("back")
		farRead("back")

		time.Sleep(time.Second)
		r.send("+++")
		time.Sleep(time.Second)
		r.expect("\r\nOK\r\n")
		r.cmd("AT+QISWTMD=4,2", "\r\nCONNECT\r\n")
		far.Write([]byte("last"))
		far.Close()
		r.expect("last\r\nNO CARRIER\r\n")
		r.cmd("ATO", "\r\nERROR\r\n")
		r.cmd("AT+QICLOSE=4", "\r\nOK\r\n")
		r.cmd(`AT+QIOPEN=1,4,"TCP LISTENER","127.0.0.1",0,2020,2`, "\r\nERROR\r\n")
	})
}

// However much the shim holds, AT+QIRD=<id>,0 reports no more unread
// data than a module holds: TinyGSM's driver parses it as an int16_t.
func TestBG96UnreadCap(t *testing.T) {
	r := newBG96Rig(t)
	r.bg96Activate()
	r.cmd(fmt.Sprintf(`AT+QIOPEN=1,0,"TCP","10.0.0.1",%d,0,0`, shimChargenPort), "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n")
	r.expect("\r\n+QIURC: \"recv\",0\r\n")
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.cmd("AT+QIRD=0,0", "\r\n+QIRD: ")
		counts := r.until("\r\n\r\nOK\r\n")
		f := strings.Split(counts, ",")
		unread, _ := strconv.Atoi(f[len(f)-1])
		if unread > bg96ModuleBuffer {
			t.Fatalf("AT+QIRD=0,0 reports %d unread, more than %d", unread, bg96ModuleBuffer)
		}
		if unread == bg96ModuleBuffer {
			break // the shim holds more than that by now
		}
		if time.Now().After(deadline) {
			t.Fatalf("the buffer did not fill: %q", counts)
		}
	}
}
