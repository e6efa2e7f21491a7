package at

import "time"

// Escape detects the escape sequence of V.250 §6.2.12 (S12) in the bytes
// a DCE receives in online data mode: a guard time of silence, three
// escape characters (S2, "+") each within a guard time of the one before,
// and a guard time of silence again. It is pure: it is told the time of
// each input and does no timing of its own, so its owner arms a timer for
// the trailing guard time when Input asks for it and then calls Timeout.
//
// The escape characters are held back from the data until they turn out
// not to be an escape. Guard zero needs no silence at all: three escape
// characters anywhere escape at once.
type Escape struct {
	// Char is the escape character, S2; 0 means '+'.
	Char byte
	// Guard is the guard time, S12 (in fiftieths of a second there).
	Guard time.Duration
	// Gap is the longest time between two escape characters; zero means
	// Guard. Modules that ask for the three characters within 20 ms
	// (Quectel's transparent mode) still get them from a pty or a USB
	// serial adapter, which deliver bytes in bursts, with a gap of a
	// tenth of a second.
	Gap time.Duration

	lastRx   time.Time // when the last input came
	lastChar time.Time // when the last held escape character came
	held     int       // escape characters held back
}

func (e *Escape) char() byte {
	if e.Char == 0 {
		return '+'
	}
	return e.Char
}

func (e *Escape) gap() time.Duration {
	if e.Gap > 0 {
		return e.Gap
	}
	return e.Guard
}

// Reset starts over, as on entering online data mode at now: the
// silence before the sequence counts from now, and held characters are
// dropped.
func (e *Escape) Reset(now time.Time) {
	e.lastRx, e.held = now, 0
}

// Held reports how many escape characters are held back.
func (e *Escape) Held() int { return e.held }

// Input takes b, received at now, and returns the bytes that are data:
// b itself, or a new slice with held escape characters that turned out
// to be data. wait reports that three escape characters are held: if
// nothing more arrives within Guard, Timeout confirms the escape.
func (e *Escape) Input(now time.Time, b []byte) (data []byte, wait bool) {
	if len(b) == 0 {
		return nil, e.held == 3
	}
	char := e.char()
	silent := now.Sub(e.lastRx) >= e.Guard
	e.lastRx = now
	if e.held == 0 && e.Guard > 0 && (b[0] != char || !silent) {
		return b, false
	}
	data = make([]byte, 0, len(b)+3)
	for i, c := range b {
		switch {
		case c == char && e.held == 0 && (e.Guard == 0 || i == 0 && silent),
			c == char && 0 < e.held && e.held < 3 && (e.Guard == 0 || now.Sub(e.lastChar) < e.gap()):
			e.held++
			e.lastChar = now
		default:
			for range e.held {
				data = append(data, char)
			}
			data = append(data, c)
			e.held = 0
		}
	}
	return data, e.held == 3
}

// Timeout reports, at now, whether the escape sequence is complete: three
// escape characters are held and a guard time has passed since the last
// input. It then starts over.
func (e *Escape) Timeout(now time.Time) bool {
	if e.held != 3 || now.Sub(e.lastRx) < e.Guard {
		return false
	}
	e.held = 0
	return true
}
