package shim

import (
	"io"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestShimRepeat is "A/" (V.250 §5.2.4): the previous command line again,
// at once and without a CR. Each step sends its bytes as they are.
func TestShimRepeat(t *testing.T) {
	csq := "\r\n+CSQ: 25,0\r\n\r\nOK\r\n"
	tests := []struct {
		name  string
		steps []shimStep
	}{
		{"no previous line", []shimStep{
			{"A/", "A/\r\nOK\r\n"},
			{"a/", "a/\r\nOK\r\n"},
		}},
		{"repeats", []shimStep{
			{"ATE0\r", "ATE0\r\r\nOK\r\n"},
			{"AT+CSQ\r", csq},
			{"A/", csq},
			{"a/", csq},
			{"A/A/", csq + csq},
		}},
		{"echo", []shimStep{
			{"AT+CSQ\r", "AT+CSQ\r" + csq},
			{"A/", "A/" + csq},
		}},
		{"noise before", []shimStep{
			{"ATE0\r", "ATE0\r\r\nOK\r\n"},
			{"AT+CSQ\r", csq},
			{"\x00x A/", csq},
		}},
		{"inside a line", []shimStep{
			{"ATE0\r", "ATE0\r\r\nOK\r\n"},
			{`AT+CSQ;+QICSGP=1,"A/"` + "\r", csq},
			{"A/", csq},
			{"ATA/\r", "\r\nERROR\r\n"}, // ATA is a command here
			{"A/", "\r\nERROR\r\n"},
		}},
		{"numeric", []shimStep{
			{"ATE0V0\r", "ATE0V0\r0\r"},
			{"A/", "0\r"},
			{"AT+NOPE\r", "4\r"},
			{"A/", "4\r"},
		}},
		{"overlong line kept out", []shimStep{
			{"ATE0\r", "ATE0\r\r\nOK\r\n"},
			{"AT+CSQ\r", csq},
			{"AT+CSQ" + strings.Repeat("x", shimMaxLine) + "\r", "\r\nERROR\r\n"},
			{"A/", csq},
		}},
		{"then a command line", []shimStep{
			{"ATE0\r", "ATE0\r\r\nOK\r\n"},
			{"A/AT+CSQ\r", "\r\nOK\r\n" + csq},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newShimRig(t, nil)
			for _, st := range tc.steps {
				r.send(st.send)
				r.expect(st.want)
			}
		})
	}
}

// TestShimRepeatIsData checks that "A/" is data, not a repeat, in a
// QISEND payload and in transparent data mode.
func TestShimRepeatIsData(t *testing.T) {
	tests := []struct {
		name  string
		steps []shimStep // up to the data
		data  string     // sent by the host
		far   string     // read by the far end
		after string     // answered to the host
	}{
		{"qisend fixed", []shimStep{
			{`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT OK\r\n"},
			{"AT+QISEND=4", "\r\n> "},
		}, "A/a/", "A/a/", "\r\nSEND OK\r\n"},
		{"qisend ctrl-z", []shimStep{
			{`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT OK\r\n"},
			{"AT+QISEND", "\r\n> "},
		}, "A/\x1a", "A/", "\r\nSEND OK\r\n"},
		{"transparent", []shimStep{
			{"AT+QIMODE=1;+QITCFG=3,0,512,1", "\r\nOK\r\n"},
			{`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT\r\n"},
		}, "A/", "A/", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				pn := newShimPipeNet()
				r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, nil)
				r.init()
				r.cmd("AT+CSQ", "\r\n+CSQ: 25,0\r\n\r\nOK\r\n") // a line A/ would repeat
				runShimSteps(t, r, tc.steps)
				far := <-pn.far
				defer far.Close()
				r.send(tc.data)
				buf := make([]byte, len(tc.far))
				if _, err := io.ReadFull(far, buf); err != nil || string(buf) != tc.far {
					t.Fatalf("far read %q, %v; want %q", buf, err, tc.far)
				}
				r.expect(tc.after)
				time.Sleep(time.Second)
				synctest.Wait()
				r.expectNothing()
			})
		})
	}
}

// expectNothing checks that the shim has said nothing more so far.
func (r *shimRig) expectNothing() {
	r.t.Helper()
	for more := true; more; {
		select {
		case b, ok := <-r.out:
			r.buf = append(r.buf, b...)
			more = ok
		default:
			more = false
		}
	}
	if len(r.buf) > 0 {
		r.t.Errorf("then %q, want nothing", r.buf)
	}
}
