package shim

import (
	"cmp"
	"fmt"
	"strings"
)

// Dialect is the module a shim imitates toward its hosts: its command
// set, its result texts and its limits. The socket core under it
// (package modemsock) is the same for every dialect.
type Dialect int

// The dialects a shim speaks.
const (
	// DialectM95 is Quectel's QI* set of the GSM modules M95, M66, M26,
	// M35 and MC60: AT+QIOPEN, AT+QISEND, +QIRDI and AT+QIRD (seeds 001
	// and 002). It is the zero value.
	DialectM95 Dialect = iota
	// DialectBG96 is the QI* set of Quectel's LTE modules BG96, BG95 and
	// EC2x: AT+QICSGP and AT+QIACT=<ctx>, AT+QIOPEN=<ctx>,<id>,... with
	// +QIOPEN: <id>,<err>, buffer and push access modes, +QIURC.
	DialectBG96
	// DialectSIM800 is SIMCom's CIP* set of the SIM800 and SIM900:
	// AT+CSTT, AT+CIICR, AT+CIFSR, AT+CIPSTART, AT+CIPSEND, AT+CIPRXGET
	// and the AT+CIPSTATUS state machine (dialects.md §3).
	DialectSIM800
	// DialectMultiTech is the "IP Connectivity" #-command set of the
	// Wavecom IP stack in Multi-Tech's GPRS modems (S000333D): #APNSERV,
	// #CONNECTIONSTART, #TCPSERV/#TCPPORT, #OTCP, #OUDP and the listening
	// #LTCPSTART (seed 003), one session bridged with Ok_Info_* messages
	// and DLE/ETX framing, #CME ERROR codes.
	DialectMultiTech
	// DialectTelit is Telit's multisocket #S* set (GC864, GE865, HE910,
	// LE910, ME910): AT#SGACT or AT#GPRS, AT#SD, AT#SSEND(EXT) and
	// AT#SRECV, AT#SL and AT#SA with SRING, AT#SS, AT#SI and the AT#FRWL
	// firewall, on connection IDs 1 to 6; one module may have several AT
	// ports (Shim.ServePorts).
	DialectTelit
	// DialectSIM900 is DialectSIM800 as the SIM900 has it: eight
	// connections (0 to 7) under AT+CIPMUX=1, eight C: lines in
	// AT+CIPSTATUS, and the SIM900's identity (TinyGSM's
	// TINY_GSM_MODEM_SIM900 drives both with one driver).
	DialectSIM900
)

// dialectNames are the names ParseDialect takes, in Dialect order.
var dialectNames = [...]string{DialectM95: "m95", DialectBG96: "bg96", DialectSIM800: "sim800", DialectMultiTech: "multitech", DialectTelit: "telit", DialectSIM900: "sim900"}

// String returns the dialect's name as ParseDialect takes it.
func (d Dialect) String() string {
	if d >= 0 && int(d) < len(dialectNames) {
		return dialectNames[d]
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// DialectNames lists the names ParseDialect takes.
func DialectNames() []string { return append([]string(nil), dialectNames[:]...) }

// ParseDialect returns the dialect named s (case-insensitive).
func ParseDialect(s string) (Dialect, error) {
	for d, name := range dialectNames {
		if strings.EqualFold(s, name) {
			return Dialect(d), nil
		}
	}
	return 0, fmt.Errorf("unknown dialect %q: want one of %s", s, strings.Join(dialectNames[:], ", "))
}

// profile returns the limits of the dialect's module where p leaves
// them zero.
func (d Dialect) profile(p Profile) Profile {
	if d == DialectBG96 && p.MaxConnections == 0 {
		p.MaxConnections = bg96Sockets
	}
	if d == DialectTelit {
		p.MaxConnections = cmp.Or(p.MaxConnections, telitSockets)
		p.MaxSend = cmp.Or(p.MaxSend, telitMaxSend)
	}
	return p.withDefaults()
}
