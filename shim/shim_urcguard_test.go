package shim

import (
	"testing"
	"testing/synctest"
	"time"
)

// Data that arrives right behind a final result is announced urcGuard
// later, not at once (attentive's reader thread would overwrite the
// response its caller is still parsing with the URC); data that arrives
// on a quiet port is announced at once.
func TestURCGuardAfterAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, func(c *Config) { c.Dialect = DialectSIM800 })
		r.expect("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n")
		r.init()
		r.cmd("AT+CIPMUX=1;+CIPQSEND=1;+CIPRXGET=1", "\r\nOK\r\n")
		r.sim800Bearer()
		r.cmd(`AT+CIPSTART=2,"TCP","10.0.0.1",7007`, "\r\nOK\r\n")
		r.expect("\r\n2, CONNECT OK\r\n")
		far := <-pn.far
		defer far.Close()

		r.cmd("AT", "\r\nOK\r\n")
		start := time.Now()
		if _, err := far.Write([]byte("abc")); err != nil {
			t.Fatal(err)
		}
		r.expect("\r\n+CIPRXGET: 1,2\r\n")
		if d := time.Since(start); d != urcGuard {
			t.Errorf("+CIPRXGET: 1 %v after the OK, want %v", d, urcGuard)
		}
		r.cmd("AT+CIPRXGET=2,2,10", "\r\n+CIPRXGET: 2,2,3,0\r\nabc\r\nOK\r\n")

		time.Sleep(time.Second)
		start = time.Now()
		if _, err := far.Write([]byte("de")); err != nil {
			t.Fatal(err)
		}
		r.expect("\r\n+CIPRXGET: 1,2\r\n")
		if d := time.Since(start); d != 0 {
			t.Errorf("+CIPRXGET: 1 %v after data on a quiet port, want at once", d)
		}
	})
}
