// Package cmux implements the basic option of the 3GPP TS 27.010
// multiplexer ("CMUX", AT+CMUX=0 of TS 27.007 §5.7) as cellular modems
// use it: several virtual channels (DLCs) over one serial line,
// conventionally AT commands on DLCI 1 and PPP on DLCI 2, so that a host
// can query the modem while a packet data call runs.
//
// The multiplexer consumes an io.ReadWriteCloser (the port) and each DLC
// is one again (Channel), as in Zephyr's modem_cmux: the dialer, PPP and
// a carrier watch run on a channel exactly as on a port.
//
// What it speaks (TS 27.010 §5):
//   - Frames: flag 0xF9, address (DLCI, C/R, EA), control (SABM, UA, DM,
//     DISC, UIH, UI with the P/F bit), a length of one or two octets, the
//     CRC-8 FCS (over address, control and length for UIH) and a closing
//     flag. Each frame goes out with exactly one opening and one closing
//     flag (Linux n_gsm 6.1 parses flags strictly); repeated flags are
//     skipped on receive, and a frame with a bad FCS, a length over N1 or
//     no closing flag is dropped and counted (Stats), never fatal.
//   - DLC establishment and release: SABM/UA, DISC/UA, DM; SABM and DISC
//     are retransmitted every T1 up to N2 times.
//   - Control messages on DLCI 0: PN (the initiator proposes N1, takes a
//     smaller answer; NSC or silence keeps the configured N1), MSC (each
//     end announces RTC|RTR|DV, answers the peer's MSC and follows its
//     FC bit), FCon/FCoff, Test (echoed; optionally a keepalive), PSC
//     (answered; the sleeping peer is then woken with a run of flags,
//     repeated every T1 until it answers, before the next frame, and a
//     peer's own wake-up flags are answered with flags), CLD, and NSC for
//     the commands it does not know.
//     Commands wait T2 for their response and are retransmitted up to N2
//     times; CLD is sent once and waited for at most T2.
//   - Flow control without loss: Channel.Write blocks while the peer has
//     asked to stop (MSC FC=1 on its DLC, or FCoff); a channel whose
//     reader falls behind its bounded buffer sends MSC with FC=1, and
//     FC=0 once drained (both counted in Stats; Channel.Buffered says
//     how much waits).
//
// Against Linux n_gsm 6.1 as the modem (the pppd VM's CMUX mode): PN
// gets NSC (in n_gsm's own form, the type octet without EA, which is
// recognised) and N1 stays as configured; n_gsm's MSCs carry RTC|RTR but
// not DV, so a channel's Signals say nothing of the carrier there; it
// stops sending on MSC FC=1 within about 14 KiB; and it sends no
// response to CLD, so Close returns after T2.
//
// Not done: the advanced option (0x7E flags and escaping), error
// recovery mode (I frames), convergence layers other than type 1, RPN,
// RLS and SNC (answered with NSC), and a low-power state of its own
// (this end never sends PSC).
//
// A host, after the modem answered AT+CMUX=0,0,5,127 with OK:
//
//	mux := cmux.NewInitiator(port, cmux.Config{N1: 127, Logger: log})
//	defer mux.Close() // DISC every DLC, CLD, close port
//	at, err := mux.Open(ctx, 1)   // AT commands and URCs
//	...
//	data, err := mux.Open(ctx, 2) // ATD*99***1#, then PPP
//	...
//	link, err := gprsppp.Open(ctx, data, cfg)
//	<-data.Done()    // the DLC closed: data.Err() says why
//	<-mux.Done()     // the multiplexer ended: mux.Err() says why
//
// The port is closed when the multiplexer ends; to go on using the line
// in AT mode after Close, pass a port whose Close only ends the
// multiplexer's use of it.
//
// A modem (the simulator) runs the responder and takes each DLC the
// host opens:
//
//	mux := cmux.NewResponder(line, cmux.Config{N1: 127})
//	for {
//		ch, err := mux.Accept(ctx)
//		...
//	}
package cmux
