package modemsock

import "fmt"

// EventKind says what happened to a socket or context.
type EventKind int

// The events a Core reports.
const (
	// EventConnected: a Dial succeeded; the socket is Connected.
	EventConnected EventKind = iota + 1
	// EventConnectFailed: a Dial failed (Err says why); the socket is
	// Closed.
	EventConnectFailed
	// EventAccepted: a Listener took a connection; Socket is the new,
	// Connected socket.
	EventAccepted
	// EventReadable: data arrived; N is how much the socket buffers now.
	EventReadable
	// EventPeerClosed: the peer closed the connection or it failed (Err,
	// io.EOF for an orderly close). The socket is Closed; N bytes,
	// including any that came with the close, remain readable.
	EventPeerClosed
	// EventSent: the writer wrote N bytes of one queued write.
	EventSent
	// EventSendFailed: a queued write failed after N bytes (Err).
	EventSendFailed
	// EventContextLost: Context's network went away (the link dropped).
	EventContextLost
)

var eventNames = [...]string{
	EventConnected: "connected", EventConnectFailed: "connect failed",
	EventAccepted: "accepted", EventReadable: "readable",
	EventPeerClosed: "peer closed", EventSent: "sent",
	EventSendFailed: "send failed", EventContextLost: "context lost",
}

// String names the event kind.
func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one thing that happened, delivered to Config.Events on the
// embedder's goroutine.
type Event struct {
	Kind EventKind
	// Socket is the socket concerned; nil for EventContextLost.
	Socket *Socket
	// Context is the context lost (EventContextLost).
	Context *Context
	// Listener is the listener that accepted (EventAccepted).
	Listener *Listener
	// N is a byte count: buffered (EventReadable, EventPeerClosed) or
	// written (EventSent, EventSendFailed).
	N int
	// Err is the cause of a failure or close.
	Err error
}
