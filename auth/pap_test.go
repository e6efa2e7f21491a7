package auth

import (
	"bytes"
	"io"
	"testing"

	"github.com/gprsppp/gprsppp/ppp"
)

// papRequestCases are Authenticate-Requests as RFC 1334 §2.2.1 lays them
// out; they also seed FuzzAuthenticateRequest.
var papRequestCases = []wireCase[AuthenticateRequest]{
	{
		name: "user and password",
		b: [][]byte{
			{0x01},       // Code: Authenticate-Request
			{0x01},       // Identifier
			{0x00, 0x0e}, // Length: 4 + 1 + 4 + 1 + 4
			{0x04},       // Peer-ID Length
			[]byte("user"),
			{0x04}, // Passwd-Length
			[]byte("pass"),
		},
		want: AuthenticateRequest{Identifier: 1, PeerID: []byte("user"), Password: []byte("pass")},
	},
	{
		name: "empty password",
		b: [][]byte{
			{0x01},       // Code
			{0x07},       // Identifier
			{0x00, 0x0e}, // Length
			{0x08},       // Peer-ID Length
			[]byte("internet"),
			{0x00}, // Passwd-Length
		},
		want: AuthenticateRequest{Identifier: 7, PeerID: []byte("internet")},
	},
	{
		name: "longest fields",
		b: [][]byte{
			{0x01},       // Code
			{0xff},       // Identifier
			{0x02, 0x04}, // Length: 4 + 256 + 256
			{0xff},       // Peer-ID Length
			bytes.Repeat([]byte{'u'}, 255),
			{0xff}, // Passwd-Length
			bytes.Repeat([]byte{'p'}, 255),
		},
		want: AuthenticateRequest{Identifier: 0xff, PeerID: bytes.Repeat([]byte{'u'}, 255), Password: bytes.Repeat([]byte{'p'}, 255)},
	},
	{
		name: "padding after Length is ignored",
		b: [][]byte{
			{0x01}, {0x02}, {0x00, 0x08},
			{0x01}, []byte("u"), {0x01}, []byte("p"),
			{0x00, 0x00, 0x00}, // padding beyond Length (RFC 1661 §5)
		},
		want:      AuthenticateRequest{Identifier: 2, PeerID: []byte("u"), Password: []byte("p")},
		canonical: [][]byte{{0x01}, {0x02}, {0x00, 0x08}, {0x01}, []byte("u"), {0x01}, []byte("p")},
	},
	{
		name: "octets after Password are ignored",
		b: [][]byte{
			{0x01}, {0x03}, {0x00, 0x0a},
			{0x01}, []byte("u"), {0x01}, []byte("p"),
			{0xaa, 0xbb}, // inside Length, after the Password
		},
		want:      AuthenticateRequest{Identifier: 3, PeerID: []byte("u"), Password: []byte("p")},
		canonical: [][]byte{{0x01}, {0x03}, {0x00, 0x08}, {0x01}, []byte("u"), {0x01}, []byte("p")},
	},
}

// papReplyCases are Authenticate-Acks and -Naks (RFC 1334 §2.2.2); they
// also seed FuzzAuthenticateReply.
var papReplyCases = []wireCase[AuthenticateReply]{
	{
		name: "Ack",
		b: [][]byte{
			{0x02},       // Code: Authenticate-Ack
			{0x01},       // Identifier
			{0x00, 0x0d}, // Length: 4 + 1 + 8
			{0x08},       // Msg-Length
			[]byte("Login ok"),
		},
		want: AuthenticateReply{Code: CodeAuthenticateAck, Identifier: 1, Message: []byte("Login ok")},
	},
	{
		name: "Nak",
		b: [][]byte{
			{0x03},       // Code: Authenticate-Nak
			{0x02},       // Identifier
			{0x00, 0x14}, // Length: 4 + 1 + 15
			{0x0f},       // Msg-Length
			[]byte("Login incorrect"),
		},
		want: AuthenticateReply{Code: CodeAuthenticateNak, Identifier: 2, Message: []byte("Login incorrect")},
	},
	{
		name: "Ack without message",
		b:    [][]byte{{0x02}, {0x03}, {0x00, 0x05}, {0x00}},
		want: AuthenticateReply{Code: CodeAuthenticateAck, Identifier: 3},
	},
	{
		name:      "Ack without Msg-Length field",
		b:         [][]byte{{0x02}, {0x04}, {0x00, 0x04}},
		want:      AuthenticateReply{Code: CodeAuthenticateAck, Identifier: 4},
		canonical: [][]byte{{0x02}, {0x04}, {0x00, 0x05}, {0x00}},
	},
	{
		name:      "octets after Message are ignored",
		b:         [][]byte{{0x03}, {0x05}, {0x00, 0x08}, {0x01}, []byte("x"), {0x01, 0x02}},
		want:      AuthenticateReply{Code: CodeAuthenticateNak, Identifier: 5, Message: []byte("x")},
		canonical: [][]byte{{0x03}, {0x05}, {0x00, 0x06}, {0x01}, []byte("x")},
	},
}

func TestAuthenticateRequestWire(t *testing.T) {
	testWire(t, papRequestCases)
}

func TestAuthenticateReplyWire(t *testing.T) {
	testWire(t, papReplyCases)
}

func TestAuthenticateRequestParseErrors(t *testing.T) {
	testParseErrors[AuthenticateRequest](t, []parseErrorCase{
		{name: "empty", b: nil, want: io.ErrUnexpectedEOF},
		{name: "short header", b: [][]byte{{0x01, 0x01, 0x00}}, want: io.ErrUnexpectedEOF},
		{name: "Length below header", b: [][]byte{{0x01}, {0x01}, {0x00, 0x03}}, want: ppp.ErrLength},
		{name: "Length beyond data", b: [][]byte{{0x01}, {0x01}, {0x00, 0x09}, {0x01}, []byte("u"), {0x00}}, want: ppp.ErrLength},
		{name: "no Peer-ID Length", b: [][]byte{{0x01}, {0x01}, {0x00, 0x04}}, want: io.ErrUnexpectedEOF},
		{name: "Peer-ID overruns", b: [][]byte{{0x01}, {0x01}, {0x00, 0x07}, {0x03}, []byte("us")}, want: io.ErrUnexpectedEOF},
		{name: "no Passwd-Length", b: [][]byte{{0x01}, {0x01}, {0x00, 0x06}, {0x01}, []byte("u")}, want: io.ErrUnexpectedEOF},
		{name: "Password overruns Length", b: [][]byte{{0x01}, {0x01}, {0x00, 0x08}, {0x01}, []byte("u"), {0x02}, []byte("pw")}, want: io.ErrUnexpectedEOF},
		{name: "Ack code", b: [][]byte{{0x02}, {0x01}, {0x00, 0x05}, {0x00}}, want: errCode},
	})
}

func TestAuthenticateReplyParseErrors(t *testing.T) {
	testParseErrors[AuthenticateReply](t, []parseErrorCase{
		{name: "empty", b: nil, want: io.ErrUnexpectedEOF},
		{name: "Message overruns", b: [][]byte{{0x02}, {0x01}, {0x00, 0x06}, {0x05}, []byte("x")}, want: io.ErrUnexpectedEOF},
		{name: "Request code", b: [][]byte{{0x01}, {0x01}, {0x00, 0x06}, {0x00}, {0x00}}, want: errCode},
		{name: "unknown code", b: [][]byte{{0x04}, {0x01}, {0x00, 0x05}, {0x00}}, want: errCode},
	})
}

func TestPAPMarshalErrors(t *testing.T) {
	long := bytes.Repeat([]byte{'x'}, 256)
	testMarshalErrors(t, []marshalErrorCase{
		{name: "Peer-ID too long", p: AuthenticateRequest{PeerID: long}, want: errFieldLength},
		{name: "Password too long", p: AuthenticateRequest{PeerID: []byte("u"), Password: long}, want: errFieldLength},
		{name: "reply Message too long", p: AuthenticateReply{Code: CodeAuthenticateAck, Message: long}, want: errFieldLength},
		{name: "reply with Request code", p: AuthenticateReply{Code: CodeAuthenticateRequest}, want: errCode},
		{name: "reply without code", p: AuthenticateReply{}, want: errCode},
	})
}

func TestAuthenticateRequestString(t *testing.T) {
	r := AuthenticateRequest{Identifier: 9, PeerID: []byte("user\n"), Password: []byte("s3cr3t")}
	got := r.String()
	want := `Authenticate-Request id=9 peer-id="user?" password=<6 octets>`
	if got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}
