package auth

import (
	"bytes"
	"encoding/hex"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seq returns the octets 0, 1, ..., n-1.
func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// unhex decodes a hex string, failing loudly on a typo in a test vector.
func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// md5Vectors were computed independently of MD5Response with the shell:
//
//	printf '\x2as3cr3t\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f' | md5sum
//	printf '\x01secret\xde\xad\xbe\xef' | md5sum
var md5Vectors = []struct {
	name      string
	id        uint8
	secret    []byte
	challenge []byte
	want      []byte
}{
	{
		name: "16-octet challenge", id: 0x2a, secret: []byte("s3cr3t"), challenge: seq(16),
		want: unhex("c26509fed6bab294085336fe900671f5"),
	},
	{
		name: "4-octet challenge", id: 0x01, secret: []byte("secret"), challenge: unhex("deadbeef"),
		want: unhex("816e5cad18ced100f1b4bc86d990f6bc"),
	},
}

func TestMD5Response(t *testing.T) {
	for _, tt := range md5Vectors {
		t.Run(tt.name, func(t *testing.T) {
			got := MD5Response(tt.id, tt.secret, tt.challenge)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MD5Response (-want +got):\n%s", diff)
			}
		})
	}
}

// chapChallengeCases are Challenges and Responses as RFC 1994 §4.1 lays
// them out; they also seed FuzzChallenge.
var chapChallengeCases = []wireCase[Challenge]{
	{
		name: "Challenge",
		b: [][]byte{
			{0x01},       // Code: Challenge
			{0x2a},       // Identifier
			{0x00, 0x1d}, // Length: 4 + 1 + 16 + 8
			{0x10},       // Value-Size
			seq(16),      // Value
			[]byte("gprs-sim"),
		},
		want: Challenge{Code: CodeChallenge, Identifier: 0x2a, Value: seq(16), Name: []byte("gprs-sim")},
	},
	{
		name: "Response with MD5 value",
		b: [][]byte{
			{0x02},       // Code: Response
			{0x2a},       // Identifier
			{0x00, 0x19}, // Length: 4 + 1 + 16 + 4
			{0x10},       // Value-Size
			unhex("c26509fed6bab294085336fe900671f5"), // MD5(0x2a || "s3cr3t" || 00..0f)
			[]byte("user"),
		},
		want: Challenge{Code: CodeResponse, Identifier: 0x2a, Value: unhex("c26509fed6bab294085336fe900671f5"), Name: []byte("user")},
	},
	{
		name: "Challenge without Name",
		b:    [][]byte{{0x01}, {0x09}, {0x00, 0x06}, {0x01}, {0xff}},
		want: Challenge{Code: CodeChallenge, Identifier: 9, Value: []byte{0xff}},
	},
	{
		name: "longest Value",
		b:    [][]byte{{0x01}, {0x00}, {0x01, 0x05}, {0xff}, bytes.Repeat([]byte{0x5a}, 255), []byte("n")},
		want: Challenge{Code: CodeChallenge, Value: bytes.Repeat([]byte{0x5a}, 255), Name: []byte("n")},
	},
	{
		name:      "padding after Length is ignored",
		b:         [][]byte{{0x02}, {0x03}, {0x00, 0x07}, {0x01}, {0x11}, []byte("n"), {0x00, 0x00}},
		want:      Challenge{Code: CodeResponse, Identifier: 3, Value: []byte{0x11}, Name: []byte("n")},
		canonical: [][]byte{{0x02}, {0x03}, {0x00, 0x07}, {0x01}, {0x11}, []byte("n")},
	},
}

// chapResultCases are Successes and Failures (RFC 1994 §4.2); they also
// seed FuzzResult.
var chapResultCases = []wireCase[Result]{
	{
		name: "Success",
		b: [][]byte{
			{0x03},       // Code: Success
			{0x2a},       // Identifier
			{0x00, 0x12}, // Length: 4 + 14
			[]byte("Access granted"),
		},
		want: Result{Code: CodeSuccess, Identifier: 0x2a, Message: []byte("Access granted")},
	},
	{
		name: "Failure",
		b: [][]byte{
			{0x04},       // Code: Failure
			{0x01},       // Identifier
			{0x00, 0x11}, // Length: 4 + 13
			[]byte("Access denied"),
		},
		want: Result{Code: CodeFailure, Identifier: 1, Message: []byte("Access denied")},
	},
	{
		name: "Success without message",
		b:    [][]byte{{0x03}, {0x07}, {0x00, 0x04}},
		want: Result{Code: CodeSuccess, Identifier: 7},
	},
	{
		name:      "padding after Length is ignored",
		b:         [][]byte{{0x04}, {0x08}, {0x00, 0x05}, []byte("x"), {0xff}},
		want:      Result{Code: CodeFailure, Identifier: 8, Message: []byte("x")},
		canonical: [][]byte{{0x04}, {0x08}, {0x00, 0x05}, []byte("x")},
	},
}

func TestChallengeWire(t *testing.T) {
	testWire(t, chapChallengeCases)
}

func TestResultWire(t *testing.T) {
	testWire(t, chapResultCases)
}

func TestChallengeParseErrors(t *testing.T) {
	testParseErrors[Challenge](t, []parseErrorCase{
		{name: "empty", b: nil, want: io.ErrUnexpectedEOF},
		{name: "no Value-Size", b: [][]byte{{0x01}, {0x01}, {0x00, 0x04}}, want: io.ErrUnexpectedEOF},
		{name: "Value overruns", b: [][]byte{{0x01}, {0x01}, {0x00, 0x07}, {0x03}, {0x01, 0x02}}, want: io.ErrUnexpectedEOF},
		{name: "empty Value", b: [][]byte{{0x01}, {0x01}, {0x00, 0x06}, {0x00}, []byte("n")}, want: errEmptyValue},
		{name: "Success code", b: [][]byte{{0x03}, {0x01}, {0x00, 0x06}, {0x01}, {0x00}}, want: errCode},
		{name: "unknown code", b: [][]byte{{0x05}, {0x01}, {0x00, 0x06}, {0x01}, {0x00}}, want: errCode},
	})
}

func TestResultParseErrors(t *testing.T) {
	testParseErrors[Result](t, []parseErrorCase{
		{name: "short header", b: [][]byte{{0x03, 0x01}}, want: io.ErrUnexpectedEOF},
		{name: "Challenge code", b: [][]byte{{0x01}, {0x01}, {0x00, 0x06}, {0x01}, {0x00}}, want: errCode},
		{name: "zero code", b: [][]byte{{0x00}, {0x01}, {0x00, 0x04}}, want: errCode},
	})
}

func TestCHAPMarshalErrors(t *testing.T) {
	testMarshalErrors(t, []marshalErrorCase{
		{name: "empty Value", p: Challenge{Code: CodeChallenge}, want: errEmptyValue},
		{name: "Value too long", p: Challenge{Code: CodeResponse, Value: make([]byte, 256)}, want: errFieldLength},
		{name: "Name too long", p: Challenge{Code: CodeChallenge, Value: []byte{1}, Name: make([]byte, 0xffff-5)}, want: errFieldLength},
		{name: "Challenge with Success code", p: Challenge{Code: CodeSuccess, Value: []byte{1}}, want: errCode},
		{name: "Result with Response code", p: Result{Code: CodeResponse}, want: errCode},
		{name: "Message too long", p: Result{Code: CodeFailure, Message: make([]byte, 0xffff-3)}, want: errFieldLength},
	})
}

func TestChallengeLongestName(t *testing.T) {
	c := Challenge{Code: CodeChallenge, Value: []byte{1}, Name: make([]byte, 0xffff-6)}
	b, err := c.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	if len(b) != 0xffff {
		t.Errorf("len = %d, want %d", len(b), 0xffff)
	}
}

func TestChallengeString(t *testing.T) {
	c := Challenge{Code: CodeResponse, Identifier: 3, Value: MD5Response(3, []byte("s3cr3t"), seq(16)), Name: []byte("user")}
	got := c.String()
	want := `Response id=3 value=<16 octets> name="user"`
	if got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}
