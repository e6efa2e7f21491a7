package at

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLine(t *testing.T) {
	tests := []struct {
		name    string
		body    string // after "AT"
		want    []Command
		wantErr bool
	}{
		{name: "empty", body: ""},
		{name: "basic", body: "E0", want: []Command{{Name: "E", Arg: "0"}}},
		{name: "basic without a number", body: "e", want: []Command{{Name: "E"}}},
		{name: "several basic", body: "E0 V1q0&F\\Q3&c1", want: []Command{
			{Name: "E", Arg: "0"}, {Name: "V", Arg: "1"}, {Name: "Q", Arg: "0"},
			{Name: "&F"}, {Name: `\Q`, Arg: "3"}, {Name: "&C", Arg: "1"},
		}},
		{name: "S-parameters", body: "S7=60S0?S12", want: []Command{
			{Name: "S7", Op: Set, Arg: "60"}, {Name: "S0", Op: Read}, {Name: "S12"},
		}},
		{name: "extended", body: "+CREG?;+CMEE=2;+CGDCONT=?;+CSQ", want: []Command{
			{Name: "+CREG", Op: Read}, {Name: "+CMEE", Op: Set, Arg: "2"}, {Name: "+CGDCONT", Op: Test}, {Name: "+CSQ"},
		}},
		{name: "strings keep case, spaces and semicolons", body: `+cgdcont=1, "IP", "Apn.Ex; ample";e0`, want: []Command{
			{Name: "+CGDCONT", Op: Set, Arg: `1,"IP","Apn.Ex; ample"`}, {Name: "E", Arg: "0"},
		}},
		{name: "basic then extended", body: "E0+CSQ", want: []Command{{Name: "E", Arg: "0"}, {Name: "+CSQ"}}},
		{name: "dial takes the rest", body: "E0D*99***1#;+CSQ", want: []Command{{Name: "E", Arg: "0"}, {Name: "D", Arg: "*99***1#;+CSQ"}}},
		{name: "vendor prefixes", body: "^SYSINFO;#SD=1,0,80,host;$QCPDPP?;%CGEREP=1", want: []Command{
			{Name: "^SYSINFO"}, {Name: "#SD", Op: Set, Arg: "1,0,80,HOST"}, {Name: "$QCPDPP", Op: Read}, {Name: "%CGEREP", Op: Set, Arg: "1"},
		}},
		{name: "stray semicolons", body: ";+CSQ;;", want: []Command{{Name: "+CSQ"}}},
		{name: "unterminated string", body: `+COPS=1,0,"x`, wantErr: true},
		{name: "prefix alone", body: "#", wantErr: true},
		{name: "no name", body: "+=1", wantErr: true},
		{name: "extended without semicolon", body: "+CSQE0", want: []Command{{Name: "+CSQE0"}}},
		{name: "two extended without semicolon", body: "+CSQ+CREG?", wantErr: true},
		{name: "query then junk", body: "+CREG?E0", wantErr: true},
		{name: "ampersand alone", body: "&", wantErr: true},
		{name: "a digit", body: "5", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLine(tt.body)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	c := Command{Name: "+CGDCONT", Op: Set, Arg: `1,IP,"a,b",,"x"`}
	if diff := cmp.Diff([]string{"1", "IP", `"a,b"`, "", `"x"`}, c.Args()); diff != "" {
		t.Errorf("Args (-want +got)\n%s", diff)
	}
	for in, want := range map[string]string{`"a,b"`: "a,b", "IP": "IP", `"`: `"`, `""`: ""} {
		if got := Unquote(in); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBody(t *testing.T) {
	tests := []struct {
		line, body string
		ok         bool
	}{
		{"AT", "", true},
		{"at+csq", "+csq", true},
		{"~\x7d\x23xxAt&F", "&F", true},
		{"hello", "", false},
		{"A", "", false},
	}
	for _, tt := range tests {
		body, ok := Body(tt.line)
		if body != tt.body || ok != tt.ok {
			t.Errorf("Body(%q) = %q, %v; want %q, %v", tt.line, body, ok, tt.body, tt.ok)
		}
	}
}

// FuzzParseLine checks that the parser never panics and that parse →
// format → parse is stable.
func FuzzParseLine(f *testing.F) {
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
		"#SD=1,0,80,host,0,0,1",            // a vendor command, host unquoted
		"+CIFSR;E0",                        // TinyGSM's trailing E0
		"\x7e\xff\x7d\x23\xc0\x21\x01\x7e", // a PPP frame
	} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		cmds, err := ParseLine(body)
		if err != nil {
			return
		}
		text := FormatLine(cmds)
		again, err := ParseLine(text)
		if err != nil {
			t.Fatalf("%q parsed as %v, formatted as %q, which does not parse: %v", body, cmds, text, err)
		}
		if diff := cmp.Diff(cmds, again); diff != "" {
			t.Fatalf("%q → %q: (-first +second)\n%s", body, text, diff)
		}
	})
}
