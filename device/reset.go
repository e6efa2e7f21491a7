package device

import (
	"errors"
	"os"
	"time"
)

// How ResetInput drains a port it cannot flush: until the line has been
// quiet for resetQuiet, but for no longer than resetMax in all, in case the
// far end never stops talking.
const (
	resetQuiet = 50 * time.Millisecond
	resetMax   = time.Second
)

// ResetInput discards stale input on p, such as the answers to another
// program's commands or URCs that arrived before the port was opened, so the
// AT dialogue that follows reads only replies to its own commands.
//
// A serial port flushes the tty's input queue. Other ports are read with
// short deadlines until the line has been quiet for 50ms (at most a second
// in all); ResetInput then clears the read deadline. It must not run
// concurrently with a Read on p.
func ResetInput(p Port) error {
	if r, ok := p.(interface{ resetInput() error }); ok {
		return r.resetInput()
	}
	start := time.Now()
	buf := make([]byte, 512)
	for time.Since(start) < resetMax {
		if err := p.SetReadDeadline(time.Now().Add(resetQuiet)); err != nil {
			return err
		}
		if _, err := p.Read(buf); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				break
			}
			return err
		}
	}
	return p.SetReadDeadline(time.Time{})
}
