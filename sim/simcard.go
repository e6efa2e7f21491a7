package sim

import (
	"cmp"
	"strings"
	"sync"

	"github.com/gprsppp/gprsppp/at"
	atdce "github.com/gprsppp/gprsppp/at/dce"
)

// A SIM takes three wrong PINs, then needs its PUK; ten wrong PUKs block
// it for good (3GPP TS 31.102 §4.2.9, ETSI TS 102 221 §9.4).
const (
	pinTries   = 3
	pukTries   = 10
	defaultPUK = "12345678"
)

// simCard is the SIM's own state, which a power cycle (Serve) does not
// reset: its PIN and the wrong PINs and PUKs it still takes. It is safe
// for concurrent use, as a Modem may serve several lines.
type simCard struct {
	mu      sync.Mutex
	pin     string // empty: no PIN lock
	puk     string
	pinLeft int
	pukLeft int
}

func newSIMCard(pin, puk string) *simCard {
	return &simCard{pin: pin, puk: cmp.Or(puk, defaultPUK), pinLeft: pinTries, pukLeft: pukTries}
}

// locked reports whether the SIM asks for its PIN at power-on.
func (s *simCard) locked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pin != ""
}

// tries returns the wrong PINs and PUKs the SIM still takes.
func (s *simCard) tries() (pin, puk int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pinLeft, s.pukLeft
}

// verify checks a PIN. A right one restores the count of attempts; a
// wrong one uses one up.
func (s *simCard) verify(pin string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pinLeft == 0 {
		return false
	}
	if pin != s.pin {
		s.pinLeft--
		return false
	}
	s.pinLeft = pinTries
	return true
}

// unblock checks a PUK and, if it is right, sets a new PIN.
func (s *simCard) unblock(puk, pin string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pukLeft == 0 {
		return false
	}
	if puk != s.puk {
		s.pukLeft--
		return false
	}
	s.pin, s.pinLeft, s.pukLeft = pin, pinTries, pukTries
	return true
}

// simState is what AT+CPIN? reports.
func (d *dce) simState() string {
	pin, puk := d.m.sim.tries()
	switch {
	case puk == 0:
		return "" // blocked for good: SIM failure
	case pin == 0:
		return "SIM PUK"
	case !d.pinOK:
		return "SIM PIN"
	}
	return "READY"
}

// simReady returns the error for commands that need the SIM, if it is
// missing or locked.
func (d *dce) simReady() error {
	if d.m.cfg.NoSIM {
		return cmeError(cmeNoSIM)
	}
	switch d.simState() {
	case "":
		return cmeError(cmeSIMFailure)
	case "SIM PUK":
		return cmeError(cmeSIMPUK)
	case "SIM PIN":
		return cmeError(cmeSIMPIN)
	}
	return nil
}

// PINState is what AT+CPIN? reports (3GPP TS 27.007 §8.3).
func (d *dce) PINState() (string, error) {
	state := d.simState()
	switch {
	case d.m.cfg.NoSIM:
		return "", cmeError(cmeNoSIM)
	case state == "":
		return "", cmeError(cmeSIMFailure)
	}
	return state, nil
}

// EnterPIN is AT+CPIN: AT+CPIN="<PIN>" unlocks the SIM,
// AT+CPIN="<PUK>","<new PIN>" unblocks it after three wrong PINs.
func (d *dce) EnterPIN(pin, newPIN string) error {
	if d.m.cfg.NoSIM {
		return cmeError(cmeNoSIM)
	}
	switch d.simState() {
	case "":
		return cmeError(cmeSIMFailure)
	case "READY":
		return cmeError(cmeNotAllowed)
	case "SIM PUK":
		if newPIN == "" {
			return cmeError(cmeSIMPUK)
		}
		return d.enterPUK(pin, newPIN)
	}
	return d.enterPIN(pin)
}

func (d *dce) enterPIN(pin string) error {
	if !d.m.sim.verify(pin) {
		left, _ := d.m.sim.tries()
		d.m.log.Info("modem: wrong PIN", "attempts_left", left)
		if left == 0 {
			d.m.log.Info("modem: SIM blocked, PUK required")
		}
		return cmeError(cmeWrongPassword)
	}
	d.m.log.Info("modem: SIM unlocked")
	d.unlocked()
	return nil
}

func (d *dce) enterPUK(puk, pin string) error {
	if len(pin) < 4 || len(pin) > 8 {
		return cmeError(cmeBadParameters)
	}
	if !d.m.sim.unblock(puk, pin) {
		_, left := d.m.sim.tries()
		d.m.log.Info("modem: wrong PUK", "attempts_left", left)
		return cmeError(cmeWrongPassword)
	}
	d.m.log.Info("modem: SIM unblocked with its PUK, new PIN set")
	d.unlocked()
	return nil
}

// unlocked starts the network search once the SIM is unlocked.
func (d *dce) unlocked() {
	d.pinOK = true
	d.regStart = d.m.clk.Now()
}

// cpinr is AT+CPINR (3GPP TS 27.007 §8.65): the attempts left for the
// PIN and the PUK; AT+CPINR="<code>" reports one ("SIM*" both).
func (d *dce) cpinr(_ *atdce.Engine, c at.Command) error {
	if d.m.cfg.NoSIM {
		return cmeError(cmeNoSIM)
	}
	pin, puk := d.m.sim.tries()
	counters := []struct {
		code       string
		left, full int
	}{{"SIM PIN", pin, pinTries}, {"SIM PUK", puk, pukTries}}
	switch c.Op {
	case at.Test:
		return nil
	case at.Action, at.Set:
	default:
		return at.Error
	}
	want := strings.ToUpper(at.Unquote(c.Arg))
	found := false
	for _, k := range counters {
		prefix, wild := strings.CutSuffix(want, "*")
		if want == "" || k.code == want || wild && strings.HasPrefix(k.code, prefix) {
			d.info("+CPINR: %s,%d,%d", k.code, k.left, k.full)
			found = true
		}
	}
	if !found {
		return cmeError(cmeBadParameters)
	}
	return nil
}
