// Package dce is the modem side of an AT command line: the engine that
// every emulated modem runs on (the simulator and the scripted test modem
// today; the socket shims are to follow), so that they agree on how a
// line is typed, edited, parsed and answered.
//
// An Engine takes the bytes the DTE sends and, in command state,
// assembles and edits command lines as ITU-T V.250 §5.2 has it (echo per
// ATE, S5 backspace, S3 termination, A/ repeat, overlong lines answered
// ERROR), parses them with package at and dispatches each command to a
// per-instance table of handlers. It writes information text, final
// result codes and unsolicited result codes through at.Formatter, so
// ATV, ATQ and AT+CMEE apply to all of them. It answers the V.250 and
// 3GPP TS 27.007 basics itself (E, V, Q, &C, &D, &F, Z, S-parameters,
// +CMEE, I, +CGMI, +CGMM, +CGMR, +CGSN, +CPIN, +CSQ, +CREG, +CGREG,
// +CEREG) from a small Backend the embedding modem implements; the
// embedder adds or replaces handlers (D, H, O, its vendor commands).
//
// After CONNECT a handler hands the line over with GoOnline: the bytes
// go to its DataMode until the "+++" escape with guard times (S12) or a
// DTR drop (AT&D), and Capture collects a payload after a "> " prompt.
// Control characters typed in command state that V.250 leaves out of the
// line reach Config.Control, for a modem that acts on one.
//
// An Engine belongs to one goroutine, the embedder's read loop: it is
// not safe for concurrent use and starts no goroutines. Its one timer,
// the escape guard time, runs on Config.Clock and comes back through
// Config.Post.
//
//	e := dce.New(dce.Config{
//		Backend:  backend,
//		Commands: map[string]dce.Handler{"D": dial, "H": hangup},
//		Out:      line,
//		Echo:     true,
//	})
//	for {
//		n, err := line.Read(buf)
//		...
//		for b := buf[:n]; len(b) > 0; {
//			b = b[e.Input(b):]
//		}
//	}
package dce
