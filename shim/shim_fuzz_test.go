package shim

import (
	"bytes"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/at"
)

// shimParseSeeds are annotated valid (and a few invalid) command lines,
// without the "AT".
var shimParseSeeds = []string{
	"",                                  // plain AT
	"E0V1Q0",                            // basic commands run together
	"+CMEE=2;+CSQ",                      // ';' between extended commands
	"+IPR=115200&W",                     // extended then basic, no ';'
	`+QICSGP=1,"CMNET","user","pass"`,   // quoted parameters
	`+QIOPEN=0,"TCP","10.0.0.1",7007`,   // mux open, port unquoted
	`+QIOPEN="TCP","host.example","80"`, // port quoted
	"+QIRD=0,1,0,1500",                  // numbers
	"+QIMUX?",                           // read
	"+QIOPEN=?",                         // test
	"+QIDNSCFG=\u201c1.1.1.1\u201d",     // typographic quotes of the seed
	"S0=2;S7?",                          // S-registers
	"D*99#",                             // dial takes the rest
	`+X=,,""`,                           // empty parameters
	`+X="unterminated`,                  // invalid
}

// FuzzShimParse checks that parsing never panics and that a parsed line
// printed back parses to the same commands.
func FuzzShimParse(f *testing.F) {
	for _, s := range shimParseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		cmds, err := parseShimLine(line)
		if err != nil {
			return
		}
		var parsed []at.Command
		for _, c := range cmds {
			parsed = append(parsed, c.Command)
		}
		text := at.FormatLine(parsed)
		again, err := parseShimLine(text)
		if err != nil {
			t.Fatalf("reparse of %q (from %q): %v", text, line, err)
		}
		if diff := cmp.Diff(cmds, again, cmp.AllowUnexported(shimCmd{}, shimArg{})); diff != "" {
			t.Fatalf("reparse of %q (-first +second):\n%s", line, diff)
		}
	})
}

func TestShimParse(t *testing.T) {
	cmd := func(name string, op at.Op, arg string, args ...shimArg) shimCmd {
		return shimCmd{Command: at.Command{Name: name, Op: op, Arg: arg}, args: args}
	}
	tests := []struct {
		name string
		in   string
		want []shimCmd
	}{
		{"basic", "e0v1", []shimCmd{cmd("E", at.Action, "0", shimArg{val: "0"}), cmd("V", at.Action, "1", shimArg{val: "1"})}},
		{"ipr and w", "+IPR=115200&W", []shimCmd{cmd("+IPR", at.Set, "115200", shimArg{val: "115200"}), cmd("&W", at.Action, "")}},
		{"quoted", `+qiopen=1, "TCP" ,"a,b", 7`, []shimCmd{cmd("+QIOPEN", at.Set, `1, "TCP" ,"a,b", 7`,
			shimArg{val: "1"}, shimArg{val: "TCP", quoted: true}, shimArg{val: "a,b", quoted: true}, shimArg{val: "7"})}},
		{"unquoted keeps case", "+QICSGP=1,cmnet, User", []shimCmd{cmd("+QICSGP", at.Set, "1,cmnet, User",
			shimArg{val: "1"}, shimArg{val: "cmnet"}, shimArg{val: "User"})}},
		{"typographic quotes", "+QIDNSCFG=\u201c1.1.1.1\u201d", []shimCmd{cmd("+QIDNSCFG", at.Set, `"1.1.1.1"`,
			shimArg{val: "1.1.1.1", quoted: true})}},
		{"read test", "+QIMUX?;+QIMUX=?", []shimCmd{cmd("+QIMUX", at.Read, ""), cmd("+QIMUX", at.Test, "")}},
		{"s register", "S0=2", []shimCmd{cmd("S0", at.Set, "2", shimArg{val: "2"})}},
		// Fuzz regression (testdata/fuzz/FuzzShimParse/c41ee758a63105e6):
		// a vertical tab before a quote once made an unquoted `""`.
		{"space before quote", "#0=\v\"\"", []shimCmd{cmd("#0", at.Set, "\v\"\"", shimArg{quoted: true})}},
		// Fuzz regression (98d65c0f41bf4b74): "= ?" is a parameter "?",
		// which printed back as the test form "=?".
		{"question parameter", "#0= ?", []shimCmd{cmd("#0", at.Set, " ?", shimArg{val: "?"})}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseShimLine(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(shimCmd{}, shimArg{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{`+X="a`, "+", "!", `+X="a"b`, "S", "&"} {
		if _, err := parseShimLine(bad); err == nil {
			t.Errorf("parseShimLine(%q) succeeded", bad)
		}
	}
}

// FuzzShimServe feeds arbitrary bytes to a whole session and checks that
// it survives and still answers AT afterwards.
func FuzzShimServe(f *testing.F) {
	for _, s := range []string{
		"AT\r",
		"AT+QIMUX=1\rAT+QIOPEN=0,\"TCP\",\"1.2.3.4\",7\rAT+QISEND=0,3\rabc",
		"AT+QIMODE=1\rAT+QIOPEN=\"TCP\",\"1.2.3.4\",7\r+++",
		"AT+QISEND\r\x08\x1a\x1b",
		"ATQ1V0E0&W\r",
		"\x00\xff\r\n\x08AT+QIREGAPP;+QIACT;+QILOCIP\r",
		"A/AT+CSQ\ra/xA/", // repeats (V.250 §5.2.4), no CR
		"AT&D2;+QIMODE=1\rAT+QIOPEN=\"TCP\",\"1.2.3.4\",7\rA/",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzShimSession(t, DialectM95, data) })
}

// FuzzShimServeBG96 is FuzzShimServe for the BG96 personality.
func FuzzShimServeBG96(f *testing.F) {
	for _, s := range []string{
		"AT\r",
		"AT+QICSGP=1,1,\"apn\",\"\",\"\",1\rAT+QIACT=1\rAT+QIOPEN=1,0,\"TCP\",\"1.2.3.4\",7,0,0\rAT+QISEND=0,3\rabc",
		"AT+QIACT=1\rAT+QIOPEN=1,1,\"UDP SERVICE\",\"127.0.0.1\",0,3030,1\rAT+QISEND=1,2,\"1.2.3.4\",7\rhi",
		"AT+QIACT=1\rAT+QIOPEN=1,2,\"TCP LISTENER\",\"127.0.0.1\",0,2020,0\rAT+QISTATE?\r",
		"AT+QIACT=1;+QIOPEN=1,0,\"TCP\",\"1.2.3.4\",7,0,1\rAT+QISENDEX=0,\"00ff\"\rAT+QIRD=0,0\r",
		"AT+QISEND=0\r\x08\x1a\x1b",
		"AT+QIDNSGIP=1,\"x\"\rAT+QIGETERROR\r",
		"AT+QIACT=1\rAT+QIOPEN=1,0,\"TCP\",\"1.2.3.4\",7,0,2\rdata+++",
		"AT&D2;+QIACT=1\rAT+QIOPEN=1,0,\"TCP\",\"1.2.3.4\",7,0,0\rAT+QISWTMD=0,2\rATO\r",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzShimSession(t, DialectBG96, data) })
}

// FuzzShimServeSIM800 is FuzzShimServe for the SIM800 personality.
func FuzzShimServeSIM800(f *testing.F) {
	for _, s := range []string{
		"AT\r",
		"AT+CIPMUX=1;+CIPQSEND=1;+CIPRXGET=1\rAT+CSTT=\"apn\"\rAT+CIICR\rAT+CIFSR;E0\rAT+CIPSTART=0,\"TCP\",\"1.2.3.4\",7\rAT+CIPSEND=0,3\rabc",
		"AT+CIPMUX=1\rAT+CSTT\rAT+CIICR\rAT+CIFSR\rAT+CIPSERVER=1,2020\rAT+CIPSTATUS\r",
		"AT+CSTT;+CIICR;+CIFSR\rAT+CIPSTART=\"UDP\",\"1.2.3.4\",\"7\"\rAT+CIPSEND\rhi\x1aAT+CIPRXGET=2,10\r",
		"AT+CIPRXGET=1\rAT+CSTT;+CIICR;+CIFSR\rAT+CIPSTART=\"TCP\",\"1.2.3.4\",7\rAT+CIPRXGET=3,5\rAT+CIPRXGET=4\r",
		"AT+CIPSEND=0\r\x08\x1a\x1b",
		"AT+SAPBR=3,1,APN,\"x\"\rAT+SAPBR=1,1\rAT+SAPBR=2,1\rAT+CDNSGIP=\"x\"\r",
		"AT+CIPMODE=1\rAT+CIPSTART=\"TCP\",\"1.2.3.4\",7\rdata+++",
		"AT&D2;+CIPMODE=1\rAT+CIPSTART=\"TCP\",\"1.2.3.4\",7\rATO\rAT+CIPCLOSE\rAT+CIPSHUT\r",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzShimSession(t, DialectSIM800, data) })
}

// FuzzShimServeSIM900 is FuzzShimServe for the SIM900 personality, the
// SIM800's with eight connections.
func FuzzShimServeSIM900(f *testing.F) {
	for _, s := range []string{
		"AT\r",
		"AT+CIPMUX=1\rAT+CSTT;+CIICR;+CIFSR\rAT+CIPSTART=7,\"TCP\",\"1.2.3.4\",7\rAT+CIPSEND=7,2\rhiAT+CIPSTATUS\rAT+CIPSTART=8,\"TCP\",\"1.2.3.4\",7\r",
		"ATV0\rAT+CIPSTATUS\rAT+CIPRXGET=4,7\rATV1\r",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzShimSession(t, DialectSIM900, data) })
}

// FuzzShimServeMultiTech is FuzzShimServe for the Multi-Tech
// personality: parameters, GPRS, the bridge with its DLE/ETX framing
// and the listener.
func FuzzShimServeMultiTech(f *testing.F) {
	for _, s := range []string{
		"AT\r",
		"AT+CMEE=1\rAT#APNSERV=\"apn\"\rAT#CONNECTIONSTART\rAT#DISPLAYIP\rAT#VDNS\r",
		"AT#CONNECTIONSTART\rAT#TCPSERV=\"1.2.3.4\"\rAT#TCPPORT=7\rAT#OTCP\rab\x10\x03c\x10",
		"AT#CONNECTIONSTART\rAT#DLEMODE=0\rAT#TCPSERV=\"1.2.3.4\"\rAT#TCPPORT=7\rAT#OTCP\r\x03\x10x",
		"AT#CONNECTIONSTART\rAT#UDPSERV=\"1.2.3.4\"\rAT#UDPPORT=7\rAT#OUDP\rhi\x03\x03\x03AT\r",
		"AT#CONNECTIONSTART\rAT#TCPSERV=2,\"255.255.255.255\"\rAT#TCPPORT=2,\"2020\"\rAT#LTCPSTART=2\rAT#LTCPSTOP=2\r",
		"AT#VTCP=1;#DLEMODE?;#TCPTXDELAY=1,40\rAT#CONNECTIONSTOP\r",
		"AT#CONNECTIONSTART\rAT#TCPSERV=\"255.255.255.255\"\rAT#TCPPORT=2020\rAT#LTCPSTART\r\x03\x03AT#LTCPSTART\rA\x03T\r",
		"AT#CONNECTIONSTART\rAT#UDPSERV=\"255.255.255.255\"\rAT#UDPPORT=5050\rAT#LUDPSTART\rAT#LUDPSTOP=1\rAT#VALL;#VSTATE;#VUDP;#VGPRS\r",
		"AT&D2\rAT#CONNECTIONSTART\rAT#TCPSERV=\"1.2.3.4\"\rAT#TCPPORT=7\rAT#OTCP\rdata\x10",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzShimSession(t, DialectMultiTech, data) })
}

// fuzzShimSession feeds data to a whole session of dialect d and checks
// that it survives and still answers AT afterwards.
func fuzzShimSession(t *testing.T, d Dialect, data []byte) {
	synctest.Test(t, func(t *testing.T) {
		// Dialled connections echo (nobody takes the far ends).
		pn := &shimPipeNet{done: make(chan struct{})}
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = d })
		r.send(string(data))
		// Leave any QISEND payload, command line and data mode.
		r.send("\x1b" + strings.Repeat("x", 1500) + "\r")
		time.Sleep(time.Second)
		r.send("+++")
		time.Sleep(time.Second)
		close(pn.done) // ends data mode even with AT+QITCFG's escape off
		r.send("\rAT&F\r")
		synctest.Wait()
		r.drain()
		r.send("AT\r")
		r.until("AT\r\r\nOK\r\n")
	})
}

// drain discards the output so far.
func (r *shimRig) drain() {
	for {
		select {
		case b := <-r.out:
			r.buf = append(r.buf, b...)
		default:
			r.buf = bytes.Clone(r.buf[:0])
			return
		}
	}
}

// FuzzShimServeTelit is FuzzShimServe for the Telit personality.
func FuzzShimServeTelit(f *testing.F) {
	for _, s := range []string{
		"AT\r",
		"AT+CMEE=2\rAT+CGDCONT=1,IP,\"apn\"\rAT#SGACT=1,1\rAT#SD=1,0,7,1.2.3.4,0,0,1\rAT#SSENDEXT=1,3\rabc",
		"AT#GPRS=1\rAT#SD=2,0,7,\"1.2.3.4\"\rdata+++",
		"AT#SGACT=1,1\rAT#SD=1,0,7,1.2.3.4,0,0,1\rAT#SSEND=1\rx\x08y\x1aAT#SRECV=1,128\rAT#SI\rAT#SS\r",
		"AT#FRWL=1,\"10.0.0.0\",\"255.0.0.0\"\rAT#SGACT=1,1\rAT#SL=1,1,23\rAT#SA=1,1\rAT#SH=1\r",
		"AT#SCFGEXT=1,2,1,0,1,0\rAT#SCFG=1,1,300,90,600,50\rAT#SLUDP=2,1,3030\rAT#SO=1\r",
		"AT#FRWL=2,\"1.2.3.4\",\"225.255.255.0\"\rAT#SS=9\rAT#SRECV=0,0\r",
		"AT#GPRS=1\rAT#DSTO=1;#PKTSZ=0;#SKTTO=1\rAT#SKTD=0,7,\"1.2.3.4\",0,0\rdata",
		"AT#SKTSET=1,7,host;#SKTSAV\rAT#SKTOP\rAT#SKTL=1,0,2050,255\rAT#SKTL=0,0,2050\rAT#SKTD\rAT#SKTD=0\r",
		"AT#SGACT=1,1\rAT#SLUDP=1,1,3100\rAT#SSENDUDP=1,\"1.2.3.4\",7\rhi\x1aAT#SSENDUDPEXT=1,2,\"1.2.3.4\",7\rab",
		"AT#SCFG=1,1,10,1,600,1\rAT#SGACT=1,1\rAT#SD=1,0,7,1.2.3.4\r0123456789abc",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzShimSession(t, DialectTelit, data) })
}
