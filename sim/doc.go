// Package sim hosts the services of a simulated operator network on the
// network side of a PPP link: TCP and UDP echo (port 7), discard (port 9),
// an HTTP server (port 80) with an index page and a large deterministic
// file, and DNS (port 53) for the network's own names.
//
// It also simulates the cellular modem in front of that network, so that
// a dialer can be tested end to end without hardware:
//
//   - Modem is the DCE end of a serial line. In command mode it answers
//     AT commands as a 3GPP modem does (ITU-T V.250 for the command line,
//     echo, result codes and S-parameters; 3GPP TS 27.007 for +CPIN,
//     +CREG/+CGREG/+CEREG, +CSQ, +CGDCONT, +COPS, +CGATT, +CMEE and the
//     identification commands), with switches for a locked or missing
//     SIM (three wrong PINs block it until its PUK; AT+CPINR reports the
//     attempts left), slow registration, failing dials and dropped calls. A packet
//     data dial (ATD*99***1#, ATD*99# or AT+CGDATA="PPP",1) answers
//     CONNECT and runs gprsppp.OpenNetwork on the same line with Serve's
//     services on the link; when the link ends the modem reports NO
//     CARRIER and is back in command mode. "+++" with guard times
//     escapes to online command mode, ATO returns to the call and ATH
//     releases it. A client that goes away without hanging up leaves
//     the modem in data mode, as on a real line without DTR.
//   - AT+CMUX=0 (3GPP TS 27.007 §5.7; TS 27.010 basic option, UIH
//     frames) turns the line into a multiplexer, package cmux's
//     responder: each DLC the host opens, conventionally 1 for AT and 2
//     for PPP, runs a modem of its own with its own echo and result code
//     settings, sharing the SIM, the registration and one call at a
//     time, so AT+CSQ on DLCI 1 answers while PPP runs on DLCI 2.
//     AT+CMUX inside the multiplexer, mode 1 (advanced) and a subset
//     other than 0 are answered ERROR. CLD or DISC on DLCI 0 returns the
//     line to AT commands.
//   - ListenInbound lets the network originate connections toward the
//     client: each connection to a port on the host is opened, during a
//     call, from the network side (its own address or another host's)
//     to a port on the client's address and relayed both ways; between
//     calls it is closed at once. A modem uses it as Services.Inbound.
//   - Pace gives any byte stream the speed and latency of a serial line;
//     PaceLine adds a drop-tail FIFO, in line time, in front of one
//     direction: an operator's queue toward the device.
//   - ListenPty makes a pseudo-terminal that a client opens as it would
//     a modem's serial port.
//
// Wiring, as the "gprsppp sim" command does it:
//
//	p, err := sim.ListenPty("/tmp/modem")          // clients open /tmp/modem
//	m := sim.NewModem(sim.ModemConfig{PIN: "1234"})
//	err = m.Serve(ctx, sim.Pace(p, 115200, 50*time.Millisecond, nil))
package sim
