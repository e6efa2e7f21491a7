package main

import (
	"bytes"
	"io"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// traceLine is a host's line for the trace's tests: each Read returns
// the next chunk of in.
type traceLine struct {
	in  [][]byte
	out bytes.Buffer
}

func (l *traceLine) Read(b []byte) (int, error) {
	if len(l.in) == 0 {
		return 0, io.EOF
	}
	n := copy(b, l.in[0])
	l.in = l.in[1:]
	return n, nil
}

func (l *traceLine) Write(b []byte) (int, error) { return l.out.Write(b) }
func (l *traceLine) Close() error                { return nil }

// The trace cuts each direction into lines, keeps the CR and LF that
// open a reply with it, and logs data without a line end when the other
// side speaks next, or at the end; the host's bytes go through as they
// were.
func TestShimTraceRecords(t *testing.T) {
	type op struct {
		read bool // a Read of the next chunk; otherwise a Write of data
		data string
	}
	tests := []struct {
		name string
		ops  []op
		hex  bool
		want []string // "<" from host, ">" to host
	}{
		{
			name: "command, echo, reply",
			ops:  []op{{true, "AT\r"}, {false, "AT\r"}, {false, "\r\nOK\r\n"}},
			want: []string{`< AT` + "\r", `> AT` + "\r", "> \r\nOK\r\n"},
		},
		{
			name: "a command in pieces",
			ops:  []op{{true, "A"}, {true, "T+CSQ"}, {true, "\r"}, {false, "\r\n+CSQ: 20,99\r\n\r\nOK\r\n"}},
			want: []string{"< AT+CSQ\r", "> \r\n+CSQ: 20,99\r\n", "> \r\nOK\r\n"},
		},
		{
			name: "CR then LF in the next write",
			ops:  []op{{false, "OK\r"}, {false, "\nRING\r\n"}},
			want: []string{"> OK\r", "> \nRING\r\n"},
		},
		{
			name: "prompt and payload",
			ops: []op{
				{true, "AT+QISEND=5\r"}, {false, "\r\n> "}, {true, "hel"}, {true, "lo"}, {false, "\r\nSEND OK\r\n"},
			},
			want: []string{"< AT+QISEND=5\r", "> \r\n> ", "< hello", "> \r\nSEND OK\r\n"},
		},
		{
			name: "pending at the end",
			ops:  []op{{false, "\r\nCONNECT\r\n"}, {true, "\x00\x1a"}},
			want: []string{"> \r\nCONNECT\r\n", "< \x00\x1a"},
		},
		{
			name: "hex",
			ops:  []op{{true, "AT\r"}, {false, "\r\nOK\r\n"}},
			hex:  true,
			want: []string{"< 41540d", "> 0d0a4f4b0d0a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := &traceLine{}
			var wantOut, wantIn []byte
			for _, o := range tt.ops {
				if o.read {
					line.in = append(line.in, []byte(o.data))
					wantIn = append(wantIn, o.data...)
				} else {
					wantOut = append(wantOut, o.data...)
				}
			}
			var log bytes.Buffer
			tr := newShimTrace(line, slog.New(slog.NewJSONHandler(&log, nil)), tt.hex)
			var gotIn []byte
			for _, o := range tt.ops {
				if !o.read {
					tr.Write([]byte(o.data))
					continue
				}
				b := make([]byte, 64)
				n, _ := tr.Read(b)
				gotIn = append(gotIn, b[:n]...)
			}
			tr.flush()
			var got []string
			for _, r := range jsonRecords(t, log.Bytes()) {
				dir := map[string]string{traceFromHost: "<", traceToHost: ">"}[str(r["msg"])]
				got = append(got, dir+" "+str(r["line"])+str(r["hex"]))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if !bytes.Equal(gotIn, wantIn) || !bytes.Equal(line.out.Bytes(), wantOut) {
				t.Errorf("the trace changed the data: read %q, want %q; wrote %q, want %q", gotIn, wantIn, line.out.Bytes(), wantOut)
			}
		})
	}
}

// Data without a line end is logged once traceRecordMax of it waits, as
// in transparent mode, rather than held until a line ends.
func TestShimTraceLongData(t *testing.T) {
	var log bytes.Buffer
	tr := newShimTrace(&traceLine{}, slog.New(slog.NewJSONHandler(&log, nil)), false)
	half := bytes.Repeat([]byte("x"), traceRecordMax/2+1)
	tr.Write(half)
	tr.Write(half)
	tr.Write([]byte("tail"))
	tr.flush()
	var got []int
	for _, r := range jsonRecords(t, log.Bytes()) {
		got = append(got, len(str(r["line"])))
	}
	if diff := cmp.Diff([]int{2 * len(half), 4}, got); diff != "" {
		t.Errorf("record lengths (-want +got):\n%s", diff)
	}
}
