package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Frames as they appear on the wire between the flags, minus the FCS.
var (
	// LCP Configure-Request (RFC 1661 §5.1) with MRU and Magic-Number.
	lcpConfReq = bytes.Join([][]byte{
		{0xff, 0x03},                         // Address, Control
		{0xc0, 0x21},                         // Protocol: LCP
		{0x01, 0x01, 0x00, 0x0e},             // Code: Configure-Request, Identifier 1, Length 14
		{0x01, 0x04, 0x05, 0xdc},             // MRU 1500
		{0x05, 0x06, 0x12, 0x34, 0x56, 0x78}, // Magic-Number
	}, nil)
	// IPCP Configure-Request (RFC 1332 §3.3) asking for an address,
	// with the Address and Control fields compressed (ACFC).
	ipcpConfReq = bytes.Join([][]byte{
		{0x80, 0x21},             // Protocol: IPCP
		{0x01, 0x02, 0x00, 0x0a}, // Code: Configure-Request, Identifier 2, Length 10
		{0x03, 0x06, 0, 0, 0, 0}, // IP-Address 0.0.0.0
	}, nil)
	ipFrame = append([]byte{0xff, 0x03, 0x00, 0x21}, udpPacket()...)
)

// udpPacket is an IPv4/UDP datagram from 10.64.0.2:1234 to 192.0.2.1:7.
func udpPacket() []byte {
	payload := []byte("hello")
	ip := bytes.Join([][]byte{
		{0x45, 0x00},                        // Version 4, IHL 5, TOS
		{0x00, byte(20 + 8 + len(payload))}, // Total Length
		{0x00, 0x01, 0x00, 0x00},            // Identification, Flags, Fragment Offset
		{0x40, 0x11, 0x00, 0x00},            // TTL 64, Protocol UDP, Checksum (below)
		{10, 64, 0, 2},                      // Source
		{192, 0, 2, 1},                      // Destination
	}, nil)
	var sum uint32
	for i := 0; i < len(ip); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	udp := []byte{0x04, 0xd2, 0x00, 0x07, 0x00, byte(8 + len(payload)), 0x00, 0x00} // checksum 0: none
	return append(append(ip, udp...), payload...)
}

// record is one parsed capture record.
type record struct {
	Time time.Time
	Orig int
	Data []byte // direction octet and frame
}

// readFile is a minimal reader for the files Writer makes: it checks the
// header and returns the records.
func readFile(r io.Reader) ([]record, error) {
	var h [fileHeaderLen]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("file header: %w", err)
	}
	le := binary.LittleEndian
	if got := [5]uint32{le.Uint32(h[0:]), uint32(le.Uint16(h[4:])), uint32(le.Uint16(h[6:])), le.Uint32(h[16:]), le.Uint32(h[20:])}; got != [5]uint32{Magic, 2, 4, 65535, 204} {
		return nil, fmt.Errorf("file header %x", h)
	}
	var recs []record
	for {
		var rh [recordHeaderLen]byte
		if _, err := io.ReadFull(r, rh[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return recs, nil
			}
			return nil, fmt.Errorf("record header: %w", err)
		}
		data := make([]byte, le.Uint32(rh[8:]))
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("record data: %w", err)
		}
		t := time.Unix(int64(le.Uint32(rh[0:])), int64(le.Uint32(rh[4:]))*1000).UTC()
		recs = append(recs, record{Time: t, Orig: int(le.Uint32(rh[12:])), Data: data})
	}
}

func TestWriteFrame(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 123456789, time.UTC)
	big := bytes.Repeat([]byte{0x42}, SnapLen+10)
	tests := []struct {
		name  string
		sent  bool
		frame []byte
		want  record
	}{
		{"sent LCP", true, lcpConfReq, record{t0.Truncate(time.Microsecond), 1 + len(lcpConfReq), append([]byte{DirSent}, lcpConfReq...)}},
		{"received IPCP", false, ipcpConfReq, record{t0.Truncate(time.Microsecond), 1 + len(ipcpConfReq), append([]byte{DirReceived}, ipcpConfReq...)}},
		{"empty", false, nil, record{t0.Truncate(time.Microsecond), 1, []byte{DirReceived}}},
		{"truncated to snaplen", true, big, record{t0.Truncate(time.Microsecond), 1 + len(big), append([]byte{DirSent}, big[:SnapLen-1]...)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteFrame(t0, tt.sent, tt.frame); err != nil {
				t.Fatal(err)
			}
			got, err := readFile(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]record{tt.want}, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileHeader(t *testing.T) {
	var buf bytes.Buffer
	if _, err := NewWriter(&buf); err != nil {
		t.Fatal(err)
	}
	want := bytes.Join([][]byte{
		{0xd4, 0xc3, 0xb2, 0xa1}, // magic, little-endian
		{0x02, 0x00, 0x04, 0x00}, // version 2.4
		{0, 0, 0, 0},             // thiszone
		{0, 0, 0, 0},             // sigfigs
		{0xff, 0xff, 0x00, 0x00}, // snaplen 65535
		{0xcc, 0x00, 0x00, 0x00}, // LINKTYPE_PPP_WITH_DIR
	}, nil)
	if diff := cmp.Diff(want, buf.Bytes()); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	if _, err := NewWriter(failWriter{}); err == nil {
		t.Error("NewWriter on a failing writer: no error")
	}
	w := &Writer{w: failWriter{}}
	if err := w.WriteFrame(time.Now(), true, lcpConfReq); err == nil {
		t.Error("WriteFrame on a failing writer: no error")
	}
}

// Concurrent writers must produce whole records (run with -race).
func TestConcurrentWrites(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	const n, each = 8, 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := w.WriteFrame(time.Now(), i%2 == 0, bytes.Repeat([]byte{byte(i)}, 10+i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	recs, err := readFile(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n*each {
		t.Fatalf("got %d records, want %d", len(recs), n*each)
	}
	for _, r := range recs {
		i := int(r.Data[1])
		if len(r.Data) != 11+i || !bytes.Equal(r.Data[1:], bytes.Repeat([]byte{byte(i)}, 10+i)) {
			t.Fatalf("mixed record %x", r.Data)
		}
	}
}

// TestTshark writes LCP, IPCP and IPv4 frames to a file and has tshark,
// an independent reader, decode it.
func TestTshark(t *testing.T) {
	tshark := testenv.NeedTool(t, "tshark", "apt-get install tshark")
	path := filepath.Join(t.TempDir(), "link.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	for i, fr := range []struct {
		sent  bool
		frame []byte
	}{{true, lcpConfReq}, {false, ipcpConfReq}, {true, ipFrame}} {
		if err := w.WriteFrame(t0.Add(time.Duration(i)*time.Millisecond), fr.sent, fr.frame); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	// Also read it back ourselves.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readFile(bytes.NewReader(data))
	if err != nil || len(recs) != 3 {
		t.Fatalf("read back: %d records, %v", len(recs), err)
	}

	cmd := exec.Command(tshark, "-r", path, "-V")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // no user profile
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"PPP Link Control Protocol",
		"Configuration Request",
		"Magic Number: 0x12345678",
		"PPP IP Control Protocol",
		"IP Address: 0.0.0.0",
		"Internet Protocol Version 4, Src: 10.64.0.2, Dst: 192.0.2.1",
		"User Datagram Protocol, Src Port: 1234, Dst Port: 7",
		"Direction: Sent",
		"Direction: Received",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("tshark output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("tshark -V:\n%s", text)
	}
}
