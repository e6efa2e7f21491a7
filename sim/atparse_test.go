package sim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCommandLine(t *testing.T) {
	tests := []struct {
		name    string
		body    string // after "AT"
		want    []command
		wantErr bool
	}{
		{name: "empty", body: ""},
		{name: "basic", body: "E0", want: []command{{name: "E", arg: "0"}}},
		{name: "basic without a number", body: "e", want: []command{{name: "E"}}},
		{name: "several basic", body: "E0 V1q0&F\\Q3%C0", want: []command{
			{name: "E", arg: "0"}, {name: "V", arg: "1"}, {name: "Q", arg: "0"},
			{name: "&F"}, {name: `\Q`, arg: "3"}, {name: "%C", arg: "0"},
		}},
		{name: "S-parameters", body: "S7=60S0?S12", want: []command{
			{name: "S7", op: "=", arg: "60"}, {name: "S0", op: "?"}, {name: "S12"},
		}},
		{name: "extended", body: "+CREG?;+CMEE=2;+CGDCONT=?;+CSQ", want: []command{
			{name: "+CREG", op: "?"}, {name: "+CMEE", op: "=", arg: "2"}, {name: "+CGDCONT", op: "=?"}, {name: "+CSQ"},
		}},
		{name: "strings keep case, spaces and semicolons", body: `+cgdcont=1, "IP", "Apn.Ex; ample";e0`, want: []command{
			{name: "+CGDCONT", op: "=", arg: `1,"IP","Apn.Ex; ample"`}, {name: "E", arg: "0"},
		}},
		{name: "basic then extended", body: "E0+CSQ", want: []command{{name: "E", arg: "0"}, {name: "+CSQ"}}},
		{name: "dial takes the rest", body: "E0D*99***1#;+CSQ", want: []command{{name: "E", arg: "0"}, {name: "D", arg: "*99***1#;+CSQ"}}},
		{name: "vendor prefix", body: "^SYSINFO", want: []command{{name: "^SYSINFO"}}},
		{name: "stray semicolons", body: ";+CSQ;;", want: []command{{name: "+CSQ"}}},
		{name: "unterminated string", body: `+COPS=1,0,"x`, wantErr: true},
		{name: "not a command", body: "#", wantErr: true},
		{name: "no name", body: "+=1", wantErr: true},
		{name: "extended without semicolon", body: "+CSQE0", want: []command{{name: "+CSQE0"}}},
		{name: "two extended without semicolon", body: "+CSQ+CREG?", wantErr: true},
		{name: "query then junk", body: "+CREG?E0", wantErr: true},
		{name: "ampersand alone", body: "&", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCommandLine(tt.body)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(command{})); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// FuzzParseCommandLine checks that the parser never panics and that
// parse → format → parse is stable.
func FuzzParseCommandLine(f *testing.F) {
	for _, body := range []string{
		"",                                 // bare AT
		"E0V1Q0",                           // basic commands
		"S7=60S12?",                        // S-parameters
		"+CREG?;+CGREG?;+CEREG?",           // extended reads
		`+CGDCONT=1,"IP","internet"`,       // extended set with strings
		`+CPIN="1234"`,                     // quoted PIN
		"D*99***1#",                        // packet data dial
		`+CGDATA="PPP",1`,                  // the other dial
		"&F E1 +CMEE = 2 ; I",              // spaces
		`+COPS=1,2,"a;b"E0`,                // a semicolon in a string
		"\x7e\xff\x7d\x23\xc0\x21\x01\x7e", // a PPP frame
	} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		cmds, err := parseCommandLine(body)
		if err != nil {
			return
		}
		text := formatCommandLine(cmds)
		again, err := parseCommandLine(text)
		if err != nil {
			t.Fatalf("%q parsed as %v, formatted as %q, which does not parse: %v", body, cmds, text, err)
		}
		if diff := cmp.Diff(cmds, again, cmp.AllowUnexported(command{})); diff != "" {
			t.Fatalf("%q → %q: (-first +second)\n%s", body, text, diff)
		}
	})
}

// FuzzCommandInput feeds arbitrary bytes to the command mode of a modem,
// which must never panic on what the line brings.
func FuzzCommandInput(f *testing.F) {
	for _, in := range []string{
		"AT\r",
		"ATE0V0\rAT+CSQ\r",
		"A\bAT+CPIN?\n",
		`AT+CPIN="1234";+CREG?` + "\r",
		"ATS12=0S12?\r",
		"ATD*99#\r\x7e\xff\x7d\x23",
		"\xffAT\xfe+CGDCONT=1\r",
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := newDCE(NewModem(ModemConfig{PIN: "1234"}), nil)
		for len(in) > 0 && !d.data {
			in = in[d.commandInput(in):]
		}
	})
}
