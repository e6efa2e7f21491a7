package shim

import "github.com/gprsppp/gprsppp/modemsock"

// personality is one dialect in a session: its commands, its state, and
// the rendering of the socket core's events in its module's words. The
// session loop, the engine and the socket core are the same for all;
// newPersonality picks one by Config.Dialect.
type personality interface {
	// commands returns the dialect's command table, built anew for the
	// session.
	commands() map[string]shimHandler
	// identity is the module's manufacturer, model and revision, for
	// what the backend does not report.
	identity() (manufacturer, model, revision string)
	// start writes what the module says when it has booted, if anything.
	start()
	// event renders what the socket core reports.
	event(ev modemsock.Event)
	// flushRecv delivers what waited for a command line to finish.
	flushRecv()
	// shutdown closes everything the host opened.
	shutdown()
}

// controller is a personality whose module acts on a control character
// typed in command state (Multi-Tech's ETX aborting #LTCPSTART).
type controller interface {
	control(c byte)
}

// newPersonality returns the session's personality for d.
func newPersonality(s *shimSession, d Dialect) personality {
	switch d {
	case DialectBG96:
		return newBG96State(s)
	case DialectSIM800:
		return newSIM800State(s, sim800Model)
	case DialectSIM900:
		return newSIM800State(s, sim900Model)
	case DialectMultiTech:
		return newMTState(s)
	case DialectTelit:
		return newTelitPort(s)
	default:
		for i := range s.pdps {
			s.pdps[i] = newShimPDP(i, s.cfg.Profile, s.socks)
		}
		return m95{s}
	}
}

// m95 is the M95 personality. Its state is the session's own (pdps, ip,
// data), as the shim began with this module.
type m95 struct{ s *shimSession }

func (m95) commands() map[string]shimHandler { return m95Commands() }

func (m95) identity() (string, string, string) { return "Quectel", "M95", "M95FAR02A08" }

func (m95) start() {}

func (m m95) event(ev modemsock.Event) { m.s.m95Event(ev) }

func (m m95) flushRecv() { m.s.m95FlushRecv() }

func (m m95) shutdown() {
	for _, p := range m.s.pdps {
		p.closeAll(m.s)
		p.stopServer()
		p.forget()
	}
}
