// Package dialer drives a cellular modem's AT command interface (ITU-T
// V.250, 3GPP TS 27.007 and 27.005) up to and down from data mode, so that
// PPP can run on the same byte stream.
//
// Dial runs a chat script, in the manner of pppd's chat(8) and Zephyr's
// modem_chat: steps that are plain data ([]Step of command, expected
// lines, timeout, retries), abort patterns that fail a step with a typed
// error (ErrNoCarrier, ErrBusy, *CMEError, ...) and URC handlers that take
// unsolicited lines (RING, +CREG: 2) arriving in between. The default
// script synchronises, checks the SIM and enters its PIN, waits for
// network registration, sets the APN and dials *99***1#; ParseChatScript
// reads a replacement from a chat(8) file. Dial reads the line one byte at
// a time and stops right after CONNECT, so the PPP bytes that follow are
// untouched:
//
//	conn, err := dialer.Dial(ctx, port, dialer.DialConfig{APN: "internet", PIN: pin})
//	if err != nil { ... } // a *StepError naming the step, e.g. "register"
//	line := dialer.NewOnlineLine(port) // go line.WatchDCD(done, time.Second)
//	link := dialer.WatchCarrier(line)  // Read fails with ErrNoCarrier when the call drops
//	// ... run PPP on link ...
//	err = dialer.Hangup(ctx, port, dialer.HangupConfig{})
//
// WatchCarrier spots the modem's NO CARRIER in the data stream, and an
// OnlineLine's WatchDCD the drop of its Data Carrier Detect; Hangup
// drops DTR where the line has it, else escapes with +++ and sends ATH.
//
// On a modem multiplexed with 3GPP TS 27.010 (CMUX), EnterCMUX takes the
// port from command mode into the multiplexer (AT+CMUX), Dial runs on the
// data channel, and a Monitor keeps the AT channel: registration URCs,
// the signal (+CSQ, +CESQ), registration and operator (+COPS?) polled
// into a ModemStatus, and commands sent between the polls.
//
//	mon := dialer.NewMonitor(atChannel, dialer.MonitorConfig{Interval: 30 * time.Second})
//	go mon.Run(ctx)
//	reply, err := mon.Command(ctx, "AT+CSQ", 0) // reply.Lines, reply.Result
//
// Package attest provides a scripted fake modem for tests.
//
// Of the rest of gprsppp it uses only the AT vocabulary (package at) and
// the injectable clock; the modem side of the same dialogue (the
// simulator, the shim, the scripted test modem) runs on package at/dce.
package dialer
