// Package ppptest provides byte-stream fakes for testing PPP over a serial
// line: Pipe, an in-memory full-duplex pair whose reads can be split into
// small chunks with Conn.Limit, and PtyPair, two ends joined through a real
// pseudo-terminal in raw mode.
//
// Both produce the seam the rest of gprsppp consumes, an io.ReadWriteCloser,
// so a test wires one end to the code under test and drives the other:
//
//	a, b := ppptest.Pipe()
//	a.Limit(1) // the code under test gets one byte per Read
//	go codeUnderTest(a)
//	b.Write(frame) // act as the peer
//
// Like a serial line, neither fake drops or reorders bytes: a writer blocks
// while the other side's buffer is full.
package ppptest
