package shim

import (
	"cmp"
	"fmt"
	"net/netip"
	"strings"

	"github.com/gprsppp/gprsppp/at"
)

// The SIM800's bearer commands: AT+SAPBR's bearer, the CIP* context's
// steps (AT+CSTT, AT+CIICR, AT+CIFSR) and DNS (AT+CDNSCFG, AT+CDNSGIP).

// AT+SAPBR=<cmd>,<cid>[,"<tag>","<value>"]: 3 sets, 4 reads the
// settings, 1 opens, 0 closes the bearer, 2 reports it.
func (s *shimSession) cmdSIM800SAPBR(c *shimCmd) error {
	st := s.sim()
	if c.Op == at.Test {
		s.line(`+SAPBR: (0-4),(1-3),"ConParamTag","ConParamValue"`)
		return nil
	}
	cmd, ok1 := c.intArg(0, 0, 4)
	cid, ok2 := c.intArg(1, 1, 3)
	if c.Op != at.Set || !ok1 || !ok2 || cid != 1 && cmd != 3 {
		return errShimParam
	}
	switch {
	case cmd == 3 && len(c.args) == 4:
		st.bearerSet[strings.ToUpper(c.args[2].val)] = c.args[3].val
	case len(c.args) != 2:
		return errShimParam
	case cmd == 4:
		s.line("+SAPBR:")
		for _, tag := range []string{"CONTYPE", "APN", "USER", "PWD"} {
			s.line(fmt.Sprintf("%s: %s", tag, st.bearerSet[tag]))
		}
	case cmd == 2:
		status, addr := 3, "0.0.0.0"
		if n := st.bearer.Network(); n != nil {
			status, addr = 1, ipv4Text(n.LocalAddr())
		}
		s.line(fmt.Sprintf("+SAPBR: %d,%d,%q", cid, status, addr))
	case cmd == 1:
		if st.bearer.Network() != nil {
			return nil
		}
		s.hold()
		st.bearer.Activate(s.cfg.Backend, st.bearerSet["APN"], st.bearerSet["USER"], st.bearerSet["PWD"],
			shimActivateTimeout, func(err error) {
				if err != nil {
					s.log.Debug("shim: bearer failed", "err", err)
					s.result("ERROR")
				} else {
					s.result("OK")
				}
				s.resume()
			})
		return errShimFinal
	case cmd == 0:
		if st.bearer.Network() == nil {
			return errShimState
		}
		st.bearer.Deactivate(errShimState)
	default:
		return errShimParam
	}
	return nil
}

// AT+CSTT="apn","user","pwd" (or bare): IP INITIAL to IP START.
func (s *shimSession) cmdSIM800CSTT(c *shimCmd) error {
	st := s.sim()
	switch c.Op {
	case at.Test:
		s.line(`+CSTT: "APN","USER","PWD"`)
		return nil
	case at.Read:
		s.line(fmt.Sprintf("+CSTT: %q,%q,%q", st.apn, st.user, st.pass))
		return nil
	case at.Set:
		if !c.argc(1, 3) {
			return errShimParam
		}
	case at.Action:
	default:
		return errShimParam
	}
	if st.stage != simIPInitial {
		return errShimState
	}
	st.apn, st.user, st.pass = shimArgOr(c, 0), shimArgOr(c, 1), shimArgOr(c, 2)
	st.stage = simIPStart
	return nil
}

// AT+CIICR: IP START to IP CONFIG, IP GPRSACT once the context is up.
func (s *shimSession) cmdSIM800CIICR(c *shimCmd) error {
	st := s.sim()
	if c.Op == at.Test {
		return nil
	}
	if c.Op != at.Action || st.stage != simIPStart {
		return errShimState
	}
	st.stage = simIPConfig
	s.hold()
	st.px.Activate(s.cfg.Backend, st.apn, st.user, st.pass, shimActivateTimeout, func(err error) {
		if err != nil {
			s.log.Debug("shim: activation failed", "err", err)
			st.stage = simPDPDeact
			s.result("ERROR")
		} else {
			st.stage = simIPGprsact
			s.result("OK")
		}
		s.resume()
	})
	return errShimFinal
}

// AT+CIFSR: the address alone, no OK (IP GPRSACT to IP STATUS). When
// more commands follow on the line (TinyGSM's AT+CIFSR;E0) they run, and
// the last one's result ends the line.
func (s *shimSession) cmdSIM800CIFSR(c *shimCmd) error {
	st := s.sim()
	if c.Op == at.Test {
		return nil
	}
	n := st.px.Network()
	if c.Op != at.Action || n == nil || st.stage < simIPGprsact || st.stage == simPDPDeact {
		return errShimState
	}
	if !n.LocalAddr().IsValid() {
		// The SIM800 is an IPv4 module: AT+CIFSR has no IPv6 form.
		s.log.Info("shim: AT+CIFSR: the link has no IPv4 address, and the SIM800 shows no IPv6 one")
		return errShimState
	}
	if st.stage == simIPGprsact {
		st.stage = simIPStatus
	}
	s.line(n.LocalAddr().String())
	if s.lineLeft > 0 {
		return nil
	}
	return errShimFinal
}

// AT+CDNSCFG="pri"[,"sec"]: remembered and reported; lookups use the
// network's own servers.
func (s *shimSession) cmdSIM800CDNSCFG(c *shimCmd) error {
	st := s.sim()
	switch c.Op {
	case at.Read:
		p, q := st.dns1, st.dns2
		if n := st.px.Network(); n != nil && p == "" {
			if d := n.DNSServers(); len(d) > 0 {
				p = d[0].String()
			}
		}
		s.line("PrimaryDns: " + cmp.Or(p, "0.0.0.0"))
		s.line("SecondaryDns: " + cmp.Or(q, "0.0.0.0"))
		return nil
	case at.Test:
		s.line(`+CDNSCFG: ("Primary DNS"),("Secondary DNS")`)
		return nil
	case at.Set:
		if !c.argc(1, 2) {
			return errShimParam
		}
		st.dns1, st.dns2 = c.args[0].val, shimArgOr(c, 1)
		return nil
	}
	return errShimParam
}

// AT+CDNSGIP="host": OK, then +CDNSGIP: 1,"host","ip1"[,"ip2"], or
// +CDNSGIP: 0,8 (DNS common error).
func (s *shimSession) cmdSIM800CDNSGIP(c *shimCmd) error {
	st := s.sim()
	if c.Op == at.Test {
		return nil
	}
	n := st.px.Network()
	if c.Op != at.Set || len(c.args) != 1 || c.args[0].val == "" {
		return errShimParam
	}
	if n == nil || st.stage == simPDPDeact {
		return errShimState
	}
	host := c.args[0].val
	s.result("OK")
	s.lookup(n, host, func(ips []netip.Addr, err error) {
		if err != nil || len(ips) == 0 {
			s.line("+CDNSGIP: 0,8")
			return
		}
		line := fmt.Sprintf("+CDNSGIP: 1,%q", host)
		for _, ip := range ips[:min(len(ips), 2)] {
			line += fmt.Sprintf(",%q", ip)
		}
		s.line(line)
	})
	return errShimFinal
}
