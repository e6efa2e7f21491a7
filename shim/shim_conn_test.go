package shim

import (
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readQIRD issues AT+QIRD and returns the data ("" for a bare OK).
func (r *shimRig) readQIRD(id, sid, n int, wantHdr string) string {
	r.t.Helper()
	r.send(fmt.Sprintf("AT+QIRD=%d,1,%d,%d\r", id, sid, n))
	// +QIRDI for data that came after an earlier read drained the buffer
	// may come first.
	for {
		r.fill(6, "QIRD answer")
		if bytes.HasPrefix(r.buf, []byte("\r\nOK\r\n")) {
			break
		}
		r.fill(8, "QIRD answer")
		if !bytes.HasPrefix(r.buf, []byte("\r\n+QIRDI")) {
			break
		}
		r.until("\r\n+QIRDI:")
		r.until("\r\n")
	}
	if bytes.HasPrefix(r.buf, []byte("\r\nOK\r\n")) {
		r.buf = r.buf[6:]
		return ""
	}
	r.expect("\r\n+QIRD: ")
	hdr := r.until("\r\n")
	i := strings.LastIndexByte(hdr, ',')
	if i < 0 || hdr[:i] != wantHdr {
		r.t.Fatalf("QIRD header %q, want %q,<len>", hdr, wantHdr)
	}
	k, err := strconv.Atoi(hdr[i+1:])
	if err != nil || k < 1 || k > n {
		r.t.Fatalf("QIRD header %q: bad length", hdr)
	}
	r.fill(k, "QIRD data")
	data := string(r.buf[:k])
	r.buf = r.buf[k:]
	r.expect("\r\nOK\r\n")
	return data
}

// TestShimMC60 replays TinyGSM's MC60 driver: QINDI=2 and a QISACK loop
// until nAcked is 0.
func TestShimMC60(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	runShimSteps(t, r, []shimStep{
		{"AT+QIFGCNT=0", "\r\nOK\r\n"},
		{`AT+QICSGP=1,"apn","",""`, "\r\nOK\r\n"},
		{`AT+CGDCONT=1,"IP","apn"`, "\r\nOK\r\n"},
		{"AT+CGACT=1,1", "\r\nOK\r\n"},
		{"AT+QIMODE=0", "\r\nOK\r\n"},
		{"AT+QIMUX=1", "\r\nOK\r\n"},
		{"AT+QISRVC=1", "\r\nOK\r\n"},
		{`AT+QIREGAPP="apn","",""`, "\r\nOK\r\n"},
		{"AT+QIACT", "\r\nOK\r\n"},
		{"AT+QILOCIP", "\r\n10.0.0.2\r\n"},
		{"AT+QINDI=2", "\r\nOK\r\n"},
		{"AT+QIDNSIP=1", "\r\nOK\r\n"}, // inverted: an IP follows
		{`AT+QIOPEN=2,"TCP","10.0.0.1",7`, "\r\nOK\r\n\r\n2, CONNECT OK\r\n"},
		{"AT+QISACK", "\r\nERROR\r\n"}, // no index under QIMUX=1
		{"AT+QISEND=2,5", "\r\n> "},
	})
	r.send("hello")
	r.expect("\r\nSEND OK\r\n")
	urc := "\r\n+QIRDI: 0,1,2,1,5,5\r\n"
	sawURC := false
	for i := 0; ; i++ {
		r.send("AT+QISACK=2\r")
		// The echo's +QIRDI may come in between.
		if before := r.until("\r\n+QISACK: 5, "); before != "" {
			if before != urc || sawURC {
				t.Fatalf("unexpected %q", before)
			}
			sawURC = true
		}
		rest := r.until("\r\n\r\nOK\r\n")
		if rest == "5, 0" {
			break
		}
		if i > 1000 {
			t.Fatalf("nAcked never reached 0: %q", rest)
		}
	}
	if !sawURC {
		r.expect(urc)
	}
	if got := r.readQIRD(0, 2, 1500, "10.0.0.1:7,TCP"); got != "hello" {
		t.Errorf("read %q", got)
	}
	// Everything announced was read: the next data is announced again.
	r.cmd("AT+QISEND=2,3", "\r\n> ")
	r.send("abc")
	r.expect("\r\nSEND OK\r\n")
	r.expect("\r\n+QIRDI: 0,1,2,1,3,3\r\n")
	r.cmd("AT+QICLOSE=2", "\r\n2, CLOSE OK\r\n")
	r.cmd("AT+QICLOSE=2", "\r\nERROR\r\n")
}

// TestShimTobudOS replays TobudOS's M26 driver: QINDI=0 pushes data with
// +RECEIVE and IPD headers.
func TestShimTobudOS(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	runShimSteps(t, r, []shimStep{
		{"AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
		{"AT+CSQ", "\r\n+CSQ: 25,0\r\n\r\nOK\r\n"},
		{"AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n"},
		{"AT+CGREG?", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n"},
		{"AT+QIDEACT", "\r\nDEACT OK\r\n"},
		{"AT+QIMUX=1", "\r\nOK\r\n"},
		{"AT+QIMODE=0", "\r\nOK\r\n"},
		{"AT+QINDI=0", "\r\nOK\r\n"},
		{`AT+QICSGP=1,"CMNET"`, "\r\nOK\r\n"},
		{"AT+QIFGCNT=0", "\r\nOK\r\n"},
		{"AT+QIREGAPP", "\r\nOK\r\n"},
		{"AT+QIACT", "\r\nOK\r\n"},
		{"AT+QILOCIP", "\r\n10.0.0.2\r\n"},
		{"AT+QIHEAD=1", "\r\nOK\r\n"},
		{`AT+QIDNSGIP="echo.example"`, "\r\nOK\r\n\r\n10.0.0.1\r\n"},
		{`AT+QIOPEN=0,"TCP","10.0.0.1",7`, "\r\nOK\r\n\r\n0, CONNECT OK\r\n"},
		{"AT+QISEND=0,30", "\r\n> "},
	})
	r.send("Welcome to use Quectel module.")
	r.expect("\r\nSEND OK\r\n")
	var got strings.Builder
	for got.Len() < 30 {
		r.expect("\r\n+RECEIVE: 0, ")
		n, _ := strconv.Atoi(r.until("\r\n"))
		r.expect("IPD" + strconv.Itoa(n) + ":")
		r.fill(n, "pushed data")
		got.Write(r.buf[:n])
		r.buf = r.buf[n:]
	}
	if got.String() != "Welcome to use Quectel module." {
		t.Errorf("pushed %q", got.String())
	}
	r.cmd("AT+QISTAT", "\r\n+QISTAT: 0,\"TCP\",\"10.0.0.1\",7\r\n\r\nOK\r\n")
	r.cmd("AT+QICLOSE=0", "\r\n0, CLOSE OK\r\n")
}

// TestShimPushSingle checks the QIMUX=0 push decorations of seed §5.3.1.
func TestShimPushSingle(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.activate()
	runShimSteps(t, r, []shimStep{
		{"AT+QISHOWRA=1;+QIHEAD=1;+QISHOWPT=1", "\r\nOK\r\n"},
		{`AT+QIOPEN="TCP","10.0.0.1","21"`, "\r\nOK\r\n\r\nCONNECT OK\r\n"},
	})
	r.expect("\r\nRECV FROM:10.0.0.1:21\r\nIPD3TCP:bye\r\nCLOSED\r\n")
	r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP CLOSE\r\n")
	r.cmd(`AT+QIOPEN="UDP","10.0.0.1",7`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
	r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: CONNECT OK\r\n")
	r.cmd(`AT+QIOPEN="UDP","10.0.0.1",7`, "\r\nALREADY CONNECT\r\n")
	r.cmd("AT+QISEND", "\r\n> ")
	r.send("ping\x08G\x1a")
	r.expect("\r\nSEND OK\r\n")
	r.expect("\r\nRECV FROM:10.0.0.1:7\r\nIPD4UDP:pinG")
	r.cmd("AT+QISACK", "\r\n+QISACK: 4, 0, 0\r\n\r\nOK\r\n")
	r.cmd("AT+QISEND", "\r\n> ")
	r.send("never\x1b")
	r.expect("\r\nOK\r\n")
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n")
	r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP CLOSE\r\n")
}

// TestShimBinary sends all 256 byte values with a fixed-length QISEND and
// reads them back byte-exact with QIRD.
func TestShimBinary(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.activate()
	r.cmd("AT+QINDI=1", "\r\nOK\r\n")
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
	var all []byte
	for i := range 256 {
		all = append(all, byte(i))
	}
	r.cmd("AT+QISEND=256", "\r\n> ")
	r.send(string(all))
	r.expect("\r\nSEND OK\r\n")
	r.expect("\r\n+QIRDI: 0,1,0\r\n")
	var got []byte
	for len(got) < 256 {
		d := r.readQIRD(0, 0, 100, "10.0.0.1:7,TCP")
		if d == "" {
			r.until("\r\n+QIRDI: 0,1,0\r\n") // drained before the rest came
			continue
		}
		got = append(got, d...)
	}
	if !bytes.Equal(got, all) {
		t.Errorf("read back %x", got)
	}
	r.cmd("AT+QIPROMPT=0", "\r\nOK\r\n")
	r.cmd("AT+QISEND=2", "")
	r.send("AB")
	r.expect("\r\nSEND OK\r\n")
	r.send("AT+QIPROMPT=2\r")
	r.until("\r\nOK\r\n") // +QIRDI for AB may come before
	r.cmd("AT+QISEND=2", "")
	r.send("CD")
	r.send("AT+QIPROMPT=1\r")
	r.until("\r\nOK\r\n") // +QIRDI may come before
	got = got[:0]
	for len(got) < 4 {
		d := r.readQIRD(0, 0, 100, "10.0.0.1:7,TCP")
		if d == "" {
			r.until("\r\n+QIRDI: 0,1,0\r\n")
		}
		got = append(got, d...)
	}
	if string(got) != "ABCD" {
		t.Errorf("read %q", got)
	}
	r.cmd("AT+QISEND=1461", "\r\nERROR\r\n")
	r.cmd("AT+QISEND=0", "\r\nERROR\r\n")
}

// TestShimSlowReader reads a fast sender (chargen) slowly through a small
// buffer: nothing is lost, flow control holds the sender.
func TestShimSlowReader(t *testing.T) {
	r := newShimRig(t, func(c *Config) { c.Profile.RecvBuffer = 4096 })
	r.init()
	r.activate()
	r.cmd("AT+QINDI=1", "\r\nOK\r\n")
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",19`, "\r\nOK\r\n\r\nCONNECT OK\r\n\r\n+QIRDI: 0,1,0\r\n")
	const pattern = "0123456789abcdefghijklmnopqrstuvwxyz\r\n"
	var got strings.Builder
	for got.Len() < 200_000 {
		d := r.readQIRD(0, 0, 1500, "10.0.0.1:19,TCP")
		if d == "" {
			r.until("\r\n+QIRDI: 0,1,0\r\n")
		}
		got.WriteString(d)
	}
	s := got.String()
	for i := 0; i < len(s); i += len(pattern) {
		if w := pattern[:min(len(pattern), len(s)-i)]; s[i:i+len(w)] != w {
			t.Fatalf("stream broken at %d: %q", i, s[i:i+len(w)])
		}
	}
}

// TestShimPDPDeact drops the network under open connections.
func TestShimPDPDeact(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.cmd("AT+QIMUX=1", "\r\nOK\r\n")
	// QIOPEN in IP INITIAL activates on its own.
	r.cmd(`AT+QIOPEN=0,"TCP","10.0.0.1",9`, "\r\nOK\r\n\r\n0, CONNECT OK\r\n")
	r.cmd(`AT+QIOPEN=3,"TCP","10.0.0.1",9`, "\r\nOK\r\n\r\n3, CONNECT OK\r\n")
	r.cmd("AT+QISTAT", "\r\n+QISTAT: 0,\"TCP\",\"10.0.0.1\",9\r\n\r\n+QISTAT: 3,\"TCP\",\"10.0.0.1\",9\r\n\r\nOK\r\n")
	r.be.net.drop()
	r.expect("\r\n0, CLOSED\r\n\r\n3, CLOSED\r\n\r\n+PDP DEACT\r\n")
	r.cmd("AT+QISTATE", "\r\nOK\r\n\r\nSTATE: PDP DEACT\r\n"+strings.Repeat("", 0)+
		"\r\n+QISTATE: 0,\"\",\"\",,\"INITIAL\"\r\n\r\n+QISTATE: 1,\"\",\"\",,\"INITIAL\"\r\n"+
		"\r\n+QISTATE: 2,\"\",\"\",,\"INITIAL\"\r\n\r\n+QISTATE: 3,\"\",\"\",,\"INITIAL\"\r\n"+
		"\r\n+QISTATE: 4,\"\",\"\",,\"INITIAL\"\r\n\r\n+QISTATE: 5,\"\",\"\",,\"INITIAL\"\r\n")
	r.cmd(`AT+QIOPEN=0,"TCP","10.0.0.1",9`, "\r\nERROR\r\n")
	r.cmd("AT+QIDEACT", "\r\nDEACT OK\r\n")
	r.cmd("AT+QISTAT", "\r\nOK\r\n")
}

// TestShimConnectFail covers refused connections and failed activations.
func TestShimConnectFail(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.activate()
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",4444`, "\r\nOK\r\n\r\nCONNECT FAIL\r\n")
	r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP CLOSE\r\n")
	// A host name with QIDNSIP=0 is tolerated.
	r.cmd(`AT+QIOPEN="TCP","echo.example",7`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
	r.cmd("AT+QIDEACT", "\r\nDEACT OK\r\n")
	r.be.fail = fmt.Errorf("no service")
	r.cmd("AT+QIREGAPP", "\r\nOK\r\n")
	r.cmd("AT+QIACT", "\r\nERROR\r\n")
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7`, "\r\nOK\r\n\r\nCONNECT FAIL\r\n")
}

// TestShimServer accepts connections from the far side (seed §3.4).
func TestShimServer(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.cmd("AT+QIMUX=1", "\r\nOK\r\n")
	r.cmd("AT+QILPORT=\"TCP\",2020", "\r\nOK\r\n")
	r.cmd("AT+QISERVER=0,3", "\r\nOK\r\n\r\nSERVER OK\r\n")
	r.cmd("AT+QILOCIP", "\r\n10.0.0.2\r\n")
	r.cmd("AT+QILPORT?", "\r\nTCP: 2020\r\n\r\nUDP: 3030\r\n\r\nOK\r\n")
	r.cmd("AT+QISSTAT", "\r\nOK\r\n\r\nS: LISTENNING\r\n")
	c, err := r.far.DialContext(t.Context(), "tcp", "10.0.0.2:2020")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r.expect("\r\n0, REMOTE IP: 10.0.0.1\r\n")
	c.Write([]byte("hi"))
	r.expect("\r\n+RECEIVE: 0, 2\r\nhi")
	r.cmd("AT+QISEND=0,3", "\r\n> ")
	r.send("yo!")
	r.expect("\r\nSEND OK\r\n")
	buf := make([]byte, 3)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(buf); err != nil || string(buf) != "yo!" {
		t.Fatalf("far read %q, %v", buf, err)
	}
	c.Close()
	r.expect("\r\n0, CLOSED\r\n")
	r.cmd("AT+QICLOSE", "\r\nERROR\r\n") // QISRVC=1 under QIMUX=1
	r.cmd("AT+QISRVC=2", "\r\nOK\r\n")
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n")
	r.cmd("AT+QISSTAT", "\r\nOK\r\n\r\nS: INITIAL\r\n")
	if _, err := r.far.DialContext(t.Context(), "tcp", "10.0.0.2:2020"); err == nil {
		t.Errorf("dial after the listener closed succeeded")
	}
}

// TestShimQISACK checks that QISACK counts acknowledgements: nothing while
// the peer does not read, everything once it does.
func TestShimQISACK(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.activate()
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",20`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
	r.cmd("AT+QISACK", "\r\n+QISACK: 0, 0, 0\r\n\r\nOK\r\n")
	chunk := strings.Repeat("z", 1460)
	for range 10 {
		r.cmd("AT+QISEND=1460", "\r\n> ")
		r.send(chunk)
		r.expect("\r\nSEND OK\r\n")
	}
	r.cmd("AT+QISACK", "\r\n+QISACK: 14600, 0, 14600\r\n\r\nOK\r\n")
	close(r.farS.release)
	for i := 0; ; i++ {
		r.send("AT+QISACK\r")
		if got := r.until("\r\n\r\nOK\r\n"); got == "\r\n+QISACK: 14600, 14600, 0" {
			break
		} else if i > 10000 {
			t.Fatalf("QISACK stuck at %q", got)
		}
	}
}

// TestShimServerSingle is seed §3.2: a server and a client under QIMUX=0,
// chosen with QISRVC.
func TestShimServerSingle(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.cmd("AT+QISERVER", "\r\nOK\r\n\r\nSERVER OK\r\n")
	r.cmd("AT+QISERVER", "\r\nERROR\r\n")
	c, err := r.far.DialContext(t.Context(), "tcp", "10.0.0.2:2020")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r.expect("\r\nREMOTE IP: 10.0.0.1\r\n")
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",9`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
	r.cmd("AT+QISRVC=2", "\r\nOK\r\n")
	r.cmd("AT+QISEND=2", "\r\n> ")
	r.send("ok")
	r.expect("\r\nSEND OK\r\n")
	buf := make([]byte, 2)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(buf); err != nil || string(buf) != "ok" {
		t.Fatalf("far read %q, %v", buf, err)
	}
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n") // the accepted connection
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n") // the listener
	r.cmd("AT+QICLOSE", "\r\nERROR\r\n")
	r.cmd("AT+QISRVC=1", "\r\nOK\r\n")
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n")
	r.cmd("AT+QIDEACT", "\r\nDEACT OK\r\n")
}

// TestShimServerUDP listens for UDP clients (seed §3.2, AT+QISERVER=1):
// REMOTE IP comes with the first datagram.
func TestShimServerUDP(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	r.cmd("AT+QIMUX=1", "\r\nOK\r\n")
	r.cmd("AT+QISERVER=1,2", "\r\nOK\r\n\r\nSERVER OK\r\n")
	c, err := r.far.DialContext(t.Context(), "udp", "10.0.0.2:3030")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("one"))
	r.expect("\r\n0, REMOTE IP: 10.0.0.1\r\n\r\n+RECEIVE: 0, 3\r\none")
	c.Write([]byte("two"))
	r.expect("\r\n+RECEIVE: 0, 3\r\ntwo")
	r.cmd("AT+QISEND=0,5", "\r\n> ")
	r.send("reply")
	r.expect("\r\nSEND OK\r\n")
	buf := make([]byte, 16)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "reply" {
		t.Fatalf("far read %q, %v", buf[:n], err)
	}
	r.cmd("AT+QISACK=0", "\r\n+QISACK: 5, 0, 0\r\n\r\nOK\r\n")
	r.cmd("AT+QICLOSE=0", "\r\n0, CLOSE OK\r\n")
	r.cmd("AT+QISRVC=2", "\r\nOK\r\n")
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n")
}

var _ net.Conn = (*shimAckConn)(nil)
