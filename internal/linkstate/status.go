package linkstate

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/dialer"
)

// State is where the supervisor is.
type State int

// The states, in the order a link goes through them.
const (
	// Dialing: the modem is being dialled and PPP negotiated.
	Dialing State = iota
	// Up: a link is up.
	Up
	// Down: the last link ended or the last dial failed; with Persist
	// the supervisor waits out its hold-off and redials.
	Down
	// Stopped: the supervisor has returned.
	Stopped
)

var stateNames = [...]string{Dialing: "dialing", Up: "up", Down: "down", Stopped: "stopped"}

func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; an unknown name is
// kept as an invalid State rather than refused, so that a newer server's
// states still decode.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if n == string(b) {
			*s = State(i)
			return nil
		}
	}
	*s = -1
	return nil
}

// Status is a link's status as the control socket reports it; its JSON
// form is the reply to {"cmd":"status"}.
type Status struct {
	// Name is the link's name.
	Name string `json:"name"`
	// Device names the modem's line.
	Device string `json:"device"`
	// State is where the supervisor is, since Since.
	State State     `json:"state"`
	Since time.Time `json:"since"`
	// Address, Peer and DNS are what IPCP agreed for the current or last
	// link.
	Address netip.Addr   `json:"address"`
	Peer    netip.Addr   `json:"peer"`
	DNS     []netip.Addr `json:"dns"`
	// IPv6 are the link's IPv6 addresses, the link-local one first, then
	// those SLAAC formed from router advertisements; IPv6Peer is the
	// peer's link-local address and IPv6DNS the DNS servers router
	// advertisements gave (RFC 8106). All empty without IPv6CP. They
	// follow the link as advertisements come and go.
	IPv6     []netip.Addr `json:"ipv6,omitempty"`
	IPv6Peer netip.Addr   `json:"ipv6_peer,omitzero"`
	IPv6DNS  []netip.Addr `json:"ipv6_dns,omitempty"`
	// Uptime is how long the current link has been up; zero if none is.
	Uptime time.Duration `json:"uptime_ns"`
	// Link counts the current link's traffic (zero if none is up); Total
	// that of every link since the start.
	Link  gprsppp.Stats `json:"link"`
	Total gprsppp.Stats `json:"total"`
	// Redials counts dials after the first.
	Redials int `json:"redials"`
	// LastReason is why the last link ended or the last dial failed.
	LastReason string `json:"last_reason,omitempty"`
	// Speed is the text after the modem's CONNECT.
	Speed string `json:"speed,omitempty"`
	// Signal is the modem's last AT+CSQ answer, "<rssi>,<ber>", read at
	// SignalAt (a dial); Registration its last registration line.
	Signal       string    `json:"signal,omitempty"`
	SignalAt     time.Time `json:"signal_at"`
	Registration string    `json:"registration,omitempty"`
	// Modem is what the monitor on the modem's AT channel last read
	// (connect --cmux), nil without one; Signal, SignalAt and
	// Registration follow it.
	Modem *dialer.ModemStatus `json:"modem,omitempty"`
	// PID is the process that holds the modem's line.
	PID int `json:"pid,omitempty"`
	// ATChannel says the modem runs a multiplexer with an AT channel
	// beside the data (connect --cmux), through which the control
	// socket's "at" command talks to it.
	ATChannel bool `json:"at_channel,omitempty"`
	// TUN names the TUN interface carrying the host's packets over the
	// link (connect --tun), empty without one; TUNDrops counts the
	// packets lost between it and the links (TUN.Drops).
	TUN      string `json:"tun,omitempty"`
	TUNDrops uint64 `json:"tun_drops,omitempty"`
}

// Drops sums the counters of frames and packets dropped, bad FCS aside
// (ACKs the output queue filtered are not lost: a newer one replaced
// them).
func Drops(s gprsppp.Stats) uint64 {
	return s.Aborts + s.TooLong + s.Runts + s.BadHeaders + s.ControlDrops + s.IPDrops + s.QueueDrops + s.CodelDrops
}

// RSSI returns the <rssi> of an AT+CSQ answer (3GPP TS 27.007 §8.5): 0
// (-113 dBm or less) to 31 (-51 dBm or more); false if it is missing or
// 99 (not known).
func RSSI(csq string) (int, bool) {
	rssi, _, _ := strings.Cut(csq, ",")
	n, err := strconv.Atoi(strings.TrimSpace(rssi))
	if err != nil || n < 0 || n > 31 {
		return 0, false
	}
	return n, true
}

// DBm converts an <rssi> to dBm.
func DBm(rssi int) int { return -113 + 2*rssi }

// EventKind says what happened.
type EventKind int

// The events.
const (
	// EventDialing: a dial starts (a redial if Status.Redials > 0).
	EventDialing EventKind = iota
	// EventDialFailed: a dial failed with Err.
	EventDialFailed
	// EventUp: Link is up.
	EventUp
	// EventDown: Link ended, with Err, after Duration, having counted
	// Stats.
	EventDown
	// EventChanged: the link that is up renegotiated or a router
	// advertisement changed its IPv6 addresses or DNS servers; Status
	// has the new ones.
	EventChanged
)

// Event is one change, with the status just after it.
type Event struct {
	Kind     EventKind
	Link     *gprsppp.Link
	Err      error
	Duration time.Duration
	Stats    gprsppp.Stats
	Status   Status
}
