package shim

import (
	"fmt"
	"net/netip"

	"github.com/gprsppp/gprsppp/at"
)

// shimIPSettings are the host-wide TCP/IP settings.
type shimIPSettings struct {
	indi   int // AT+QINDI: 0 push, 1 +QIRDI, 2 +QIRDI with lengths
	head   int // AT+QIHEAD
	showRA int // AT+QISHOWRA
	showLA int // AT+QISHOWLA
	showPT int // AT+QISHOWPT
	srvc   int // AT+QISRVC: 1 client, 2 server
	sde    int // AT+QISDE: echo QISEND data (with ATE1)
	prompt int // AT+QIPROMPT: 1 "> " and SEND OK, 0 no prompt, 2 neither
	autos  int // AT+QIAUTOS: 1 sends a QISEND payload after autosT seconds
	autosT int
	tcfg   shimTCFG
}

// shimTCFG is AT+QITCFG: transparent mode packing.
type shimTCFG struct {
	retry int // resend attempts, accepted for compatibility
	wait  int // send after this many 100 ms without a full packet
	size  int // send as soon as this many bytes wait
	esc   int // 1: "+++" escapes to command mode
}

var defaultIPSettings = shimIPSettings{srvc: 1, sde: 1, prompt: 1,
	tcfg: shimTCFG{retry: 3, wait: 2, size: 1024, esc: 1}}

// m95IPCommands are the QI* commands of the personality (and ATO).
func m95IPCommands() map[string]shimHandler {
	ip := func(f func(*shimIPSettings) *int) func(*shimSession) *int {
		return func(s *shimSession) *int { return f(&s.ip) }
	}
	return map[string]shimHandler{
		"+QIFGCNT":  (*shimSession).cmdQIFGCNT,
		"+QICSGP":   (*shimSession).cmdQICSGP,
		"+QIREGAPP": (*shimSession).cmdQIREGAPP,
		"+QIACT":    (*shimSession).cmdQIACT,
		"+QIDEACT":  (*shimSession).cmdQIDEACT,
		"+QILOCIP":  (*shimSession).cmdQILOCIP,
		"+QISTAT":   (*shimSession).cmdQISTAT,
		"+QISTATE":  (*shimSession).cmdQISTATE,
		"+QISSTAT":  (*shimSession).cmdQISSTAT,
		"+QIOPEN":   (*shimSession).cmdQIOPEN,
		"+QICLOSE":  (*shimSession).cmdQICLOSE,
		"+QISEND":   (*shimSession).cmdQISEND,
		"+QISACK":   (*shimSession).cmdQISACK,
		"+QIRD":     (*shimSession).cmdQIRD,
		"+QISERVER": (*shimSession).cmdQISERVER,
		"+QILPORT":  (*shimSession).cmdQILPORT,
		"+QITCFG":   (*shimSession).cmdQITCFG,
		"O":         (*shimSession).cmdATO,
		"+QIDNSGIP": (*shimSession).cmdQIDNSGIP,
		"+QIDNSCFG": (*shimSession).cmdQIDNSCFG,
		"+QIMUX":    shimPDPInt("+QIMUX", 1, func(p *shimPDP) *int { return &p.mux }, true),
		"+QIMODE":   shimPDPInt("+QIMODE", 1, func(p *shimPDP) *int { return &p.mode }, true),
		"+QIDNSIP":  shimPDPInt("+QIDNSIP", 1, func(p *shimPDP) *int { return &p.dnsip }, false),
		// QINDI is taken in any state: TinyGSM sets it in IP STATUS.
		"+QINDI":    shimIntSetting("+QINDI", 0, 2, ip(func(i *shimIPSettings) *int { return &i.indi })),
		"+QIHEAD":   shimIntSetting("+QIHEAD", 0, 1, ip(func(i *shimIPSettings) *int { return &i.head })),
		"+QISHOWRA": shimIntSetting("+QISHOWRA", 0, 1, ip(func(i *shimIPSettings) *int { return &i.showRA })),
		"+QISHOWLA": shimIntSetting("+QISHOWLA", 0, 1, ip(func(i *shimIPSettings) *int { return &i.showLA })),
		"+QISHOWPT": shimIntSetting("+QISHOWPT", 0, 1, ip(func(i *shimIPSettings) *int { return &i.showPT })),
		"+QISRVC":   shimIntSetting("+QISRVC", 1, 2, ip(func(i *shimIPSettings) *int { return &i.srvc })),
		"+QISDE":    shimIntSetting("+QISDE", 0, 1, ip(func(i *shimIPSettings) *int { return &i.sde })),
		"+QIPROMPT": shimIntSetting("+QIPROMPT", 0, 2, ip(func(i *shimIPSettings) *int { return &i.prompt })),
		"+QIAUTOS":  (*shimSession).cmdQIAUTOS,
	}
}

func (s *shimSession) cmdQITCFG(c *shimCmd) error {
	t := &s.ip.tcfg
	switch c.Op {
	case at.Read:
		s.line(fmt.Sprintf("+QITCFG: %d,%d,%d,%d", t.retry, t.wait, t.size, t.esc))
	case at.Test:
		s.line("+QITCFG: (0-5),(1-10),(256-1024),(0,1)")
	case at.Set:
		r, ok1 := c.intArg(0, 0, 5)
		w, ok2 := c.intArg(1, 0, 10)
		z, ok3 := c.intArg(2, 1, s.cfg.Profile.MaxSend)
		e, ok4 := c.intArg(3, 0, 1)
		if len(c.args) != 4 || !ok1 || !ok2 || !ok3 || !ok4 {
			return errShimParam
		}
		*t = shimTCFG{retry: r, wait: w, size: z, esc: e}
	default:
		return errShimParam
	}
	return nil
}

func (s *shimSession) cmdQIDNSGIP(c *shimCmd) error {
	if c.Op == at.Test {
		return nil
	}
	if c.Op != at.Set || len(c.args) != 1 || c.args[0].val == "" {
		return errShimParam
	}
	p, host := s.pdp(), c.args[0].val
	if p.state == pdpDeact {
		return errShimState
	}
	s.result("OK")
	if ip, err := netip.ParseAddr(host); err == nil {
		s.line(ip.String())
		return errShimFinal
	}
	s.hold()
	s.ensureActive(p, func(err error) {
		if err != nil {
			s.line("ERROR")
			s.resume()
			return
		}
		s.lookup(p.network(), host, func(ips []netip.Addr, err error) {
			if err != nil || len(ips) == 0 {
				s.line("ERROR")
			}
			for _, ip := range ips {
				s.line(ip.String())
			}
			s.resume()
		})
	})
	return errShimFinal
}

func (s *shimSession) cmdQIDNSCFG(c *shimCmd) error {
	p := s.pdp()
	switch c.Op {
	case at.Read:
		cur := p.dns
		if n := p.network(); n != nil {
			for i, a := range n.DNSServers() {
				if i < 2 && !cur[i].IsValid() {
					cur[i] = a
				}
			}
		}
		for i, name := range []string{"PrimaryDns", "SecondaryDns"} {
			a := "0.0.0.0"
			if cur[i].IsValid() {
				a = cur[i].String()
			}
			s.line(name + ": " + a)
		}
	case at.Test:
	case at.Set:
		if !c.argc(1, 2) {
			return errShimParam
		}
		var dns [2]netip.Addr
		for i, a := range c.args {
			ip, err := netip.ParseAddr(a.val)
			if err != nil || !ip.Is4() {
				return errShimParam
			}
			dns[i] = ip
		}
		// Lookups use the link's servers; these are only reported.
		p.dns = dns
	default:
		return errShimParam
	}
	return nil
}

// cmdQIAUTOS sets timed sending (seed §5.2.2.3): AT+QIAUTOS=1,<seconds>.
func (s *shimSession) cmdQIAUTOS(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		s.line(fmt.Sprintf("+QIAUTOS: %d,%d", s.ip.autos, s.ip.autosT))
	case at.Test:
		s.line("+QIAUTOS: (0,1),(1-100)")
	case at.Set:
		mode, ok := c.intArg(0, 0, 1)
		if !ok || !c.argc(1, 2) {
			return errShimParam
		}
		t := s.ip.autosT
		if len(c.args) == 2 {
			if t, ok = c.intArg(1, 1, 100); !ok {
				return errShimParam
			}
		}
		if mode == 1 && t == 0 {
			return errShimParam
		}
		s.ip.autos, s.ip.autosT = mode, t
	default:
		return errShimParam
	}
	return nil
}
