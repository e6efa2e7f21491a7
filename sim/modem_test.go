package sim

import (
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// step is one exchange of a golden dialogue: bytes sent, after moving the
// clock on by advance, and the exact bytes the modem answers.
type step struct {
	send, want string
	advance    time.Duration
}

// echoOff turns echo off, which is itself echoed.
var echoOff = step{send: "ATE0\r", want: "ATE0\r\r\nOK\r\n"}

func TestDialogue(t *testing.T) {
	tests := []struct {
		name  string
		cfg   ModemConfig
		steps []step
	}{
		{
			name: "echo on at power-on",
			steps: []step{
				{send: "AT\r", want: "AT\r\r\nOK\r\n"},
				{send: "at\r", want: "at\r\r\nOK\r\n"},
			},
		},
		{
			name: "echo off",
			steps: []step{
				echoOff,
				{send: "AT\r", want: "\r\nOK\r\n"},
				{send: "ATE1\r", want: "\r\nOK\r\n"},
				{send: "AT\r", want: "AT\r\r\nOK\r\n"},
			},
		},
		{
			name: "echo off from the config",
			cfg:  ModemConfig{NoEcho: true},
			steps: []step{
				{send: "AT\r", want: "\r\nOK\r\n"},
				{send: "ATZ\r", want: "\r\nOK\r\n"},
				{send: "AT\r", want: "\r\nOK\r\n"},
			},
		},
		{
			name: "echo and backspace byte by byte",
			steps: []step{
				{send: "A", want: "A"},
				{send: "X\b", want: "X\b"},
				{send: "T+CSQ\r", want: "T+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n"},
			},
		},
		{
			name: "LF ends a line and empty lines are ignored",
			steps: []step{
				echoOff,
				{send: "\r\n\nAT\n", want: "\r\nOK\r\n"},
				{send: "AT\r\n", want: "\r\nOK\r\n"},
			},
		},
		{
			name: "junk without AT is ignored",
			steps: []step{
				echoOff,
				{send: "~\x7d\x23hello\rAT\r", want: "\r\nOK\r\n"},
				{send: "xxAT\r", want: "\r\nOK\r\n"},
			},
		},
		{
			name: "several commands in one line",
			steps: []step{
				{send: "ate0 v1\r", want: "ate0 v1\r\r\nOK\r\n"},
				{send: "AT+CGMI;+CGMM;I\r", want: "\r\ngprsppp\r\n\r\ngprsppp-sim\r\n\r\ngprsppp simulated modem\r\n\r\nOK\r\n"},
				{send: "AT+CGMR;+CGSN\r", want: "\r\n1.0\r\n\r\n350000000000001\r\n\r\nOK\r\n"},
				{send: "ATE0+CSQ;V1\r", want: "\r\n+CSQ: 20,99\r\n\r\nOK\r\n"},
			},
		},
		{
			name: "errors",
			steps: []step{
				echoOff,
				{send: "AT+FOO\r", want: "\r\nERROR\r\n"},
				{send: "AT#\r", want: "\r\nERROR\r\n"},
				{send: "ATY\r", want: "\r\nERROR\r\n"},
				{send: "AT+CGDCONT=1,\"IP\r", want: "\r\nERROR\r\n"},
				{send: "AT+CSQ+CGMI\r", want: "\r\nERROR\r\n"},
				// The line stops at the first error.
				{send: "AT+CGMI;+FOO;+CGMM\r", want: "\r\ngprsppp\r\n\r\nERROR\r\n"},
			},
		},
		{
			name: "numeric result codes",
			steps: []step{
				{send: "ATE0V0\r", want: "ATE0V0\r0\r"},
				{send: "AT+CSQ\r", want: "+CSQ: 20,99\r\n0\r"},
				{send: "ATY\r", want: "4\r"},
				{send: "ATO\r", want: "3\r"},
				{send: "ATV1\r", want: "\r\nOK\r\n"},
			},
		},
		{
			name: "quiet",
			steps: []step{
				{send: "ATE0Q1\r", want: "ATE0Q1\r"},
				{send: "AT+CSQ\r", want: "\r\n+CSQ: 20,99\r\n"},
				{send: "ATQ0\r", want: "\r\nOK\r\n"},
			},
		},
		{
			name: "AT&F restores the power-on settings",
			steps: []step{
				{send: "ATE0V0\r", want: "ATE0V0\r0\r"},
				{send: "AT&F\r", want: "\r\nOK\r\n"},
				{send: "AT\r", want: "AT\r\r\nOK\r\n"},
			},
		},
		{
			name: "CME error modes without a SIM",
			cfg:  ModemConfig{NoSIM: true},
			steps: []step{
				echoOff,
				{send: "AT+CMEE?\r", want: "\r\n+CMEE: 1\r\n\r\nOK\r\n"},
				{send: "AT+CPIN?\r", want: "\r\n+CME ERROR: 10\r\n"},
				{send: "AT+CMEE=2\r", want: "\r\nOK\r\n"},
				{send: "AT+CPIN?\r", want: "\r\n+CME ERROR: SIM not inserted\r\n"},
				{send: "AT+CMEE=0\r", want: "\r\nOK\r\n"},
				{send: "AT+CPIN?\r", want: "\r\nERROR\r\n"},
				{send: "AT+CMEE=1;+CIMI\r", want: "\r\n+CME ERROR: 10\r\n"},
				{send: "AT+CREG?\r", want: "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
				{send: "ATD*99#\r", want: "\r\n+CME ERROR: 10\r\n"},
				{send: "AT+CMEE=3\r", want: "\r\n+CME ERROR: 50\r\n"},
			},
		},
		{
			name: "PIN",
			cfg:  ModemConfig{PIN: "1234"},
			steps: []step{
				echoOff,
				{send: "AT+CPIN?\r", want: "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n"},
				{send: "AT+CREG?\r", want: "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
				{send: "ATD*99***1#\r", want: "\r\n+CME ERROR: 11\r\n"},
				{send: "AT+CIMI\r", want: "\r\n+CME ERROR: 11\r\n"},
				{send: `AT+CPIN="0000"` + "\r", want: "\r\n+CME ERROR: 16\r\n"},
				{send: "AT+CMEE=2;+CPIN=4321\r", want: "\r\n+CME ERROR: incorrect password\r\n"},
				{send: `AT+CPIN="1234"` + "\r", want: "\r\nOK\r\n"},
				{send: "AT+CPIN?\r", want: "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
				{send: "AT+CREG?;+CIMI\r", want: "\r\n+CREG: 0,1\r\n\r\n001010000000001\r\n\r\nOK\r\n"},
				{send: `AT+CPIN="1234"` + "\r", want: "\r\n+CME ERROR: operation not allowed\r\n"},
			},
		},
		{
			name: "three wrong PINs block the SIM until its PUK",
			cfg:  ModemConfig{PIN: "1234"},
			steps: []step{
				echoOff,
				{send: `AT+CPINR="SIM PIN"` + "\r", want: "\r\n+CPINR: SIM PIN,3,3\r\n\r\nOK\r\n"},
				{send: `AT+CPIN="0000"` + "\r", want: "\r\n+CME ERROR: 16\r\n"},
				{send: `AT+CPINR="SIM PIN"` + "\r", want: "\r\n+CPINR: SIM PIN,2,3\r\n\r\nOK\r\n"},
				{send: `AT+CPIN="0001"` + "\r", want: "\r\n+CME ERROR: 16\r\n"},
				{send: `AT+CPIN="0002"` + "\r", want: "\r\n+CME ERROR: 16\r\n"},
				{send: "AT+CPIN?\r", want: "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n"},
				// Now even the right PIN is refused.
				{send: `AT+CPIN="1234"` + "\r", want: "\r\n+CME ERROR: 12\r\n"},
				{send: "ATD*99#\r", want: "\r\n+CME ERROR: 12\r\n"},
				{send: "AT+CMEE=2;+CIMI\r", want: "\r\n+CME ERROR: SIM PUK required\r\n"},
				{send: "AT+CPINR\r", want: "\r\n+CPINR: SIM PIN,0,3\r\n\r\n+CPINR: SIM PUK,10,10\r\n\r\nOK\r\n"},
				{send: `AT+CPIN="87654321","4321"` + "\r", want: "\r\n+CME ERROR: incorrect password\r\n"},
				{send: `AT+CPINR="SIM PUK"` + "\r", want: "\r\n+CPINR: SIM PUK,9,10\r\n\r\nOK\r\n"},
				{send: `AT+CPIN="12345678","4321"` + "\r", want: "\r\nOK\r\n"},
				{send: "AT+CPIN?\r", want: "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
				{send: `AT+CPINR="SIM*"` + "\r", want: "\r\n+CPINR: SIM PIN,3,3\r\n\r\n+CPINR: SIM PUK,10,10\r\n\r\nOK\r\n"},
				{send: `AT+CPINR="PH-SIM PIN"` + "\r", want: "\r\n+CME ERROR: incorrect parameters\r\n"},
			},
		},
		{
			name: "a right PIN restores the attempts",
			cfg:  ModemConfig{PIN: "1234"},
			steps: []step{
				echoOff,
				{send: `AT+CPIN="0000"` + "\r", want: "\r\n+CME ERROR: 16\r\n"},
				{send: `AT+CPIN="0000"` + "\r", want: "\r\n+CME ERROR: 16\r\n"},
				{send: `AT+CPIN="1234";+CPINR="SIM PIN"` + "\r", want: "\r\n+CPINR: SIM PIN,3,3\r\n\r\nOK\r\n"},
			},
		},
		{
			name: "guard time from the config",
			cfg:  ModemConfig{GuardTime: 100 * time.Millisecond},
			steps: []step{
				echoOff,
				{send: "ATS12?\r", want: "\r\n005\r\n\r\nOK\r\n"},
			},
		},
		{
			name: "registration delay",
			cfg:  ModemConfig{RegistrationDelay: 20 * time.Second},
			steps: []step{
				echoOff,
				{send: "AT+CREG?;+CGREG?;+CEREG?\r", want: "\r\n+CREG: 0,2\r\n\r\n+CGREG: 0,2\r\n\r\n+CEREG: 0,2\r\n\r\nOK\r\n"},
				{send: "AT+COPS?;+CGATT?\r", want: "\r\n+COPS: 0\r\n\r\n+CGATT: 0\r\n\r\nOK\r\n"},
				{send: "ATD*99#\r", want: "\r\nNO CARRIER\r\n"},
				{send: "AT+CREG?\r", want: "\r\n+CREG: 0,2\r\n\r\nOK\r\n", advance: 19 * time.Second},
				{send: "AT+CREG?;+CGREG?;+CEREG?\r", want: "\r\n+CREG: 0,1\r\n\r\n+CGREG: 0,1\r\n\r\n+CEREG: 0,1\r\n\r\nOK\r\n", advance: time.Second},
				{send: "AT+COPS?;+CGATT?\r", want: "\r\n+COPS: 0,0,\"GPRSPPP\",7\r\n\r\n+CGATT: 1\r\n\r\nOK\r\n"},
				{send: "AT+CREG=2;+CEREG=2;+CREG?;+CEREG?\r", want: "\r\n+CREG: 2,1,\"0001\",\"00000001\"\r\n\r\n+CEREG: 2,1,\"0001\",\"00000001\",7\r\n\r\nOK\r\n"},
				{send: "AT+CREG=?\r", want: "\r\n+CREG: (0-2)\r\n\r\nOK\r\n"},
			},
		},
		{
			name: "registration delay starts with the PIN",
			cfg:  ModemConfig{PIN: "1234", RegistrationDelay: 5 * time.Second},
			steps: []step{
				echoOff,
				{send: `AT+CPIN="1234";+CREG?` + "\r", want: "\r\n+CREG: 0,2\r\n\r\nOK\r\n", advance: time.Minute},
				{send: "AT+CREG?\r", want: "\r\n+CREG: 0,1\r\n\r\nOK\r\n", advance: 5 * time.Second},
			},
		},
		{
			name: "dial result BUSY",
			cfg:  ModemConfig{DialResult: "BUSY"},
			steps: []step{
				echoOff,
				{send: "ATD*99***1#\r", want: "\r\nBUSY\r\n"},
				{send: "ATV0D*99#\r", want: "7\r"},
			},
		},
		{
			name:  "dial result NO ANSWER",
			cfg:   ModemConfig{DialResult: "no answer"},
			steps: []step{echoOff, {send: "ATD*99***1#\r", want: "\r\nNO ANSWER\r\n"}},
		},
		{
			name:  "dial result NO CARRIER",
			cfg:   ModemConfig{DialResult: "NO CARRIER"},
			steps: []step{echoOff, {send: `AT+CGDATA="PPP",1` + "\r", want: "\r\nNO CARRIER\r\n"}},
		},
		{
			name:  "dial result ERROR",
			cfg:   ModemConfig{DialResult: "ERROR"},
			steps: []step{echoOff, {send: "ATD*99#\r", want: "\r\nERROR\r\n"}},
		},
		{
			name: "only packet data calls",
			steps: []step{
				echoOff,
				{send: "ATD+4915112345678;\r", want: "\r\nNO CARRIER\r\n"},
				{send: "ATA\r", want: "\r\nNO CARRIER\r\n"},
				{send: `AT+CGDATA="M-RAW_IP",1` + "\r", want: "\r\n+CME ERROR: 4\r\n"},
			},
		},
		{
			name: "no call",
			steps: []step{
				echoOff,
				{send: "ATO\r", want: "\r\nNO CARRIER\r\n"},
				{send: "ATH\r", want: "\r\nOK\r\n"},
				{send: "ATH0\r", want: "\r\nOK\r\n"},
				{send: "AT+CGACT?\r", want: "\r\n+CGACT: 1,0\r\n\r\nOK\r\n"},
			},
		},
		{
			name: "PDP contexts",
			steps: []step{
				echoOff,
				{send: "AT+CGDCONT?\r", want: "\r\n+CGDCONT: 1,\"IP\",\"internet\"\r\n\r\nOK\r\n"},
				{send: `AT+CGDCONT=2,"IPV4V6","Apn.Example"` + "\r", want: "\r\nOK\r\n"},
				{send: "AT+CGDCONT=1\r", want: "\r\nOK\r\n"},
				{send: "AT+CGDCONT?\r", want: "\r\n+CGDCONT: 2,\"IPV4V6\",\"Apn.Example\"\r\n\r\nOK\r\n"},
				{send: "AT+CGDCONT=?\r", want: "\r\n+CGDCONT: (1-16),\"IP\",,,(0-2),(0-4)\r\n\r\nOK\r\n"},
				{send: "AT+CGDCONT=17,\"IP\"\r", want: "\r\n+CME ERROR: 50\r\n"},
			},
		},
		{
			name: "S-parameters",
			steps: []step{
				echoOff,
				{send: "ATS12?\r", want: "\r\n050\r\n\r\nOK\r\n"},
				{send: "ATS7=60S0=0\r", want: "\r\nOK\r\n"},
				{send: "ATS7?\r", want: "\r\n060\r\n\r\nOK\r\n"},
				{send: "ATS7=256\r", want: "\r\nERROR\r\n"},
			},
		},
		{
			name: "settings that mean nothing here",
			steps: []step{
				echoOff,
				{send: "ATX4L0M0&C1&D2&K0\\Q0\r", want: "\r\nOK\r\n"},
				{send: "AT+IFC=0,0;+CFUN=1;+CFUN?;+IPR?\r", want: "\r\n+CFUN: 1\r\n\r\n+IPR: 115200\r\n\r\nOK\r\n"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewManual(time.Unix(1e9, 0))
			tt.cfg.Clock = clk
			d := startModem(t, tt.cfg)
			for i, s := range tt.steps {
				t.Logf("step %d: send %q", i, s.send)
				clk.Advance(s.advance)
				d.send(s.send)
				d.expect(s.want)
			}
		})
	}
}

// FuzzCommandInput feeds arbitrary bytes to a modem, which must never
// panic on what the line brings.
func FuzzCommandInput(f *testing.F) {
	for _, in := range []string{
		"ATE0V0\rAT+CSQ;+CIMI\r",              // the SIM is locked
		`AT+CPIN="1234";+CREG?;+COPS?` + "\r", // unlocked
		`AT+CPIN="1";+CPIN="2";+CPINR="SIM*"` + "\r",
		`AT+CGDCONT=2,"IP","x";+CGDCONT?` + "\r",
		`AT+CGDATA="PPP",1` + "\r",
		"ATD*99***1#\r\x7e\xff\x7d\x23", // PPP after CONNECT
		"ATH;O;+CGACT?\r",
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := newDCE(NewModem(ModemConfig{PIN: "1234", Clock: clock.NewManual(time.Unix(1e9, 0))}), nil)
		for len(in) > 0 && !d.eng.Online() {
			in = in[d.eng.Input(in):]
		}
	})
}
