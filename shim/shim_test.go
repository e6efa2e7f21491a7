package shim

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// shimStep is one command line and the exact bytes answered.
type shimStep struct{ send, want string }

func runShimSteps(t *testing.T, r *shimRig, steps []shimStep) {
	t.Helper()
	for _, st := range steps {
		r.cmd(st.send, st.want)
	}
}

func TestShimCommands(t *testing.T) {
	tests := []struct {
		name   string
		compat bool
		steps  []shimStep
	}{
		{"echo default", false, []shimStep{
			{"AT", "AT\r\r\nOK\r\n"},
			{"at", "at\r\r\nOK\r\n"},
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT", "\r\nOK\r\n"},
			{"ATE1", "\r\nOK\r\n"},
			{"AT", "AT\r\r\nOK\r\n"},
		}},
		{"numeric results", false, []shimStep{
			{"ATE0V0", "ATE0V0\r0\r"},
			{"AT+CSQ", "+CSQ: 25,0\r\n0\r"},
			{"AT+NOPE", "4\r"},
			{"ATV1", "\r\nOK\r\n"},
		}},
		{"quiet", false, []shimStep{
			{"ATE0Q1", "ATE0Q1\r"},
			{"ATQ0", "\r\nOK\r\n"},
		}},
		{"identity", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+CGMI", "\r\nQuectel\r\n\r\nOK\r\n"},
			{"AT+CGMM", "\r\nM95\r\n\r\nOK\r\n"},
			{"AT+CGMR", "\r\nRevision: M95FAR02A08\r\n\r\nOK\r\n"},
			{"AT+GSN", "\r\n861234567890123\r\n\r\nOK\r\n"},
			{"AT+CGSN", "\r\n861234567890123\r\n\r\nOK\r\n"},
			{"AT+CIMI", "\r\n001010000000000\r\n\r\nOK\r\n"},
			{"AT+QCCID", "\r\n89860000000000000000\r\n\r\nOK\r\n"},
			{"ATI", "\r\nQuectel_Ltd\r\n\r\nQuectel_M95\r\n\r\nRevision: M95FAR02A08\r\n\r\nOK\r\n"},
		}},
		{"radio", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
			{"AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n"},
			{"AT+CGREG?", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n"},
			{"AT+CGATT?", "\r\n+CGATT: 1\r\n\r\nOK\r\n"},
			{"AT+CSQ", "\r\n+CSQ: 25,0\r\n\r\nOK\r\n"},
			{"AT+COPS?", "\r\n+COPS: 0,0,\"TestNet\"\r\n\r\nOK\r\n"},
			{"AT+QSPN?", "\r\n+QSPN: \"TestNet\",\"TestNet\",\"\",0,\"\"\r\n\r\nOK\r\n"},
			{"AT+QNITZ=1", "\r\nOK\r\n"},
			{"AT+QNITZ?", "\r\n+QNITZ: 1\r\n\r\nOK\r\n"},
			{"AT+QIURC=0", "\r\nOK\r\n"},
			{"AT+QNITZ=2", "\r\nERROR\r\n"},
		}},
		{"settings and concatenation", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+IPR=115200&W", "\r\nOK\r\n"},
			{"AT+IPR?", "\r\n+IPR: 115200\r\n\r\nOK\r\n"},
			{"AT+IPR=1234", "\r\nERROR\r\n"},
			{"AT+CMEE=1;+CMEE?", "\r\n+CMEE: 1\r\n\r\nOK\r\n"},
			{"at+cmee=2 ; +csq", "\r\n+CSQ: 25,0\r\n\r\nOK\r\n"},
			{"ATE1", "\r\nOK\r\n"},
			{"ATZ", "ATZ\r\r\nOK\r\n"}, // back to the AT&W profile: echo off
			{"AT", "\r\nOK\r\n"},
			{"AT&F", "\r\nOK\r\n"},
			{"AT", "AT\r\r\nOK\r\n"},
		}},
		{"cme errors", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+QIACT", "\r\nERROR\r\n"},
			{"AT+CMEE=1", "\r\nOK\r\n"},
			{"AT+QIACT", "\r\n+CME ERROR: 3\r\n"},
			{"AT+CMEE=2", "\r\nOK\r\n"},
			{"AT+QIACT", "\r\n+CME ERROR: operation not allowed\r\n"},
			{"AT+UNKNOWN", "\r\nERROR\r\n"},
			{"AT+CMEE=0", "\r\nOK\r\n"},
			{"AT+QIACT", "\r\nERROR\r\n"},
		}},
		{"state machine single", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n"},
			{"AT+QILOCIP", "\r\nERROR\r\n"},
			{"AT+QIFGCNT=0", "\r\nOK\r\n"},
			{"AT+QICSGP=1,\"CMNET\"", "\r\nOK\r\n"},
			{"AT+QIMUX=0", "\r\nOK\r\n"},
			{"AT+QIMODE=0", "\r\nOK\r\n"},
			{"AT+QIDNSIP=0", "\r\nOK\r\n"},
			{"AT+QIREGAPP", "\r\nOK\r\n"},
			{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP START\r\n"},
			{"AT+QIREGAPP", "\r\nERROR\r\n"},
			{"AT+QIMUX=1", "\r\nERROR\r\n"},
			{"AT+QIACT", "\r\nOK\r\n"},
			{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP GPRSACT\r\n"},
			{"AT+QIACT", "\r\nERROR\r\n"},
			{"AT+QILOCIP", "\r\n10.0.0.2\r\n"},
			{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP STATUS\r\n"},
			{"AT+QISEND", "\r\nERROR\r\n"},
			{"AT+QICLOSE", "\r\nERROR\r\n"},
			{"AT+QISACK", "\r\nERROR\r\n"},
			{"AT+QIDEACT", "\r\nDEACT OK\r\n"},
			{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n"},
			{"AT+QIMUX=1", "\r\nOK\r\n"},
			{"AT+QIMUX?", "\r\n+QIMUX: 1\r\n\r\nOK\r\n"},
			{"AT+QIMODE=1", "\r\nERROR\r\n"},
			{"AT+QIREGAPP=\"apn\",\"u\",\"p\"", "\r\nOK\r\n"},
			{"AT+QIREGAPP?", "\r\n+QIREGAPP: \"apn\",\"u\",\"p\"\r\n\r\nOK\r\n"},
		}},
		{"qistat numeric", false, []shimStep{
			{"ATE0V0", "ATE0V0\r0\r"},
			{"AT+QISTAT", "0\rSTATE: 0\r\n"},
			{"AT+QIREGAPP", "0\r"},
			{"AT+QISTAT", "0\rSTATE: 1\r\n"},
			{"AT+QIACT", "0\r"},
			{"AT+QISTAT", "0\rSTATE: 4\r\n"},
			{"AT+QILOCIP", "10.0.0.2\r\n"},
			{"AT+QISTAT", "0\rSTATE: 5\r\n"},
			{`AT+QIOPEN="TCP","10.0.0.1",9`, "0\rCONNECT OK\r\n"},
			{"AT+QISTAT", "0\rSTATE: CONNECT OK\r\n"},
			{"AT+QICLOSE", "CLOSE OK\r\n"},
			{"AT+QISTAT", "0\rSTATE: IP CLOSE\r\n"},
			{"ATV1", "\r\nOK\r\n"},
			{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP CLOSE\r\n"},
		}},
		{"qistate mux", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+QIMUX=1", "\r\nOK\r\n"},
			{"AT+QISTATE", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n" +
				"\r\n+QISTATE: 0,\"\",\"\",,\"INITIAL\"\r\n\r\n+QISTATE: 1,\"\",\"\",,\"INITIAL\"\r\n" +
				"\r\n+QISTATE: 2,\"\",\"\",,\"INITIAL\"\r\n\r\n+QISTATE: 3,\"\",\"\",,\"INITIAL\"\r\n" +
				"\r\n+QISTATE: 4,\"\",\"\",,\"INITIAL\"\r\n\r\n+QISTATE: 5,\"\",\"\",,\"INITIAL\"\r\n"},
			// The BG96 form TinyGSM sends: no connection, no line.
			{"AT+QISTATE=1,0", "\r\nOK\r\n"},
			{"AT+QISTATE=0,0", "\r\nERROR\r\n"},
			{"AT+QISSTAT", "\r\nOK\r\n\r\nS: INITIAL\r\n"},
		}},
		{"dns settings", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+QIDNSCFG?", "\r\nPrimaryDns: 0.0.0.0\r\n\r\nSecondaryDns: 0.0.0.0\r\n\r\nOK\r\n"},
			{"AT+QIDNSCFG=\u201c211.136.18.171\u201d,\u201c211.136.112.50\u201d", "\r\nOK\r\n"},
			{"AT+QIDNSCFG?", "\r\nPrimaryDns: 211.136.18.171\r\n\r\nSecondaryDns: 211.136.112.50\r\n\r\nOK\r\n"},
			{"AT+QIDNSCFG=\"x\"", "\r\nERROR\r\n"},
			{"AT+QIDNSGIP=\"10.1.2.3\"", "\r\nOK\r\n\r\n10.1.2.3\r\n"},
			{"AT+QIDNSGIP=\"echo.example\"", "\r\nOK\r\n\r\n10.0.0.1\r\n"},
			{"AT+QIDNSGIP=\"nothing.example\"", "\r\nOK\r\n\r\nERROR\r\n"},
		}},
		{"malformed", false, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+QIOPEN=\"TCP", "\r\nERROR\r\n"},
			{"AT+QIOPEN=\"TCP\"x,1", "\r\nERROR\r\n"},
			{"AT!", "\r\nERROR\r\n"},
			{"hello", "\r\nERROR\r\n"},
			{"\x00\xff\x80AT", "\r\nOK\r\n"},
			{"AT" + strings.Repeat("X", 600), "\r\nERROR\r\n"},
			{"AT+", "\r\nERROR\r\n"},
			{"ATS0=0", "\r\nOK\r\n"},
			{"AT+CSX\x08Q", "\r\n+CSQ: 25,0\r\n\r\nOK\r\n"},
			{"", ""},
			{"AT", "\r\nOK\r\n"},
		}},
		{"compat qistate is a no-op", true, []shimStep{
			{"ATE0", "ATE0\r\r\nOK\r\n"},
			{"AT+QISTATE=1,0", "\r\nOK\r\n"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newShimRig(t, func(c *Config) { c.CompatQISTATE = tc.compat })
			runShimSteps(t, r, tc.steps)
		})
	}
}

// TestShimTinyGSMM95 replays TinyGSM's M95 driver (qi-commands.md §3.2),
// matching answers by suffix as its waitResponse does.
func TestShimTinyGSMM95(t *testing.T) {
	for _, limit := range []int{0, 1, 7} {
		t.Run("read limit "+strconv.Itoa(limit), func(t *testing.T) {
			r := newShimRig(t, nil)
			r.dce.Limit(limit) // the shim reads the host in UART-sized chunks
			testShimTinyGSMM95(t, r)
		})
	}
}

func testShimTinyGSMM95(t *testing.T, r *shimRig) {
	at := func(cmd string) { r.send("AT" + cmd + "\r\n") }
	// init
	at("")
	r.until("OK\r\n")
	at("E0")
	r.until("OK\r\n")
	at("+CMEE=0")
	r.until("OK\r\n")
	at("+CGMI")
	if got := r.until("OK\r\n"); !strings.Contains(got, "Quectel") {
		t.Errorf("CGMI answered %q", got)
	}
	at("+CGMM")
	r.until("OK\r\n")
	at("+QNITZ=1")
	r.until("OK\r\n")
	at("+CPIN?")
	if got := r.until("OK\r\n"); !strings.Contains(got, "+CPIN: READY") {
		t.Errorf("CPIN answered %q", got)
	}
	// gprsConnect
	at("+QIDEACT")
	r.expect("\r\nDEACT OK\r\n")
	for _, c := range []string{"+QIFGCNT=0", `+QICSGP=1,"internet","",""`, "+QIMODE=0", "+QIMUX=1", `+QIREGAPP="internet","",""`, "+QIACT"} {
		at(c)
		r.expect("\r\nOK\r\n")
	}
	at("+QILOCIP")
	r.expect("\r\n10.0.0.2\r\n")
	at("+QINDI=1")
	r.expect("\r\nOK\r\n")
	if got := r.be.apns; len(got) != 1 || got[0] != "internet//" {
		t.Errorf("activations %q, want [internet//]", got)
	}
	// connect(host, port): stop() first.
	at("+QIRD=0,1,1,64")
	r.expect("\r\nERROR\r\n")
	at("+QICLOSE=1")
	r.expect("\r\nERROR\r\n")
	at(`+QIOPEN=1,"TCP","10.0.0.1",7`)
	r.expect("\r\nOK\r\n")
	r.expect("\r\n1, CONNECT OK\r\n")
	// connected()
	at("+QISTATE=1,1")
	if got := r.until("OK\r\n"); !strings.Contains(got, `+QISTATE: 1,"TCP","10.0.0.1",7,`) || !strings.Contains(got, ",2,1,0,0,\"uart1\"") {
		t.Errorf("QISTATE answered %q", got)
	}
	// write
	msg := "GET / HTTP/1.0\r\n\r\n"
	at("+QISEND=1,18")
	r.until(">")
	r.send(msg)
	r.until("\r\nSEND OK")
	r.expect("\r\n")
	// receive: the echo comes back, announced once.
	r.expect("\r\n+QIRDI: 0,1,1\r\n")
	var got strings.Builder
	for got.Len() < len(msg) {
		at("+QIRD=0,1,1,64")
		r.until("+QIRD:")
		hdr := r.until("\r\n")
		n := 0
		if i := strings.LastIndexByte(hdr, ','); i >= 0 {
			for _, d := range hdr[i+1:] {
				n = n*10 + int(d-'0')
			}
		}
		if !strings.HasPrefix(hdr, " 10.0.0.1:7,TCP,") {
			t.Fatalf("QIRD header %q", hdr)
		}
		r.fill(n, "data")
		got.Write(r.buf[:n])
		r.buf = r.buf[n:]
		r.expect("\r\nOK\r\n")
	}
	if got.String() != msg {
		t.Errorf("read back %q, want %q", got.String(), msg)
	}
	at("+QIRD=0,1,1,64")
	r.expect("\r\nOK\r\n")
	// stop()
	at("+QICLOSE=1")
	r.expect("\r\n1, CLOSE OK\r\n")
	at("+QIDEACT")
	r.expect("\r\nDEACT OK\r\n")
}

// TestShimTwoContexts uses both local contexts (seed §7): a client on
// context 0, settings of its own on context 1.
func TestShimTwoContexts(t *testing.T) {
	r := newShimRig(t, nil)
	r.init()
	runShimSteps(t, r, []shimStep{
		{"AT+QIFGCNT=0", "\r\nOK\r\n"},
		{"AT+QINDI=1", "\r\nOK\r\n"},
		{`AT+QIOPEN="TCP","10.0.0.1",21`, "\r\nOK\r\n\r\nCONNECT OK\r\n\r\n+QIRDI: 0,1,0\r\n\r\nCLOSED\r\n"},
		{"AT+QIFGCNT=1", "\r\nOK\r\n"},
		{"AT+QIFGCNT?", "\r\n+QIFGCNT: 1\r\n\r\nOK\r\n"},
		{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n"},
		{"AT+QIMUX=1", "\r\nOK\r\n"},
		{"AT+QIRD=0,1,0,1500", "\r\n+QIRD: 10.0.0.1:21,TCP,3\r\nbye\r\nOK\r\n"},
		{"AT+QIRD=0,1,0,1500", "\r\nOK\r\n"},
		{"AT+QIFGCNT=0", "\r\nOK\r\n"},
		{"AT+QIMUX?", "\r\n+QIMUX: 0\r\n\r\nOK\r\n"},
		{"AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP CLOSE\r\n"},
	})
}

// TestShimServeEnds checks Serve's return: nil when the host hangs up
// (io.EOF), the context's error when it ends.
func TestShimServeEnds(t *testing.T) {
	t.Run("host closes", func(t *testing.T) {
		a, b := ppptest.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- New(Config{Backend: &shimFakeBackend{info: shimTestInfo}}).Serve(t.Context(), a)
		}()
		b.Close()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve = %v, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Serve did not return")
		}
	})
	t.Run("context ends", func(t *testing.T) {
		a, b := ppptest.Pipe()
		defer b.Close()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- New(Config{Backend: &shimFakeBackend{info: shimTestInfo}}).Serve(ctx, a) }()
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Serve = %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Serve did not return")
		}
	})
}
