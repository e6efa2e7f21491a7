package dialer

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"
)

// maxLine bounds the length of a line kept from the modem; the rest of a
// longer line is dropped.
const maxLine = 512

// lineReader splits what the modem sends into lines. It reads the Line one
// byte at a time and returns a line as soon as it has the CR or LF ending
// it, so it never consumes a byte after that terminator: after the CONNECT
// line, the bytes that follow are the caller's.
//
// A CR LF pair yields the line and then an empty line, which callers skip,
// as they skip the blank lines of ATV1 result framing.
type lineReader struct {
	l   Line
	set time.Time // read deadline last passed to l
	buf []byte    // the line so far
	one [1]byte
}

func newLineReader(l Line) *lineReader {
	return &lineReader{l: l, buf: make([]byte, 0, 64)}
}

// readLine returns the next line, trimmed of spaces, or ErrTimeout if none
// ends by deadline, or ctx's error once ctx is done. A partial line is
// kept for the next call.
func (r *lineReader) readLine(ctx context.Context, deadline time.Time) (string, error) {
	for {
		if err := r.setDeadline(ctx, deadline); err != nil {
			return "", err
		}
		n, err := r.l.Read(r.one[:])
		if n > 0 {
			if line, ok := r.feed(r.one[0]); ok {
				return line, nil
			}
		}
		switch {
		case ctx.Err() != nil:
			return "", ctx.Err()
		case errors.Is(err, os.ErrDeadlineExceeded):
			return "", ErrTimeout
		case err != nil:
			return "", err
		case n == 0 && !time.Now().Before(deadline):
			// A port that reports a timeout as (0, nil).
			return "", ErrTimeout
		}
	}
}

// setDeadline passes deadline to the Line if it changed. watchContext may
// set a past deadline from another goroutine when ctx is cancelled; the
// check after SetReadDeadline makes sure that one is not overwritten
// unnoticed.
func (r *lineReader) setDeadline(ctx context.Context, deadline time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if deadline.Equal(r.set) {
		return nil
	}
	if err := r.l.SetReadDeadline(deadline); err != nil {
		return err
	}
	r.set = deadline
	return ctx.Err()
}

// forget makes the next readLine set its deadline on the Line even if
// it is the one set last: someone else (a Monitor's wake-up) changed it.
func (r *lineReader) forget() { r.set = time.Time{} }

// feed adds b to the line and reports whether it ended one.
func (r *lineReader) feed(b byte) (string, bool) {
	if b == '\r' || b == '\n' {
		line := strings.TrimSpace(string(r.buf))
		r.buf = r.buf[:0]
		return line, true
	}
	if len(r.buf) < maxLine {
		r.buf = append(r.buf, b)
	}
	return "", false
}

// aLongTimeAgo is a read deadline in the past: it makes a pending Read
// return at once.
var aLongTimeAgo = time.Unix(1, 0)

// watchContext makes a Read on l fail at once when ctx is done, by setting
// a read deadline in the past. The returned release undoes the watch,
// waits for a deadline change in flight and removes the deadline, so the
// caller gets l back without one.
func watchContext(ctx context.Context, l Line) (release func()) {
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(fired)
		_ = l.SetReadDeadline(aLongTimeAgo)
	})
	return func() {
		if !stop() {
			<-fired
		}
		_ = l.SetReadDeadline(time.Time{})
	}
}

// sleep waits for d or until ctx is done: the default of the wait hooks.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
