package fsm

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=State,Event,Action,Code -linecomment -output=names_string.go

// State is an automaton state (RFC 1661 §4.2).
type State uint8

// The ten states of RFC 1661 §4.2, numbered as in the state table.
const (
	Initial   State = iota // Initial
	Starting               // Starting
	Closed                 // Closed
	Stopped                // Stopped
	Closing                // Closing
	Stopping               // Stopping
	ReqSent                // Req-Sent
	AckRcvd                // Ack-Rcvd
	AckSent                // Ack-Sent
	Opened                 // Opened
	numStates              // -
)

// Event is an automaton event (RFC 1661 §4.3).
type Event uint8

// The events of RFC 1661 §4.3.
const (
	Up        Event = iota // Up
	Down                   // Down
	Open                   // Open
	Close                  // Close
	TOPlus                 // TO+
	TOMinus                // TO-
	RCRPlus                // RCR+
	RCRMinus               // RCR-
	RCA                    // RCA
	RCN                    // RCN
	RTR                    // RTR
	RTA                    // RTA
	RUC                    // RUC
	RXJPlus                // RXJ+
	RXJMinus               // RXJ-
	RXR                    // RXR
	numEvents              // -
)

// Action is an automaton action (RFC 1661 §4.4).
type Action uint8

// The actions of RFC 1661 §4.4.
const (
	TLU Action = iota // tlu
	TLD               // tld
	TLS               // tls
	TLF               // tlf
	IRC               // irc
	ZRC               // zrc
	SCR               // scr
	SCA               // sca
	SCN               // scn
	STR               // str
	STA               // sta
	SCJ               // scj
	SER               // ser
)

// Code is the Code field of an LCP or NCP packet (RFC 1661 §5). Codes 1 to
// 7 are common to every protocol using this automaton; 8 to 11 are LCP's.
type Code uint8

// Packet codes (RFC 1661 §5.1 to §5.8).
const (
	ConfigureRequest Code = 1  // ConfReq
	ConfigureAck     Code = 2  // ConfAck
	ConfigureNak     Code = 3  // ConfNak
	ConfigureReject  Code = 4  // ConfRej
	TerminateRequest Code = 5  // TermReq
	TerminateAck     Code = 6  // TermAck
	CodeReject       Code = 7  // CodeRej
	ProtocolReject   Code = 8  // ProtRej
	EchoRequest      Code = 9  // EchoReq
	EchoReply        Code = 10 // EchoRep
	DiscardRequest   Code = 11 // DiscReq
)
