package dialer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// chunkRWC reads data in the given chunk sizes (the last one repeating),
// then io.EOF; writes are recorded.
type chunkRWC struct {
	data    []byte
	chunks  []int
	written bytes.Buffer
	closed  bool
}

func (c *chunkRWC) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	size := c.chunks[0]
	if len(c.chunks) > 1 {
		c.chunks = c.chunks[1:]
	}
	n := copy(p[:min(len(p), size)], c.data)
	c.data = c.data[n:]
	return n, nil
}

func (c *chunkRWC) Write(p []byte) (int, error) { return c.written.Write(p) }
func (c *chunkRWC) Close() error                { c.closed = true; return nil }

// drain reads w to its error with reads of size bufSize.
func drain(w io.Reader, bufSize int) ([]byte, error) {
	var got []byte
	buf := make([]byte, bufSize)
	for {
		n, err := w.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return got, err
		}
		if n == 0 {
			return got, errors.New("Read returned 0, nil")
		}
	}
}

// Two LCP Configure-Requests' worth of PPP: frames between flags.
const (
	frame1 = "\x7e\xff\x7d\x23\xc0\x21\x7d\x21\x7d\x21\x7d\x20\x7d\x24\x12\x34\x7e"
	frame2 = "\xff\x03\xc0\x21\x05\x02\x00\x04\xab\xcd\x7e"
	report = "\r\nNO CARRIER\r\n"
)

func TestWatchCarrier(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr error
	}{
		{"at stream start", report, "", ErrNoCarrier},
		{"after the last flag", frame1 + frame2 + report + "OK\r\n", frame1 + frame2, ErrNoCarrier},
		{"after two flags", "\x7e\x7e" + report, "\x7e\x7e", ErrNoCarrier},
		{"plain data", frame1 + frame2, frame1 + frame2, io.EOF},
		{"inside a frame, no flag before", "\x7e\xff\x03" + report + "\x7e", "\x7e\xff\x03" + report + "\x7e", io.EOF},
		{"near miss after a flag", "\x7e\r\nNO CARRIEX\x7e", "\x7e\r\nNO CARRIEX\x7e", io.EOF},
		{"flag inside a near miss", "\x7e\r\n\x7e" + report, "\x7e\r\n\x7e", ErrNoCarrier},
		{"cut short by EOF", "\x7e\r\nNO CAR", "\x7e\r\nNO CAR", io.EOF},
		{"CR CR LF is not the report", "\x7e\r\r\nNO CARRIER\r\n", "\x7e\r\r\nNO CARRIER\r\n", io.EOF},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1, 2, 5, 1 << 10} {
			for _, bufSize := range []int{1, 3, 1 << 10} {
				t.Run(fmt.Sprintf("%s/chunk%d/buf%d", tt.name, chunk, bufSize), func(t *testing.T) {
					w := WatchCarrier(&chunkRWC{data: []byte(tt.in), chunks: []int{chunk}})
					got, err := drain(w, bufSize)
					if diff := cmp.Diff(tt.want, string(got)); diff != "" {
						t.Errorf("data (-want +got):\n%s", diff)
					}
					if !errors.Is(err, tt.wantErr) {
						t.Errorf("error = %v, want %v", err, tt.wantErr)
					}
					if _, again := w.Read(make([]byte, 8)); !errors.Is(again, tt.wantErr) {
						t.Errorf("next Read error = %v, want %v again", again, tt.wantErr)
					}
				})
			}
		}
	}
}

// The report split at every possible point across two Reads.
func TestWatchCarrierSplit(t *testing.T) {
	in := frame1 + report
	for i := 1; i < len(in); i++ {
		w := WatchCarrier(&chunkRWC{data: []byte(in), chunks: []int{i, len(in)}})
		got, err := drain(w, 64)
		if string(got) != frame1 || !errors.Is(err, ErrNoCarrier) {
			t.Errorf("split at %d: got %q, %v; want %q, %v", i, got, err, frame1, ErrNoCarrier)
		}
	}
}

func TestWatchCarrierPassesWriteAndClose(t *testing.T) {
	rwc := &chunkRWC{}
	w := WatchCarrier(rwc)
	if _, err := w.Write([]byte(frame2)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if rwc.written.String() != frame2 || !rwc.closed {
		t.Errorf("wrote %q, closed %v; want %q, true", rwc.written.String(), rwc.closed, frame2)
	}
	if n, err := w.Read(nil); n != 0 || err != nil {
		t.Errorf("Read(nil) = %d, %v; want 0, nil", n, err)
	}
}

// watchReference finds the report the simple way: the first "\r\nNO
// CARRIER" at the start or right after a flag.
func watchReference(data []byte) ([]byte, error) {
	for i := 0; i <= len(data); i++ {
		if (i == 0 || data[i-1] == flag) && bytes.HasPrefix(data[i:], []byte(noCarrier)) {
			return data[:i], ErrNoCarrier
		}
	}
	return data, io.EOF
}

// FuzzWatchCarrier checks WatchCarrier against watchReference for any
// split of the stream into Reads.
func FuzzWatchCarrier(f *testing.F) {
	f.Add([]byte(frame1+report), uint8(3), uint8(7))                // report after a frame
	f.Add([]byte("\x7e\xff\x03"+report+"\x7e"), uint8(1), uint8(1)) // report text inside a frame
	f.Add([]byte("\x7e\r\nNO CARR"), uint8(2), uint8(200))          // cut short
	f.Fuzz(func(t *testing.T, data []byte, chunk, bufSize uint8) {
		w := WatchCarrier(&chunkRWC{data: data, chunks: []int{int(chunk%32) + 1}})
		got, err := drain(w, int(bufSize%32)+1)
		want, wantErr := watchReference(data)
		if !bytes.Equal(got, want) || !errors.Is(err, wantErr) {
			t.Errorf("got %q, %v; want %q, %v", got, err, want, wantErr)
		}
	})
}

// queuedRWC is a chunkRWC that tells how many octets it holds for
// reading.
type queuedRWC struct {
	chunkRWC
	queued int
}

func (q *queuedRWC) InputQueued() (int, error) { return q.queued, nil }

func TestWatchCarrierInputQueued(t *testing.T) {
	// A flag and the start of a report, then not a report after all:
	// the four octets held back become ready at once with the fifth.
	line := &queuedRWC{chunkRWC: chunkRWC{data: []byte("\x7e\r\nNOX"), chunks: []int{5}}, queued: 100}
	w := WatchCarrier(line)
	q := w.(interface{ InputQueued() (int, error) })
	if n, err := q.InputQueued(); n != 100 || err != nil {
		t.Errorf("InputQueued = %d, %v; want the line's 100, nil", n, err)
	}
	buf := make([]byte, 5)
	if n, err := w.Read(buf); n != 1 || err != nil {
		t.Fatalf("first Read = %d, %v; want the flag alone", n, err)
	}
	if n, err := w.Read(buf[:1]); n != 1 || err != nil {
		t.Fatalf("second Read = %d, %v; want 1, nil", n, err)
	}
	if n, err := q.InputQueued(); n != 100+4 || err != nil {
		t.Errorf("InputQueued = %d, %v; want 104 (the line's and 4 ready), nil", n, err)
	}
	unsupported := WatchCarrier(&chunkRWC{}).(interface{ InputQueued() (int, error) })
	if _, err := unsupported.InputQueued(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("InputQueued on a line that cannot tell: %v, want errors.ErrUnsupported", err)
	}
}

// framesRWC reads endless frames.
type framesRWC struct{ chunkRWC }

func (*framesRWC) Read(p []byte) (int, error) { return copy(p, frame2), nil }

// TestWatchCarrierReadAllocs checks that reading frames through the
// watch allocates nothing once its buffers have grown: it is on the
// path of every octet the line brings.
func TestWatchCarrierReadAllocs(t *testing.T) {
	w := WatchCarrier(&framesRWC{})
	buf := make([]byte, 64)
	w.Read(buf)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := w.Read(buf); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations a Read, want 0", n)
	}
}
