package sim

import (
	"context"
	"slices"
	"testing"

	"github.com/gprsppp/gprsppp/cmux"
)

// AT+CMUX turns the line into a multiplexer with an AT modem on each DLC,
// each with its own settings: a call on DLCI 2 while DLCI 1 answers, and
// CLD returns the line to AT commands.
func TestCMUX(t *testing.T) {
	d := startModem(t, ModemConfig{})
	d.mustCommand("ATE0", "OK")
	if info := d.mustCommand("AT+CMUX=?", "OK"); len(info) != 1 || info[0] != "+CMUX: (0),(0),(1-7),(1-32767),(1-255),(0-100),(2-255),(1-255),(1-7)" {
		t.Errorf("AT+CMUX=? %q", info)
	}
	if info := d.mustCommand("AT+CMUX?", "OK"); !slices.Equal(info, []string{"+CMUX: 0,0,5,31,10,3,30,10,2"}) {
		t.Errorf("AT+CMUX? %q", info)
	}
	for _, bad := range []string{"AT+CMUX=1", "AT+CMUX=0,1", "AT+CMUX=0,0,8", "AT+CMUX=0,0,5,0", "AT+CMUX=", "AT+CMUX=0,0,5,127,10,3,30,10,2,1"} {
		d.mustCommand(bad, "ERROR")
	}
	d.mustCommand("AT+CMUX=0,0,5,127,10,3,30,10,2", "OK")

	d.own(true)
	mux := cmux.NewInitiator(d.port(), cmux.Config{N1: 127})
	ctx := context.Background()
	c1, err := mux.Open(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := mux.Open(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	at1, at2 := newDTE(t, c1), newDTE(t, c2)
	if info := at1.mustCommand("AT+CSQ", "OK"); !slices.Equal(info, []string{"+CSQ: 20,99"}) {
		t.Errorf("AT+CSQ %q", info)
	}
	at1.mustCommand("AT+CMUX=0", "ERROR")
	if info := at1.mustCommand("AT+CMUX?", "OK"); !slices.Equal(info, []string{"+CMUX: 0,0,5,127,10,3,30,10,2"}) {
		t.Errorf("AT+CMUX? in the multiplexer %q", info)
	}
	// Echo is a channel's own.
	at2.mustCommand("ATE0", "OK")
	at2.expect("\n") // the end of OK's line
	at2.send("AT\r")
	at2.expect("\r\nOK\r\n")
	at1.expect("\n")
	at1.send("AT\r")
	at1.expect("AT\r\r\nOK\r\n")

	at2.mustCommand("ATD*99***1#", "CONNECT 115200")
	at1.mustCommand("ATD*99***1#", "ERROR")        // one call at a time
	at2.waitTranscript("\x7e\xff\x7d\x23\xc0\x21") // the network side's LCP on DLCI 2
	if info := at1.mustCommand("AT+CREG?", "OK"); !slices.Equal(info, []string{"+CREG: 0,1"}) {
		t.Errorf("AT+CREG? during the call %q", info)
	}
	if info := at1.mustCommand("AT+CGACT?", "OK"); len(info) != 1 {
		t.Errorf("AT+CGACT? during the call %q", info)
	}

	// The host closes DLCI 2: the call ends, and DLCI 2 opens again in
	// command state.
	c2.Close()
	c2, err = mux.Open(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	at2 = newDTE(t, c2)
	at2.mustCommand("AT", "OK")
	at1.mustCommand("ATD*99***1#", "CONNECT 115200")

	if err := mux.Close(); err != nil {
		t.Fatal(err)
	}
	<-mux.Done()
	d.own(false)
	d.drain()
	d.mustCommand("AT", "OK")

	// DISC on DLCI 0 ends the multiplexer too (frames from TS 27.010's
	// examples: SABM 0, its UA, DISC 0, its UA).
	d.mustCommand("AT+CMUX=0", "OK")
	d.expect("\n")
	d.send("\xf9\x03\x3f\x01\x1c\xf9")
	d.expect("\xf9\x03\x73\x01\xd7\xf9")
	d.send("\xf9\x03\x53\x01\xfd\xf9")
	d.expect("\xf9\x03\x73\x01\xd7\xf9")
	d.mustCommand("AT", "OK")
}
