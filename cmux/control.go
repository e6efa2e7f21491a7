package cmux

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// MsgType is the type of a multiplexer control message on DLCI 0 (TS
// 27.010 §5.4.6.3): the six type bits of its type octet.
type MsgType uint8

// Control message types.
const (
	MsgPN    MsgType = 0x20 // DLC parameter negotiation
	MsgPSC   MsgType = 0x10 // power saving control
	MsgCLD   MsgType = 0x30 // multiplexer close down
	MsgTest  MsgType = 0x08 // test: the peer echoes the value
	MsgFCon  MsgType = 0x28 // flow control on, all DLCs
	MsgFCoff MsgType = 0x18 // flow control off, all DLCs
	MsgMSC   MsgType = 0x38 // modem status command
	MsgNSC   MsgType = 0x04 // non supported command response
	MsgRPN   MsgType = 0x24 // remote port negotiation
	MsgRLS   MsgType = 0x14 // remote line status
	MsgSNC   MsgType = 0x34 // service negotiation
)

func (t MsgType) String() string {
	switch t {
	case MsgPN:
		return "PN"
	case MsgPSC:
		return "PSC"
	case MsgCLD:
		return "CLD"
	case MsgTest:
		return "Test"
	case MsgFCon:
		return "FCon"
	case MsgFCoff:
		return "FCoff"
	case MsgMSC:
		return "MSC"
	case MsgNSC:
		return "NSC"
	case MsgRPN:
		return "RPN"
	case MsgRLS:
		return "RLS"
	case MsgSNC:
		return "SNC"
	}
	return "MsgType(0x" + strconv.FormatUint(uint64(t), 16) + ")"
}

// Message is a multiplexer control message (TS 27.010 §5.4.6.1): a type
// octet (EA, C/R, six type bits), an EA-coded length and the value
// octets. Command is the type octet's C/R bit; a response echoes the
// command with it cleared.
type Message struct {
	Type    MsgType
	Command bool
	Value   []byte
}

func (m Message) String() string {
	kind := "response"
	if m.Command {
		kind = "command"
	}
	return fmt.Sprintf("%v %s % x", m.Type, kind, m.Value)
}

// typeOctet returns m's type octet.
func (m Message) typeOctet() byte {
	t := byte(m.Type)<<2 | 1
	if m.Command {
		t |= 2
	}
	return t
}

// Append appends m to b. Its length field (TS 27.010 §5.4.6.1) is EA
// coded in every octet, seven bits each, unlike a frame's, whose second
// length octet carries eight.
func (m Message) Append(b []byte) []byte {
	b = append(b, m.typeOctet())
	b = appendMsgLength(b, len(m.Value))
	return append(b, m.Value...)
}

// appendMsgLength appends n as a control message's length: seven bits an
// octet, least significant first, EA set on the last.
func appendMsgLength(b []byte, n int) []byte {
	for n > 0x7F {
		b = append(b, byte(n&0x7F)<<1)
		n >>= 7
	}
	return append(b, byte(n)<<1|1)
}

var errMsgEA = errors.New("cmux: control message field without EA")

// ParseMessage parses the control message at the start of b and returns
// it with the octets after it. Value aliases b. Truncated input gives
// io.ErrUnexpectedEOF.
func ParseMessage(b []byte) (Message, []byte, error) {
	if len(b) < 2 {
		return Message{}, nil, io.ErrUnexpectedEOF
	}
	t := b[0]
	if t&1 == 0 {
		return Message{}, nil, errMsgEA
	}
	m := Message{Type: MsgType(t >> 2), Command: t&2 != 0}
	n, i := 0, 1
	for shift := 0; ; shift += 7 {
		if i >= len(b) {
			return Message{}, nil, io.ErrUnexpectedEOF
		}
		if shift > 14 {
			return Message{}, nil, fmt.Errorf("cmux: control message length of more than 3 octets")
		}
		n |= int(b[i]>>1) << shift
		i++
		if b[i-1]&1 != 0 {
			break
		}
	}
	if len(b)-i < n {
		return Message{}, nil, io.ErrUnexpectedEOF
	}
	m.Value = b[i : i+n]
	return m, b[i+n:], nil
}

// V24 holds the signals of an MSC (TS 27.010 §5.4.6.3.7) as they sit in
// its signal octet.
type V24 uint8

// V24 signal bits.
const (
	FC  V24 = 0x02 // flow control: the sender cannot accept frames
	RTC V24 = 0x04 // ready to communicate (DTR / DSR)
	RTR V24 = 0x08 // ready to receive (RTS / CTS)
	IC  V24 = 0x40 // incoming call (RI)
	DV  V24 = 0x80 // data valid (DCD)
)

func (s V24) String() string {
	out := ""
	for _, b := range []struct {
		bit  V24
		name string
	}{{FC, "FC"}, {RTC, "RTC"}, {RTR, "RTR"}, {IC, "IC"}, {DV, "DV"}} {
		if s&b.bit != 0 {
			if out != "" {
				out += "|"
			}
			out += b.name
		}
	}
	if out == "" {
		return "none"
	}
	return out
}

// MSC is the value of a modem status command (TS 27.010 §5.4.6.3.7): the
// DLCI it is about, its V.24 signals and, optionally, a break octet.
type MSC struct {
	DLCI    int
	Signals V24
	Break   []byte // the optional break octet(s), as received
}

// Append appends the MSC value to b. The DLCI octet carries EA and the
// bit 2 that n_gsm and Zephyr set; the signal octet carries EA.
func (m MSC) Append(b []byte) []byte {
	b = append(b, byte(m.DLCI)<<2|3, byte(m.Signals)|1)
	return append(b, m.Break...)
}

// ParseMSC parses an MSC value.
func ParseMSC(b []byte) (MSC, error) {
	if len(b) < 2 {
		return MSC{}, io.ErrUnexpectedEOF
	}
	return MSC{DLCI: int(b[0] >> 2), Signals: V24(b[1] &^ 1), Break: b[2:]}, nil
}

// PN is the value of a DLC parameter negotiation (TS 27.010 §5.4.6.3.1).
type PN struct {
	DLCI      int
	FrameType uint8  // I bits: 0 UIH, 1 UI, 2 I
	CL        uint8  // convergence layer, 0 for type 1
	Priority  uint8  // 0 to 63
	T1        uint8  // acknowledgement timer, in 10 ms units
	N1        uint16 // maximum information field length
	N2        uint8  // maximum retransmissions
	K         uint8  // window size, error recovery mode only
}

// pnLen is the length of a PN value.
const pnLen = 8

// Append appends the PN value to b.
func (p PN) Append(b []byte) []byte {
	return append(b, byte(p.DLCI)&0x3F, p.FrameType&0x0F|p.CL<<4, p.Priority&0x3F,
		p.T1, byte(p.N1), byte(p.N1>>8), p.N2, p.K&0x07)
}

// ParsePN parses a PN value.
func ParsePN(b []byte) (PN, error) {
	if len(b) < pnLen {
		return PN{}, io.ErrUnexpectedEOF
	}
	return PN{
		DLCI:      int(b[0] & 0x3F),
		FrameType: b[1] & 0x0F,
		CL:        b[1] >> 4,
		Priority:  b[2] & 0x3F,
		T1:        b[3],
		N1:        uint16(b[4]) | uint16(b[5])<<8,
		N2:        b[6],
		K:         b[7] & 0x07,
	}, nil
}
