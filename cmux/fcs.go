package cmux

// The frame check sequence of TS 27.010 §5.2.1.6: CRC-8 with the
// polynomial x^8+x^2+x+1, bit-reflected (0xE0), initial value 0xFF; the
// octet sent is its ones' complement. Over the covered octets and the FCS
// a receiver gets goodFCS.
const (
	fcsInit = 0xFF
	goodFCS = 0xCF
)

// fcsUpdate adds b to the running CRC crc.
func fcsUpdate(crc byte, b []byte) byte {
	for _, c := range b {
		crc ^= c
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xE0
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}

// fcs returns the FCS octet sent after b.
func fcs(b []byte) byte { return ^fcsUpdate(fcsInit, b) }
