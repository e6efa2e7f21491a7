package dialer

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gprsppp/gprsppp/at"
)

// ModemStatus is what a Monitor read of the modem on its AT channel: the
// last answer (or unsolicited code) of each status command, as the modem
// sent it after the prefix, and when the last poll ended. Empty fields
// were never read (the modem does not know the command, or no poll ran).
type ModemStatus struct {
	// Signal is AT+CSQ's "<rssi>,<ber>" (3GPP TS 27.007 §8.5).
	Signal string `json:"signal,omitempty"`
	// ExtSignal is AT+CESQ's "<rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>"
	// (§8.69), where the modem supports it.
	ExtSignal string `json:"ext_signal,omitempty"`
	// CREG, CGREG and CEREG are the last registration lines, answer or
	// URC, whole ("+CEREG: 2,1,\"1A2B\",\"01C3D4E5\",7"), of the circuit
	// switched, GPRS and EPS domains (§7.2, §10.1.20, §10.1.22).
	CREG  string `json:"creg,omitempty"`
	CGREG string `json:"cgreg,omitempty"`
	CEREG string `json:"cereg,omitempty"`
	// Operator is AT+COPS?'s "<mode>[,<format>,<oper>[,<AcT>]]" (§7.3).
	Operator string `json:"cops,omitempty"`
	// Updated is when the last complete poll ended; zero before the
	// first.
	Updated time.Time `json:"updated"`
}

// regLines are a status's registration lines, in the order Registered
// prefers them.
func (s ModemStatus) regLines() []string { return []string{s.CEREG, s.CGREG, s.CREG} }

// Registration returns the registration <stat> the status shows: the
// first that carries data (home, roaming, or their CSFB forms) among
// +CEREG, +CGREG and +CREG, else the first known. ok is false if none
// is.
func (s ModemStatus) Registration() (stat int, ok bool) {
	first, found := 0, false
	for _, l := range s.regLines() {
		st, ok := RegistrationStat(l)
		if !ok {
			continue
		}
		switch st {
		case at.RegHome, at.RegRoaming, at.RegCSFBHome, at.RegCSFBRoaming:
			return st, true
		}
		if !found {
			first, found = st, true
		}
	}
	return first, found
}

// RegistrationLine returns the registration line Registration's <stat>
// comes from; empty if none.
func (s ModemStatus) RegistrationLine() string {
	stat, ok := s.Registration()
	if !ok {
		return ""
	}
	for _, l := range s.regLines() {
		if st, ok := RegistrationStat(l); ok && st == stat {
			return l
		}
	}
	return ""
}

// COPS is an AT+COPS? answer taken apart (3GPP TS 27.007 §7.3).
type COPS struct {
	Mode   int    // 0 automatic, 1 manual, 2 deregistered, 4 manual/automatic
	Format int    // of Name: 0 long alphanumeric, 1 short, 2 numeric (MCC MNC)
	Name   string // the operator; empty when not registered
	AcT    int    // access technology (AcTName); -1 if not given
}

// ParseCOPS parses the parameters of a +COPS: answer, the part after the
// prefix: "<mode>[,<format>,<oper>[,<AcT>]]". The operator may hold
// commas.
func ParseCOPS(params string) (COPS, error) {
	c := COPS{AcT: -1}
	mode, rest, more := strings.Cut(strings.TrimSpace(params), ",")
	var err error
	if c.Mode, err = smallInt(mode); err != nil {
		return COPS{}, fmt.Errorf("dialer: +COPS: mode %q: %w", mode, err)
	}
	if !more {
		return c, nil
	}
	format, rest, _ := strings.Cut(rest, ",")
	if c.Format, err = smallInt(format); err != nil {
		return COPS{}, fmt.Errorf("dialer: +COPS: format %q: %w", format, err)
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, `"`) {
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return COPS{}, fmt.Errorf("dialer: +COPS: unterminated operator in %q", params)
		}
		c.Name, rest = rest[1:1+end], strings.TrimSpace(rest[2+end:])
		if rest != "" && rest[0] != ',' {
			return COPS{}, fmt.Errorf("dialer: +COPS: text after the operator in %q", params)
		}
		rest = strings.TrimPrefix(rest, ",")
	} else {
		// Some modems leave a numeric operator unquoted.
		c.Name, rest, _ = strings.Cut(rest, ",")
		c.Name = strings.TrimSpace(c.Name)
	}
	if rest = strings.TrimSpace(rest); rest != "" {
		if c.AcT, err = smallInt(rest); err != nil {
			return COPS{}, fmt.Errorf("dialer: +COPS: AcT %q: %w", rest, err)
		}
	}
	return c, nil
}

// smallInt parses a decimal parameter of 0 to 255.
func smallInt(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	if n < 0 || n > 255 {
		return 0, fmt.Errorf("%d out of range", n)
	}
	return n, nil
}

// actNames are the <AcT>s of 3GPP TS 27.007 §7.3.
var actNames = [...]string{
	0: "GSM", 1: "GSM Compact", 2: "UTRAN", 3: "GSM w/EGPRS", 4: "UTRAN w/HSDPA",
	5: "UTRAN w/HSUPA", 6: "UTRAN w/HSDPA and HSUPA", 7: "E-UTRAN", 8: "EC-GSM-IoT",
	9: "E-UTRAN (NB-S1)", 10: "E-UTRA-5GCN", 11: "NR-5GCN", 12: "NG-RAN", 13: "E-UTRA-NR dual",
}

// AcTName names an access technology; "" for -1 (not given).
func AcTName(act int) string {
	switch {
	case act < 0:
		return ""
	case act < len(actNames):
		return actNames[act]
	}
	return "AcT " + strconv.Itoa(act)
}

// CESQ is an AT+CESQ answer taken apart (3GPP TS 27.007 §8.69). Each
// field is the modem's index; 99 (rxlev, ber) or 255 (the others) means
// not known or not measured on the current access technology.
type CESQ struct {
	RxLev, BER, RSCP, EcNo, RSRQ, RSRP int
}

// ParseCESQ parses the parameters of a +CESQ: answer:
// "<rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>".
func ParseCESQ(params string) (CESQ, error) {
	f := strings.Split(params, ",")
	if len(f) != 6 {
		return CESQ{}, fmt.Errorf("dialer: +CESQ: %d fields in %q, want 6", len(f), params)
	}
	var v [6]int
	for i := range f {
		n, err := smallInt(f[i])
		if err != nil {
			return CESQ{}, fmt.Errorf("dialer: +CESQ: field %d %q: %w", i+1, f[i], err)
		}
		v[i] = n
	}
	return CESQ{v[0], v[1], v[2], v[3], v[4], v[5]}, nil
}

// RSRPdBm returns the reference signal received power in dBm, the lower
// end of the index's range (0 is below -140 dBm, 97 is -44 dBm or
// more); false if it is not known.
func (c CESQ) RSRPdBm() (int, bool) {
	if c.RSRP > 97 {
		return 0, false
	}
	return -141 + c.RSRP, true
}

// ParseCSQ parses the parameters of a +CSQ: answer, "<rssi>,<ber>"
// (3GPP TS 27.007 §8.5).
func ParseCSQ(params string) (rssi, ber int, err error) {
	r, b, ok := strings.Cut(params, ",")
	if !ok {
		return 0, 0, fmt.Errorf("dialer: +CSQ: no <ber> in %q", params)
	}
	if rssi, err = smallInt(r); err != nil {
		return 0, 0, fmt.Errorf("dialer: +CSQ: rssi %q: %w", r, err)
	}
	if ber, err = smallInt(b); err != nil {
		return 0, 0, fmt.Errorf("dialer: +CSQ: ber %q: %w", b, err)
	}
	return rssi, ber, nil
}

// Summary says the status in a few words for a log or the ready line:
// "signal -73 dBm (CSQ 20,99), RSRP -95 dBm, registered, home, operator
// "Telekom" on E-UTRAN". Empty if nothing is known.
func (s ModemStatus) Summary() string {
	var parts []string
	if s.Signal != "" {
		parts = append(parts, fmt.Sprintf("signal %s dBm (CSQ %s)", csqDBm(s.Signal), s.Signal))
	}
	if c, err := ParseCESQ(s.ExtSignal); err == nil {
		if dbm, ok := c.RSRPdBm(); ok {
			parts = append(parts, fmt.Sprintf("RSRP %d dBm", dbm))
		}
	}
	if stat, ok := s.Registration(); ok {
		parts = append(parts, regStatWords(stat))
	}
	if c, err := ParseCOPS(s.Operator); err == nil && c.Name != "" {
		op := fmt.Sprintf("operator %q", c.Name)
		if act := AcTName(c.AcT); act != "" {
			op += " on " + act
		}
		parts = append(parts, op)
	}
	return strings.Join(parts, ", ")
}
