// Package pcap writes PPP frames to a classic libpcap capture file that
// Wireshark, tshark and tcpdump can read, like pppd's "record" option.
//
// The file format is the libpcap one (draft-ietf-opsawg-pcap, formerly
// the tcpdump.org "pcap-savefile" page): a 24-octet global header with
// magic 0xa1b2c3d4 (microsecond timestamps), version 2.4, snaplen 65535
// and link type LINKTYPE_PPP_WITH_DIR (204), then one record per frame.
// Each record holds a direction octet (0x00 received, 0x01 sent) and the
// PPP frame of RFC 1662 §3.1 from its Address and Control fields (or from
// the Protocol field when Address-and-Control-Field-Compression, RFC 1661
// §6.6, removed them) up to the end of the Information field: no flags,
// no transparency escapes and no FCS.
//
// Wire a Writer in where frames are encoded and decoded:
//
//	f, _ := os.Create("link.pcap")
//	w, _ := pcap.NewWriter(f)
//	w.WriteFrame(time.Now(), true, frame) // a frame we send
//
// A Writer does no buffering of its own: each call is one Write of a
// whole record, so a capture cut short by a crash is readable up to its
// last complete record.
package pcap

import (
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"time"
)

// File header constants (draft-ietf-opsawg-pcap §4).
const (
	// Magic marks a file with microsecond timestamps. Writer stores it,
	// like every field, in little-endian order; readers detect the order
	// from it.
	Magic = 0xa1b2c3d4
	// VersionMajor and VersionMinor are the file format version, 2.4.
	VersionMajor = 2
	VersionMinor = 4
	// SnapLen is the most octets of a record's packet data (direction
	// octet included) that a Writer stores; longer frames are truncated
	// and keep their full length in the record's original length.
	SnapLen = 65535
	// LinkTypePPPWithDir is LINKTYPE_PPP_WITH_DIR: one direction octet,
	// then a PPP frame in HDLC-like framing without flags or FCS.
	LinkTypePPPWithDir = 204
)

// Direction octets of LINKTYPE_PPP_WITH_DIR.
const (
	DirReceived = 0x00 // the frame was received by us
	DirSent     = 0x01 // the frame was sent by us
)

const (
	fileHeaderLen   = 24
	recordHeaderLen = 16
)

// Writer writes a capture file. Its methods are safe for concurrent use;
// records are written whole and in the order of the calls.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte // record being written, reused
}

// NewWriter writes the file header to w and returns a Writer that appends
// records to it. The caller keeps ownership of w and closes it when done.
func NewWriter(w io.Writer) (*Writer, error) {
	h := make([]byte, 0, fileHeaderLen)
	h = binary.LittleEndian.AppendUint32(h, Magic)
	h = binary.LittleEndian.AppendUint16(h, VersionMajor)
	h = binary.LittleEndian.AppendUint16(h, VersionMinor)
	h = binary.LittleEndian.AppendUint32(h, 0) // thiszone: UTC
	h = binary.LittleEndian.AppendUint32(h, 0) // sigfigs: unused
	h = binary.LittleEndian.AppendUint32(h, SnapLen)
	h = binary.LittleEndian.AppendUint32(h, LinkTypePPPWithDir)
	if _, err := w.Write(h); err != nil {
		return nil, fmt.Errorf("pcap: write file header: %w", err)
	}
	return &Writer{w: w}, nil
}

// WriteFrame appends one record stamped t for frame, a PPP frame from its
// Address field (or Protocol field, if compressed) to the end of its
// Information field, without FCS. sent is true for a frame we sent and
// false for one we received. frame is not retained.
func (w *Writer) WriteFrame(t time.Time, sent bool, frame []byte) error {
	dir := byte(DirReceived)
	if sent {
		dir = DirSent
	}
	orig := 1 + len(frame)
	incl := min(orig, SnapLen)
	usec := max(t.UnixMicro(), 0) // the format has no time before 1970

	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.buf[:0]
	b = binary.LittleEndian.AppendUint32(b, uint32(usec/1e6))
	b = binary.LittleEndian.AppendUint32(b, uint32(usec%1e6))
	b = binary.LittleEndian.AppendUint32(b, uint32(incl))
	b = binary.LittleEndian.AppendUint32(b, uint32(orig))
	b = append(b, dir)
	b = append(b, frame[:incl-1]...)
	w.buf = b
	if _, err := w.w.Write(b); err != nil {
		return fmt.Errorf("pcap: write record: %w", err)
	}
	return nil
}
