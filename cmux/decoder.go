package cmux

// DecoderStats counts what a Decoder found on the line.
type DecoderStats struct {
	Frames   uint64 // good frames delivered
	BadFCS   uint64 // frames dropped for their FCS
	TooLong  uint64 // frames dropped for a length over the limit
	BadFrame uint64 // frames dropped for no closing flag or a bad address
	Noise    uint64 // octets skipped while hunting for a flag
}

// decodeState is where a Decoder is within a frame.
type decodeState uint8

const (
	huntFlag   decodeState = iota // waiting for an opening flag
	getAddress                    // after a flag: more flags or an address
	getControl
	getLength1
	getLength2
	getInfo
	getFCS
	getClose // waiting for the closing flag
)

// Decoder is an incremental, allocation-free decoder of basic option
// frames from a byte stream. It hunts for a flag, skips repeated flags
// (some modems send bursts of them, or the wake-up sequence), takes the
// closing flag of one frame as the opening flag of the next when a sender
// shares them, and drops and counts frames with a bad FCS, a length over
// MaxInfo or no closing flag, hunting for the next flag after them.
type Decoder struct {
	// MaxInfo is the longest information field accepted; a frame
	// announcing more is dropped as soon as its length field is read.
	// Zero means MaxN1.
	MaxInfo int

	state  decodeState
	hdr    [4]byte // address, control, length octets
	nhdr   int
	length int
	info   []byte
	fcs    byte
	stats  DecoderStats
}

// Stats returns the counters.
func (d *Decoder) Stats() DecoderStats { return d.stats }

// Decode consumes b, calling fn for each good frame. The frame's Info is
// valid only during the call.
func (d *Decoder) Decode(b []byte, fn func(Frame)) {
	for _, c := range b {
		d.octet(c, fn)
	}
}

func (d *Decoder) octet(c byte, fn func(Frame)) {
	switch d.state {
	case huntFlag:
		if c == Flag {
			d.state = getAddress
		} else {
			d.stats.Noise++
		}
	case getAddress:
		if c == Flag {
			return // repeated flags
		}
		if c&1 == 0 {
			d.drop(&d.stats.BadFrame)
			return
		}
		d.hdr[0], d.nhdr = c, 1
		d.state = getControl
	case getControl:
		d.hdr[1], d.nhdr = c, 2
		d.state = getLength1
	case getLength1:
		d.hdr[2], d.nhdr = c, 3
		d.length = int(c >> 1)
		if c&1 == 0 {
			d.state = getLength2
			return
		}
		d.startInfo()
	case getLength2:
		d.hdr[3], d.nhdr = c, 4
		d.length |= int(c) << 7
		d.startInfo()
	case getInfo:
		d.info = append(d.info, c)
		if len(d.info) == d.length {
			d.state = getFCS
		}
	case getFCS:
		d.fcs = c
		d.state = getClose
	case getClose:
		if c != Flag {
			d.drop(&d.stats.BadFrame)
			return
		}
		d.deliver(fn)
		// The closing flag may open the next frame too.
		d.state = getAddress
	}
}

// startInfo checks the length just read.
func (d *Decoder) startInfo() {
	limit := d.MaxInfo
	if limit <= 0 {
		limit = MaxN1
	}
	if d.length > limit {
		d.drop(&d.stats.TooLong)
		return
	}
	if cap(d.info) < d.length {
		d.info = make([]byte, 0, d.length)
	}
	d.info = d.info[:0]
	d.state = getInfo
	if d.length == 0 {
		d.state = getFCS
	}
}

// deliver checks the FCS of the frame read and hands it to fn.
func (d *Decoder) deliver(fn func(Frame)) {
	hdr := d.hdr[:d.nhdr]
	crc := fcsUpdate(fcsInit, hdr)
	t := FrameType(hdr[1] &^ pfBit)
	if t != UIH {
		crc = fcsUpdate(crc, d.info)
	}
	if fcsUpdate(crc, []byte{d.fcs}) != goodFCS {
		d.stats.BadFCS++
		return
	}
	d.stats.Frames++
	fn(Frame{
		DLCI: int(hdr[0] >> 2),
		CR:   hdr[0]&2 != 0,
		Type: t,
		PF:   hdr[1]&pfBit != 0,
		Info: d.info,
	})
}

// drop counts a bad frame and hunts for the next flag.
func (d *Decoder) drop(counter *uint64) {
	*counter++
	d.state = huntFlag
}
