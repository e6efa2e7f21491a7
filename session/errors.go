package session

import (
	"errors"

	"github.com/gprsppp/gprsppp/lcp"
)

// Reasons a link ends, as reported by Session.Err. Each may be wrapped
// with detail; test with errors.Is.
var (
	// ErrClosed: the link was closed locally.
	ErrClosed = errors.New("link closed")
	// ErrPeerTerminated: the peer sent LCP Terminate-Request.
	ErrPeerTerminated = lcp.ErrPeerTerminated
	// ErrAuthFailed: authentication failed or was refused.
	ErrAuthFailed = errors.New("authentication failed")
	// ErrKeepalive: the peer stopped answering LCP Echo-Requests.
	ErrKeepalive = lcp.ErrKeepalive
	// ErrLoopback: the line echoes our own frames back.
	ErrLoopback = lcp.ErrLoopback
	// ErrNegotiation: LCP or IPCP could not agree with the peer.
	ErrNegotiation = errors.New("negotiation failed")
	// ErrIO: reading or writing the line failed (carrier lost, EOF).
	ErrIO = errors.New("line I/O error")
	// ErrNotUp: IP packets cannot be sent before IPCP is Opened.
	ErrNotUp = errors.New("network layer not up")
)
