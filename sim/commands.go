package sim

import (
	"maps"
	"slices"
	"strings"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/at"
	atdce "github.com/gprsppp/gprsppp/at/dce"
)

// Identification the modem reports.
const (
	manufacturer = "gprsppp"
	model        = "gprsppp-sim"
	revision     = "1.0"
	imei         = "350000000000001"
	imsi         = "001010000000001"
	operator     = "GPRSPPP"
)

// commands returns the modem's command table, on top of the engine's
// built-in V.250 and 27.007 basics.
func (d *dce) commands() map[string]atdce.Handler {
	cmds := map[string]atdce.Handler{
		"H":        d.hangupCommand,
		"O":        d.online,
		"D":        d.dialNumber,
		"A":        reply(at.NoCarrier), // nobody is calling
		"+CPINR":   d.cpinr,
		"+CGDCONT": d.cgdcont,
		"+COPS":    d.cops,
		"+CGATT":   d.cgatt,
		"+CGDATA":  d.cgdata,
		"+CGACT":   d.cgact,
		"+CFUN":    query("+CFUN: 1"),
		"+IPR":     d.ipr,
		"+CIMI":    d.cimi,
		"+GCAP":    text("+GCAP: +CGSM", ""),
		"+CMUX":    d.cmuxCommand,
	}
	// Settings with no meaning on a simulated line.
	for _, n := range []string{"X", "L", "M", "&K", "&S", "&W", "&V", `\Q`, `\N`,
		"+IFC", "+ICF", "+CBST", "+CRC", "+CSCS", "+CMGF", "+CNMI", "+CGEREP", "+CGQREQ", "+CGQMIN", "+CTZR"} {
		cmds[n] = reply(nil)
	}
	return cmds
}

// reply is a command that always ends with err (nil: OK).
func reply(err error) atdce.Handler {
	return func(*atdce.Engine, at.Command) error { return err }
}

// Identity is what ATI and the identification commands report.
func (d *dce) Identity() atdce.Identity {
	return atdce.Identity{
		Manufacturer: manufacturer,
		Model:        model,
		Revision:     revision,
		Serial:       imei,
		Info:         []string{"gprsppp simulated modem"},
	}
}

// SignalQuality is what AT+CSQ reports: good enough, bit error rate
// unknown.
func (d *dce) SignalQuality() (rssi, ber int) { return 20, 99 }

// Registration is the state AT+CREG?, AT+CGREG? and AT+CEREG? report:
// the location of the one cell, once registered. The URC mode is stored
// and reported by the engine; no unsolicited codes are sent.
func (d *dce) Registration(name string) (atdce.Registration, error) {
	r := atdce.Registration{Stat: d.registrationStatus()}
	if r.Stat == 1 {
		r.Area, r.Cell = "0001", "00000001"
		if name == "+CEREG" {
			r.AcT = "7"
		}
	}
	return r, nil
}

// hangupCommand is ATH: it releases the call, if any.
func (d *dce) hangupCommand(_ *atdce.Engine, c at.Command) error {
	if c.Arg != "" && c.Arg != "0" {
		return at.Error
	}
	d.hangup()
	return nil
}

// online is ATO: back to the call from online command mode.
func (d *dce) online(e *atdce.Engine, _ at.Command) error {
	if d.call == nil {
		return at.NoCarrier
	}
	e.GoOnline(dataMode{d})
	return d.connect()
}

// connect is the CONNECT result code, with the line's speed.
func (d *dce) connect() error {
	return at.Final{Code: at.Connect, Text: d.m.cfg.ConnectSpeed}
}

// dataMode is the call as the engine sees it in online data mode.
type dataMode struct{ d *dce }

// Data passes bytes from the line to the call's PPP.
func (m dataMode) Data(b []byte) { m.d.call.port.deliver(m.d.ctx, b) }

// Escaped stops PPP's writes reaching the line in online command mode.
func (m dataMode) Escaped() { m.d.call.port.setOnline(false) }

// HangUp releases the call.
func (m dataMode) HangUp() error { m.d.hangup(); return at.NoCarrier }

// text is an action command that prints value; its test command prints
// test, if not empty.
func text(value, test string) atdce.Handler {
	return atdce.Action(func(e *atdce.Engine, _ at.Command) error {
		e.Info(value)
		return nil
	}, test)
}

// query is a parameter whose read command prints value and whose set
// command is accepted and ignored.
func query(value string) atdce.Handler {
	return func(e *atdce.Engine, c at.Command) error {
		if c.Op == at.Read {
			e.Info(value)
		}
		return nil
	}
}

// registrationStatus is the <stat> of +CREG, +CGREG and +CEREG (3GPP TS
// 27.007 §7.2): 0 not registered and not searching, 1 registered (home
// network), 2 searching.
func (d *dce) registrationStatus() int {
	switch {
	case d.m.cfg.NoSIM || !d.pinOK:
		return 0
	case d.m.clk.Now().Sub(d.regStart) < d.m.cfg.RegistrationDelay:
		return 2
	}
	return 1
}

// cgdcont is AT+CGDCONT (3GPP TS 27.007 §10.1.1): contexts are stored
// and listed, not used.
func (d *dce) cgdcont(_ *atdce.Engine, c at.Command) error {
	switch c.Op {
	case at.Read:
		for _, cid := range slices.Sorted(maps.Keys(d.contexts)) {
			d.info("+CGDCONT: %d,%s", cid, d.contexts[cid])
		}
	case at.Test:
		d.info(`+CGDCONT: (1-16),"IP",,,(0-2),(0-4)`)
	case at.Set:
		cid, rest, _ := strings.Cut(c.Arg, ",")
		n, ok := atdce.Number(cid, 1, 16)
		if !ok || cid == "" {
			return cmeError(cmeBadParameters)
		}
		if rest == "" {
			delete(d.contexts, n)
		} else {
			d.contexts[n] = rest
		}
	default:
		return at.Error
	}
	return nil
}

func (d *dce) cops(_ *atdce.Engine, c at.Command) error {
	switch c.Op {
	case at.Read:
		if d.registrationStatus() == 1 {
			d.info(`+COPS: 0,0,"%s",7`, operator)
		} else {
			d.info("+COPS: 0")
		}
	case at.Test:
		d.info(`+COPS: (2,"%s","%s","00101",7),,(0-4),(0-2)`, operator, operator)
	}
	return nil
}

func (d *dce) cgatt(_ *atdce.Engine, c at.Command) error {
	switch c.Op {
	case at.Read:
		attached := 0
		if d.registrationStatus() == 1 {
			attached = 1
		}
		d.info("+CGATT: %d", attached)
	case at.Test:
		d.info("+CGATT: (0,1)")
	}
	return nil
}

func (d *dce) cgact(_ *atdce.Engine, c at.Command) error {
	switch c.Op {
	case at.Read:
		active := 0
		if d.call != nil {
			active = 1
		}
		d.info("+CGACT: 1,%d", active)
	case at.Test:
		d.info("+CGACT: (0,1)")
	}
	return nil
}

func (d *dce) ipr(_ *atdce.Engine, c at.Command) error {
	switch c.Op {
	case at.Read:
		d.info("+IPR: %s", d.m.cfg.ConnectSpeed)
	case at.Test:
		d.info("+IPR: (),(9600,19200,38400,57600,115200,230400,460800,921600)")
	}
	return nil
}

func (d *dce) cimi(e *atdce.Engine, c at.Command) error {
	if err := d.simReady(); err != nil {
		return err
	}
	return text(imsi, "")(e, c)
}

// cgdata is AT+CGDATA (3GPP TS 27.007 §10.1.12): only the PPP layer 2
// protocol is offered.
func (d *dce) cgdata(e *atdce.Engine, c at.Command) error {
	switch c.Op {
	case at.Test:
		d.info(`+CGDATA: ("PPP")`)
		return nil
	case at.Set:
		if l2p := strings.ToUpper(at.Unquote(c.Args()[0])); l2p != "" && l2p != "PPP" {
			return cmeError(cmeNotSupported)
		}
		cid := 1
		if args := c.Args(); len(args) > 1 {
			if n, ok := atdce.Number(args[1], 1, 16); ok {
				cid = n
			}
		}
		return d.dial(e, cid)
	}
	return at.Error
}

// dialNumber is D with a dial string: packet data numbers (*99# and
// *99***<cid>#, 3GPP TS 27.007 §10.2.1.1; *98 likewise) dial, anything
// else (a voice or circuit-switched call) gets NO CARRIER.
func (d *dce) dialNumber(e *atdce.Engine, c at.Command) error {
	s := strings.TrimLeft(c.Arg, "TP")
	if !(strings.HasPrefix(s, "*99") || strings.HasPrefix(s, "*98")) || !strings.HasSuffix(s, "#") {
		return at.NoCarrier
	}
	cid := 1
	if digits, ok := strings.CutPrefix(strings.TrimSuffix(s[3:], "#"), "***"); ok {
		if n, ok := atdce.Number(digits, 1, 16); ok {
			cid = n
		}
	}
	return d.dial(e, cid)
}

// dial sets a packet data call up if the SIM and the network allow it.
func (d *dce) dial(e *atdce.Engine, cid int) error {
	if d.call != nil {
		return at.Error // already in a call (online command mode)
	}
	if err := d.simReady(); err != nil {
		return err
	}
	if d.registrationStatus() != 1 {
		return at.NoCarrier
	}
	if r := parseDialResult(d.m.cfg.DialResult); r != at.Connect {
		d.m.log.Info("modem: dial fails as configured", "result", r)
		return r
	}
	network, ok := d.contextNetwork(cid)
	if !ok {
		d.m.log.Info("modem: the network does not offer the context's PDP type")
		return at.NoCarrier
	}
	if !d.shared.claimCall() {
		return at.Error // a call is up on another channel
	}
	d.newCall()
	d.call.network = network
	e.GoOnline(dataMode{d})
	return d.connect()
}

// contextNetwork shapes the network side of a call on context cid by
// its PDP type, as a network honours it: "IP" gets IPv4 alone (the
// client's IPv6CP rejected), "IPV6" IPv6 alone (its IPCP rejected),
// "IPV4V6" both. ok is false for an IPv6 type the network does not offer,
// whose activation it refuses. An undefined context is "IP".
func (d *dce) contextNetwork(cid int) (n gprsppp.NetworkConfig, ok bool) {
	n = d.m.cfg.Network
	pdpType, _, _ := strings.Cut(d.contexts[cid], ",")
	switch strings.ToUpper(at.Unquote(pdpType)) {
	case "IPV6":
		n.NoIPv4 = true
		return n, n.IPv6 != nil
	case "IPV4V6":
		return n, true
	}
	n.IPv6 = nil
	return n, true
}
