package dialer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// chunkLine is a Line over fixed data that returns at most chunk bytes per
// Read and counts the bytes taken, then io.EOF.
type chunkLine struct {
	data  []byte
	chunk int
	taken int
}

func (l *chunkLine) Read(p []byte) (int, error) {
	if l.taken == len(l.data) {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), l.chunk)], l.data[l.taken:])
	l.taken += n
	return n, nil
}

func (l *chunkLine) Write(p []byte) (int, error)     { return len(p), nil }
func (l *chunkLine) SetReadDeadline(time.Time) error { return nil }

// readAllLines reads lines until an error, checking after each that no
// byte past its terminator was taken.
func readAllLines(t *testing.T, l *chunkLine) []string {
	t.Helper()
	r := newLineReader(l)
	var lines []string
	for {
		line, err := r.readLine(context.Background(), time.Now().Add(time.Hour))
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("readLine: %v", err)
			}
			return lines
		}
		if c := l.data[l.taken-1]; c != '\r' && c != '\n' {
			t.Fatalf("after line %q the reader took %q, past the terminator", line, l.data[:l.taken])
		}
		lines = append(lines, line)
	}
}

func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", maxLine+10)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"CR LF framing", "\r\nOK\r\n", []string{"", "", "OK", ""}},
		{"CR only", "\rOK\r", []string{"", "OK"}},
		{"LF only", "OK\n+CSQ: 1,2\n", []string{"OK", "+CSQ: 1,2"}},
		{"LF CR", "\n\rOK\n\r", []string{"", "", "OK", ""}},
		{"echo then result", "ATE0\r\r\nOK\r\n", []string{"ATE0", "", "", "OK", ""}},
		{"spaces trimmed", "  OK \r", []string{"OK"}},
		{"partial line not returned", "OK\r\nCONN", []string{"OK", ""}},
		{"long line truncated", long + "\rOK\r", []string{long[:maxLine], "OK"}},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1, 3, 1000} {
			t.Run(fmt.Sprintf("%s/chunk%d", tt.name, chunk), func(t *testing.T) {
				got := readAllLines(t, &chunkLine{data: []byte(tt.in), chunk: chunk})
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// The bytes after CONNECT's terminator stay in the Line.
func TestReadLineStopsAtConnect(t *testing.T) {
	ppp := "\x7e\xff\x7d\x23\xc0\x21\x7e"
	l := &chunkLine{data: []byte("\r\nCONNECT 115200\r" + ppp), chunk: 64}
	r := newLineReader(l)
	for {
		line, err := r.readLine(context.Background(), time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "CONNECT") {
			break
		}
	}
	if rest := string(l.data[l.taken:]); rest != ppp {
		t.Errorf("left %q, want %q", rest, ppp)
	}
}

// splitLines is the reference line splitter for the fuzz target.
func splitLines(data []byte) []string {
	var lines []string
	for {
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			return lines
		}
		seg := data[:i]
		if len(seg) > maxLine {
			seg = seg[:maxLine]
		}
		lines = append(lines, strings.TrimSpace(string(seg)))
		data = data[i+1:]
	}
}

// FuzzReadLine checks the line reader against a plain splitter for any
// chunking, and that it never reads past a terminator.
func FuzzReadLine(f *testing.F) {
	f.Add([]byte("AT\r\r\nOK\r\n"), uint8(1))                     // echo on, CR LF
	f.Add([]byte("\rOK\r\rCONNECT 9600\r\x7e\xff\x7e"), uint8(4)) // CR only, then PPP
	f.Add([]byte("+CME ERROR: 10\n\n"), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		l := &chunkLine{data: data, chunk: int(chunk%16) + 1}
		got := readAllLines(t, l)
		if diff := cmp.Diff(splitLines(data), got, cmp.Comparer(func(a, b []string) bool {
			return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b))
		})); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
}
