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

// m95 is the Quectel M95's syntax, as the shim's M95 dialect uses it.
var m95 = Syntax{TypographicQuotes: true, AmpersandEnds: true, RawParameters: true}

func TestSyntaxParseLine(t *testing.T) {
	tests := []struct {
		name    string
		syntax  Syntax
		body    string
		want    []Command
		wantErr bool
	}{
		{name: "typographic quotes", syntax: Syntax{TypographicQuotes: true}, body: "+qidnscfg=\u201c1.1.1.1\u201d",
			want: []Command{{Name: "+QIDNSCFG", Op: Set, Arg: `"1.1.1.1"`}}},
		{name: "typographic quotes are text in V.250", body: "+X=\u201cA\u201d",
			want: []Command{{Name: "+X", Op: Set, Arg: "\u201cA\u201d"}}},
		{name: "ampersand ends", syntax: Syntax{AmpersandEnds: true}, body: "+IPR=115200&W",
			want: []Command{{Name: "+IPR", Op: Set, Arg: "115200"}, {Name: "&W"}}},
		{name: "ampersand in a string", syntax: Syntax{AmpersandEnds: true}, body: `+X="a&b"&W`,
			want: []Command{{Name: "+X", Op: Set, Arg: `"a&b"`}, {Name: "&W"}}},
		{name: "ampersand after a read", syntax: Syntax{AmpersandEnds: true}, body: "+IPR?&W",
			want: []Command{{Name: "+IPR", Op: Read}, {Name: "&W"}}},
		{name: "ampersand is a parameter in V.250", body: "+IPR=115200&W",
			want: []Command{{Name: "+IPR", Op: Set, Arg: "115200&W"}}},
		{name: "raw parameters keep case and spaces", syntax: Syntax{RawParameters: true}, body: `+qicsgp=1, cmnet ,"User";e0`,
			want: []Command{{Name: "+QICSGP", Op: Set, Arg: `1, cmnet ,"User"`}, {Name: "E", Arg: "0"}}},
		{name: "raw parameter ?", syntax: Syntax{RawParameters: true}, body: "#0= ?",
			want: []Command{{Name: "#0", Op: Set, Arg: " ?"}}},
		{name: "raw test form", syntax: Syntax{RawParameters: true}, body: "+X =?",
			want: []Command{{Name: "+X", Op: Test}}},
		{name: "spaced test form in V.250", body: "+X= ?", want: []Command{{Name: "+X", Op: Test}}},
		{name: "m95", syntax: m95, body: "+IPR=115200&w;+QIOPEN=0,\u201ctcp\u201d, host.Example ,80",
			want: []Command{{Name: "+IPR", Op: Set, Arg: "115200"}, {Name: "&W"},
				{Name: "+QIOPEN", Op: Set, Arg: `0,"tcp", host.Example ,80`}}},
		{name: "m95 junk after a name", syntax: m95, body: "+CSQ?E0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.syntax.ParseLine(tt.body)
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
// format → parse is stable, in V.250 and in the M95's syntax.
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
		"+IPR=115200&W",                    // M95: "&" ends an extended command
		"+QIDNSCFG=\u201c1.1.1.1\u201d",    // M95: typographic quotes
		"+QICSGP=1,cmnet, user ;+X= ?",     // M95: raw parameters
	} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, x := range []Syntax{{}, m95} {
			cmds, err := x.ParseLine(body)
			if err != nil {
				continue
			}
			text := FormatLine(cmds)
			again, err := x.ParseLine(text)
			if err != nil {
				t.Fatalf("%+v: %q parsed as %v, formatted as %q, which does not parse: %v", x, body, cmds, text, err)
			}
			if diff := cmp.Diff(cmds, again); diff != "" {
				t.Fatalf("%+v: %q → %q: (-first +second)\n%s", x, body, text, diff)
			}
		}
	})
}
