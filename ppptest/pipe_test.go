package ppptest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"
)

func TestPipeTransfer(t *testing.T) {
	const size = 4 << 20
	for _, limit := range []int{0, 1, 7} {
		t.Run(limitName(limit), func(t *testing.T) {
			t.Parallel()
			a, b := Pipe()
			a.Limit(limit)
			b.Limit(limit)
			transfer(t, a, b, size)
			a.Close()
		})
	}
}

func limitName(n int) string {
	if n == 0 {
		return "unlimited"
	}
	return fmt.Sprintf("limit%d", n)
}

// result is what a Read or Write returned.
type result struct {
	n   int
	err error
}

// start runs op in a goroutine and returns where its result will appear.
func start(op func() (int, error)) <-chan result {
	c := make(chan result, 1)
	go func() {
		n, err := op()
		c <- result{n, err}
	}()
	return c
}

// blocked reports whether the operation behind c has not returned. Call it
// after synctest.Wait.
func blocked(c <-chan result) bool {
	return len(c) == 0
}

func TestPipeClose(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, a, b *Conn)
	}{
		{"peer close drains then EOF", func(t *testing.T, a, b *Conn) {
			mustWrite(t, a, "hello")
			a.Close()
			if got := readAll(t, b); got != "hello" {
				t.Errorf("read %q after peer close, want %q", got, "hello")
			}
			wantErr(t, "Read", res(b.Read(make([]byte, 1))), io.EOF)
		}},
		{"peer close unblocks Read", func(t *testing.T, a, b *Conn) {
			c := start(func() (int, error) { return b.Read(make([]byte, 1)) })
			synctest.Wait()
			if !blocked(c) {
				t.Fatal("Read returned before any data or Close")
			}
			a.Close()
			r := <-c
			wantErr(t, "pending Read", r, io.EOF)
		}},
		{"own close unblocks Read", func(t *testing.T, a, b *Conn) {
			c := start(func() (int, error) { return b.Read(make([]byte, 1)) })
			synctest.Wait()
			b.Close()
			r := <-c
			wantErr(t, "pending Read", r, io.ErrClosedPipe)
		}},
		{"Write after close fails on both ends", func(t *testing.T, a, b *Conn) {
			a.Close()
			wantErr(t, "Write on closed end", res(a.Write([]byte("x"))), io.ErrClosedPipe)
			wantErr(t, "Write on peer", res(b.Write([]byte("x"))), io.ErrClosedPipe)
			wantErr(t, "Read on closed end", res(a.Read(make([]byte, 1))), io.ErrClosedPipe)
		}},
		{"Write blocks while full", func(t *testing.T, a, b *Conn) {
			data := bytes.Repeat([]byte{0x7e}, BufferSize+10)
			c := start(func() (int, error) { return a.Write(data) })
			synctest.Wait()
			if !blocked(c) {
				t.Fatal("Write of more than BufferSize returned before any Read")
			}
			buf := make([]byte, 10)
			if _, err := io.ReadFull(b, buf); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
			if r := <-c; r.n != len(data) || r.err != nil {
				t.Errorf("Write = %d, %v; want %d, nil", r.n, r.err, len(data))
			}
			a.Close()
			if got := len(readAll(t, b)); got != BufferSize {
				t.Errorf("read %d more bytes, want %d", got, BufferSize)
			}
		}},
		{"peer close unblocks Write", func(t *testing.T, a, b *Conn) {
			c := start(func() (int, error) { return a.Write(make([]byte, BufferSize+1)) })
			synctest.Wait()
			b.Close()
			r := <-c
			if r.n != BufferSize || !errors.Is(r.err, io.ErrClosedPipe) {
				t.Errorf("Write = %d, %v; want %d, %v", r.n, r.err, BufferSize, io.ErrClosedPipe)
			}
		}},
		{"own close unblocks Write", func(t *testing.T, a, b *Conn) {
			c := start(func() (int, error) { return a.Write(make([]byte, BufferSize+1)) })
			synctest.Wait()
			a.Close()
			r := <-c
			wantErr(t, "pending Write", result{r.n - BufferSize, r.err}, io.ErrClosedPipe)
		}},
		{"Close is idempotent", func(t *testing.T, a, b *Conn) {
			for _, c := range []*Conn{a, a, b, b} {
				if err := c.Close(); err != nil {
					t.Errorf("Close = %v", err)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b := Pipe()
				defer b.Close()
				defer a.Close()
				tt.run(t, a, b)
			})
		})
	}
}

func TestPipeLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		want  []string
	}{
		{"none", 0, []string{"0123456789"}},
		{"one", 1, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
		{"three", 3, []string{"012", "345", "678", "9"}},
		{"larger than data", 64, []string{"0123456789"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Pipe()
			defer a.Close()
			b.Limit(tt.limit)
			mustWrite(t, a, "0123456789")
			a.Close()
			var got []string
			buf := make([]byte, 100)
			for {
				n, err := b.Read(buf)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, string(buf[:n]))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reads (-want +got):\n%s", diff)
			}
		})
	}
}

func mustWrite(t *testing.T, w io.Writer, s string) {
	t.Helper()
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatalf("Write(%q): %v", s, err)
	}
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	return string(b)
}

// res bundles the results of a Read or Write for wantErr.
func res(n int, err error) result { return result{n, err} }

func wantErr(t *testing.T, op string, r result, want error) {
	t.Helper()
	if r.n != 0 || !errors.Is(r.err, want) {
		t.Errorf("%s = %d, %v; want 0, %v", op, r.n, r.err, want)
	}
}
