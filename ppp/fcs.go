package ppp

import (
	"encoding/binary"
	"hash/crc32"
)

// Frame Check Sequence constants (RFC 1662 §C.2, §C.3). A running FCS
// starts at the Init value; the sender transmits its ones' complement,
// least significant octet first, and a receiver that runs the FCS over the
// data and the transmitted FCS ends at the Good value.
const (
	FCS16Init uint16 = 0xffff
	FCS16Good uint16 = 0xf0b8
	FCS32Init uint32 = 0xffffffff
	FCS32Good uint32 = 0xdebb20e3
)

// fcs16Poly is x**0 + x**5 + x**12 + x**16 with the bits reversed, as
// RFC 1662 §C.2 computes it.
const fcs16Poly = 0x8408

// fcs16Table holds the slicing-by-16 lookup tables: fcs16Table[0] is the
// byte-at-a-time table of RFC 1662 §C.2 and fcs16Table[k][i] is the effect
// of octet i followed by k zero octets.
var fcs16Table = makeFCS16Table()

func makeFCS16Table() *[16][256]uint16 {
	t := new([16][256]uint16)
	for i := range 256 {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ fcs16Poly
			} else {
				c >>= 1
			}
		}
		t[0][i] = c
	}
	for i := range 256 {
		for k := 1; k < len(t); k++ {
			c := t[k-1][i]
			t[k][i] = c>>8 ^ t[0][byte(c)]
		}
	}
	return t
}

// FCS16 returns the running 16-bit Frame Check Sequence fcs updated with b
// (RFC 1662 §C.2). Start with FCS16Init and transmit the complement of the
// result, least significant octet first.
func FCS16(fcs uint16, b []byte) uint16 {
	t := fcs16Table
	for len(b) >= 16 {
		lo := binary.LittleEndian.Uint64(b)
		hi := binary.LittleEndian.Uint64(b[8:])
		// The running value only meets the first two octets, so the
		// other fourteen are looked up before it is known, which keeps
		// the chain from one block to the next short.
		p := t[13][byte(lo>>16)] ^ t[12][byte(lo>>24)] ^
			t[11][byte(lo>>32)] ^ t[10][byte(lo>>40)] ^
			t[9][byte(lo>>48)] ^ t[8][byte(lo>>56)] ^
			t[7][byte(hi)] ^ t[6][byte(hi>>8)] ^
			t[5][byte(hi>>16)] ^ t[4][byte(hi>>24)] ^
			t[3][byte(hi>>32)] ^ t[2][byte(hi>>40)] ^
			t[1][byte(hi>>48)] ^ t[0][byte(hi>>56)]
		x := uint16(lo) ^ fcs
		fcs = p ^ t[15][byte(x)] ^ t[14][byte(x>>8)]
		b = b[16:]
	}
	for _, c := range b {
		fcs = fcs>>8 ^ t[0][byte(fcs)^c]
	}
	return fcs
}

// FCS32 returns the running 32-bit Frame Check Sequence fcs updated with b
// (RFC 1662 §C.3). Start with FCS32Init and transmit the complement of the
// result, least significant octet first.
//
// The polynomial is the IEEE 802.3 one, so the work is done by hash/crc32,
// which uses the CPU's carry-less multiply where it has one. crc32.Update
// complements its running value on entry and exit; complementing around it
// gives the uncomplemented running value of RFC 1662.
func FCS32(fcs uint32, b []byte) uint32 {
	return ^crc32.Update(^fcs, crc32.IEEETable, b)
}

// fcs32Short is FCS32 an octet at a time, for a few octets. Unlike
// crc32.Update it does not make b escape, so a header built in a local
// array stays on the stack.
func fcs32Short(fcs uint32, b []byte) uint32 {
	for _, c := range b {
		fcs = fcs>>8 ^ crc32.IEEETable[byte(fcs)^c]
	}
	return fcs
}
