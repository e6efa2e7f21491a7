// Package attest provides a scripted fake modem for testing code that
// talks AT commands (ITU-T V.250, 3GPP TS 27.007) to a cellular modem, in
// the manner of Zephyr's modem mock and warthog618's mockModem.
//
// Modem plays the DCE on one end of a byte stream, answering the commands
// an AT dialer sends, with fault switches in Config: echo, SIM PIN, PUK or
// no SIM, the wrong PINs the SIM takes and the command that reports them
// (AT+CPINR, AT+QPINC or AT^CPIN?), slow, never or denied registration,
// ERROR on chosen commands, the dial result, a modem that never answers,
// URCs injected mid-answer, verbose or numeric +CME ERRORs, CR-only line
// ends, and data mode with the +++ escape, DTR hang-up and PPP frames
// sent to a client that is gone. After CONNECT it stops reading, so the
// test owns the stream. Its command line (echo, editing, result codes,
// ATV, AT+CMEE, AT&D, the +++ escape) is that of package at/dce, the
// engine every emulated modem runs on.
//
// Line adds read deadlines to a stream without them, such as an end of
// ppptest.Pipe, so that it satisfies dialer.Line:
//
//	dte, dce := ppptest.Pipe()
//	m := attest.New(dce, attest.Config{PIN: "1234"})
//	defer m.Close()
//	line := attest.NewLine(dte)
//	conn, err := dialer.Dial(ctx, line, dialer.DialConfig{PIN: "1234"})
//
// The fake reads the clock through package time, so tests that run it
// inside a testing/synctest bubble get registration delays, guard times
// and timeouts without waiting.
package attest
