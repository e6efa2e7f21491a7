package gprsppp

import (
	"errors"
	"io"
	"os"
	"testing"
	"time"
)

// readOnly is the reading end of a pipe as an io.ReadWriteCloser.
type readOnly struct{ *io.PipeReader }

func (readOnly) Write(p []byte) (int, error) { return len(p), nil }

// A Read past the deadline fails with os.ErrDeadlineExceeded; what the
// underlying Read brings later goes to the next Read, and a reader taking
// one byte at a time never has more taken from the stream.
func TestTimedLine(t *testing.T) {
	r, w := io.Pipe()
	l := newTimedLine(readOnly{r})
	defer l.Close()
	l.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	b := make([]byte, 1)
	if _, err := l.Read(b); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read past the deadline: %v", err)
	}
	l.SetReadDeadline(time.Time{})
	wrote := make(chan error, 1)
	go func() {
		_, err := w.Write([]byte("AT"))
		wrote <- err
	}()
	for _, want := range "AT" {
		if n, err := l.Read(b); n != 1 || err != nil || rune(b[0]) != want {
			t.Fatalf("Read = %d %q %v, want %q", n, b[:n], err, want)
		}
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	w.CloseWithError(io.ErrUnexpectedEOF)
	if _, err := l.Read(make([]byte, 8)); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Read after the stream failed: %v", err)
	}
}
