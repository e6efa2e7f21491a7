// Package shim presents a cellular module's AT socket commands to a
// legacy host while the TCP/IP runs on gprsppp's own stack over the
// modem's PPP link, so firmware written for a module's internal stack
// keeps working on a modern modem.
//
// Each host gets a session of its own (Shim.Serve) speaking one Dialect:
// Quectel's QI* set of the GSM modules M95, M66, M26 and MC60
// (DialectM95, the default), or that of the LTE modules BG96, BG95 and
// EC2x (DialectBG96), SIMCom's CIP* set of the SIM800 and SIM900
// (DialectSIM800), the Wavecom IP stack's #-commands of Multi-Tech's
// GPRS modems (DialectMultiTech), or Telit's multisocket #S* set
// (DialectTelit). Shim.ServePorts serves one module with several AT
// ports that share its sockets, as a Telit's MDM and MDM2. A session's
// command line runs on the modem-side engine every emulated modem shares (package at/dce: line editing,
// echo, parsing, result codes, payloads after a prompt, the "+++"
// escape); its sockets, contexts and listeners are those of the
// dialect-neutral socket core (package modemsock). A dialect's files hold
// only its commands and the rendering of the core's events in its
// module's words: shim_bg96*.go, shim_sim800*.go, shim_telit*.go and
// shim_multitech*.go; for the M95, shim_conn.go, shim_pdp.go,
// shim_recv.go, shim_send.go, shim_server.go, shim_ipcmds.go and
// shim_events.go. shim_personality.go is the seam between a session and
// its dialect; shim_module.go serves a module's several AT ports.
//
// The Backend is the real modem: it activates contexts (returning a
// Network, normally a *gprsppp.Link) and reports the modem's identity
// and radio state; gprsppp.ShimBackend is the one gprsppp connect and
// gprsppp shim use.
package shim
