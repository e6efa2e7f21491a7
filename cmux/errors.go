package cmux

import "errors"

// Errors callers branch on. A channel's reads and writes fail with
// ErrChannelClosed wrapping the reason (ErrDisconnected, ErrRefused, or
// the multiplexer's end: ErrMuxClosed, ErrClosedByPeer, ErrPeerSilent,
// ErrNoResponse or the port's error).
var (
	// ErrChannelClosed: the channel is closed, by Close, by the peer or
	// with the multiplexer.
	ErrChannelClosed = errors.New("cmux: channel closed")
	// ErrDisconnected: the peer closed the DLC (DISC, or an unsolicited
	// DM).
	ErrDisconnected = errors.New("cmux: DLC closed by the peer")
	// ErrRefused: the peer answered SABM with DM.
	ErrRefused = errors.New("cmux: DLC refused by the peer (DM)")
	// ErrNoResponse: the peer did not answer SABM within T1 after N2
	// retransmissions.
	ErrNoResponse = errors.New("cmux: no response from the peer")
	// ErrMuxClosed: Close ended the multiplexer.
	ErrMuxClosed = errors.New("cmux: multiplexer closed")
	// ErrClosedByPeer: the peer ended the multiplexer (CLD, or DISC on
	// DLCI 0).
	ErrClosedByPeer = errors.New("cmux: multiplexer closed by the peer")
	// ErrPeerSilent: KeepAlive's Test commands went unanswered.
	ErrPeerSilent = errors.New("cmux: peer silent: Test commands unanswered")
	// ErrNotSupported: the peer answered a control message with NSC.
	ErrNotSupported = errors.New("cmux: control message not supported by the peer")
)
