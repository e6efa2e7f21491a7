package sim

import (
	"maps"
	"slices"
	"strconv"
	"strings"
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

// exec runs one command.
func (d *dce) exec(c command) reply {
	if c.extended() {
		h, ok := extendedCommands[c.name]
		if !ok {
			return replyError
		}
		return h(d, c)
	}
	return d.execBasic(c)
}

// execBasic runs a basic command (V.250 §6).
func (d *dce) execBasic(c command) reply {
	if strings.HasPrefix(c.name, "S") {
		return d.sParameter(c)
	}
	switch c.name {
	case "E":
		return setFlag(&d.echo, c.arg)
	case "V":
		return setFlag(&d.verbose, c.arg)
	case "Q":
		return setFlag(&d.quiet, c.arg)
	case "Z", "&F":
		d.settings = d.m.defaults()
	case "I":
		d.info("gprsppp simulated modem")
	case "H":
		if c.arg != "" && c.arg != "0" {
			return replyError
		}
		d.hangup()
	case "O":
		if d.call == nil {
			return reply{code: resultNoCarrier}
		}
		return reply{code: resultConnect}
	case "D":
		return d.dialNumber(c.arg)
	case "A":
		return reply{code: resultNoCarrier} // nobody is calling
	case "X", "L", "M", "&C", "&D", "&K", "&S", "&W", "&V", `\Q`, `\N`, "%C":
		// Settings with no meaning on a simulated line.
	default:
		return replyError
	}
	return replyOK
}

// setFlag sets a boolean setting from a basic command's number: none or 0
// clears it, 1 sets it.
func setFlag(f *bool, arg string) reply {
	switch arg {
	case "", "0":
		*f = false
	case "1":
		*f = true
	default:
		return replyError
	}
	return replyOK
}

// sParameter reads or sets an S-parameter (V.250 §5.3.2). S5, the
// backspace character, and S12, the escape guard time, are honoured; the
// others are only stored.
func (d *dce) sParameter(c command) reply {
	n, err := strconv.Atoi(c.name[1:])
	if err != nil {
		return replyError
	}
	switch c.op {
	case "?":
		d.info("%03d", d.sregs[n])
	case "=":
		v, err := strconv.Atoi(c.arg)
		if c.arg == "" {
			v, err = 0, nil
		}
		if err != nil || v > 255 {
			return replyError
		}
		d.sregs[n] = v
	}
	return replyOK
}

// extendedCommands are the extended commands the modem knows, keyed by
// name.
var extendedCommands map[string]func(*dce, command) reply

func init() {
	extendedCommands = map[string]func(*dce, command) reply{
		"+CMEE":    (*dce).cmeeCommand,
		"+CPIN":    (*dce).cpin,
		"+CPINR":   (*dce).cpinr,
		"+CREG":    (*dce).registration,
		"+CGREG":   (*dce).registration,
		"+CEREG":   (*dce).registration,
		"+CSQ":     text("+CSQ: 20,99", "+CSQ: (0-31,99),(0-7,99)"),
		"+CGDCONT": (*dce).cgdcont,
		"+COPS":    (*dce).cops,
		"+CGATT":   (*dce).cgatt,
		"+CGDATA":  (*dce).cgdata,
		"+CGACT":   (*dce).cgact,
		"+CFUN":    query("+CFUN: 1"),
		"+IPR":     (*dce).ipr,
		"+CIMI":    (*dce).cimi,
		"+GCAP":    text("+GCAP: +CGSM", ""),
	}
	for _, names := range [][]string{{"+CGMI", "+GMI"}, {"+CGMM", "+GMM"}, {"+CGMR", "+GMR"}, {"+CGSN", "+GSN"}} {
		value := map[string]string{"+GMI": manufacturer, "+GMM": model, "+GMR": revision, "+GSN": imei}[names[1]]
		for _, n := range names {
			extendedCommands[n] = text(value, "")
		}
	}
	// Settings with no meaning on a simulated line.
	for _, n := range []string{"+IFC", "+ICF", "+CBST", "+CRC", "+CSCS", "+CMGF", "+CNMI", "+CGEREP", "+CGQREQ", "+CGQMIN", "+CTZR"} {
		extendedCommands[n] = func(*dce, command) reply { return replyOK }
	}
}

// text is an action command that prints value; its test command prints
// test, if not empty.
func text(value, test string) func(*dce, command) reply {
	return func(d *dce, c command) reply {
		switch c.op {
		case "":
			d.info("%s", value)
		case "=?":
			if test != "" {
				d.info("%s", test)
			}
		default:
			return replyError
		}
		return replyOK
	}
}

// query is a parameter whose read command prints value and whose set
// command is accepted and ignored.
func query(value string) func(*dce, command) reply {
	return func(d *dce, c command) reply {
		if c.op == "?" {
			d.info("%s", value)
		}
		return replyOK
	}
}

func (d *dce) cmeeCommand(c command) reply {
	switch c.op {
	case "?":
		d.info("+CMEE: %d", d.settings.cmee)
	case "=?":
		d.info("+CMEE: (0-2)")
	case "=":
		n, ok := number(c.arg, 0, 2)
		if !ok {
			return cmeError(cmeBadParameters)
		}
		d.settings.cmee = n
	default:
		return replyError
	}
	return replyOK
}

// number parses an integer parameter in [lo, hi]; empty means lo.
func number(s string, lo, hi int) (int, bool) {
	if s == "" {
		return lo, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && lo <= n && n <= hi
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

// registration is AT+CREG, AT+CGREG and AT+CEREG. The URC mode is stored
// and reported; no unsolicited codes are sent.
func (d *dce) registration(c command) reply {
	maxN := 2
	if c.name == "+CEREG" {
		maxN = 5
	}
	switch c.op {
	case "?":
		n, stat := d.regN[c.name], d.registrationStatus()
		if n >= 2 && stat == 1 {
			extra := `,"0001","00000001"`
			if c.name == "+CEREG" {
				extra += ",7"
			}
			d.info("%s: %d,%d%s", c.name, n, stat, extra)
		} else {
			d.info("%s: %d,%d", c.name, n, stat)
		}
	case "=?":
		d.info("%s: (0-%d)", c.name, maxN)
	case "=":
		n, ok := number(c.arg, 0, maxN)
		if !ok {
			return cmeError(cmeBadParameters)
		}
		d.regN[c.name] = n
	default:
		return replyError
	}
	return replyOK
}

// cgdcont is AT+CGDCONT (3GPP TS 27.007 §10.1.1): contexts are stored
// and listed, not used.
func (d *dce) cgdcont(c command) reply {
	switch c.op {
	case "?":
		for _, cid := range slices.Sorted(maps.Keys(d.contexts)) {
			d.info("+CGDCONT: %d,%s", cid, d.contexts[cid])
		}
	case "=?":
		d.info(`+CGDCONT: (1-16),"IP",,,(0-2),(0-4)`)
	case "=":
		cid, rest, _ := strings.Cut(c.arg, ",")
		n, ok := number(cid, 1, 16)
		if !ok || cid == "" {
			return cmeError(cmeBadParameters)
		}
		if rest == "" {
			delete(d.contexts, n)
		} else {
			d.contexts[n] = rest
		}
	default:
		return replyError
	}
	return replyOK
}

func (d *dce) cops(c command) reply {
	switch c.op {
	case "?":
		if d.registrationStatus() == 1 {
			d.info(`+COPS: 0,0,"%s",7`, operator)
		} else {
			d.info("+COPS: 0")
		}
	case "=?":
		d.info(`+COPS: (2,"%s","%s","00101",7),,(0-4),(0-2)`, operator, operator)
	}
	return replyOK
}

func (d *dce) cgatt(c command) reply {
	switch c.op {
	case "?":
		attached := 0
		if d.registrationStatus() == 1 {
			attached = 1
		}
		d.info("+CGATT: %d", attached)
	case "=?":
		d.info("+CGATT: (0,1)")
	}
	return replyOK
}

func (d *dce) cgact(c command) reply {
	switch c.op {
	case "?":
		active := 0
		if d.call != nil {
			active = 1
		}
		d.info("+CGACT: 1,%d", active)
	case "=?":
		d.info("+CGACT: (0,1)")
	}
	return replyOK
}

func (d *dce) ipr(c command) reply {
	switch c.op {
	case "?":
		d.info("+IPR: %s", d.m.cfg.ConnectSpeed)
	case "=?":
		d.info("+IPR: (),(9600,19200,38400,57600,115200,230400,460800,921600)")
	}
	return replyOK
}

func (d *dce) cimi(c command) reply {
	if r, ok := d.simReady(); !ok {
		return r
	}
	return text(imsi, "")(d, c)
}

// cgdata is AT+CGDATA (3GPP TS 27.007 §10.1.12): only the PPP layer 2
// protocol is offered.
func (d *dce) cgdata(c command) reply {
	switch c.op {
	case "=?":
		d.info(`+CGDATA: ("PPP")`)
		return replyOK
	case "=":
		if l2p := strings.ToUpper(unquote(splitArgs(c.arg)[0])); l2p != "" && l2p != "PPP" {
			return cmeError(cmeNotSupported)
		}
		return d.dial()
	}
	return replyError
}

// dialNumber is D with a dial string: packet data numbers (*99# and
// *99***<cid>#, 3GPP TS 27.007 §10.2.1.1; *98 likewise) dial, anything
// else (a voice or circuit-switched call) gets NO CARRIER.
func (d *dce) dialNumber(s string) reply {
	s = strings.TrimLeft(s, "TP")
	if !(strings.HasPrefix(s, "*99") || strings.HasPrefix(s, "*98")) || !strings.HasSuffix(s, "#") {
		return reply{code: resultNoCarrier}
	}
	return d.dial()
}

// dial sets a packet data call up if the SIM and the network allow it.
func (d *dce) dial() reply {
	if d.call != nil {
		return replyError // already in a call (online command mode)
	}
	if r, ok := d.simReady(); !ok {
		return r
	}
	if d.registrationStatus() != 1 {
		return reply{code: resultNoCarrier}
	}
	if r := parseDialResult(d.m.cfg.DialResult); r != resultConnect {
		d.m.log.Info("modem: dial fails as configured", "result", resultText[r])
		return reply{code: r}
	}
	d.newCall()
	return reply{code: resultConnect}
}
