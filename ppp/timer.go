package ppp

import "time"

// Timer is a one-shot timer owned by a link. Its function runs on the
// link's own goroutine, so protocol state needs no locking. Reset restarts
// the timer; Stop cancels it. Both are safe to call when the timer is idle.
type Timer interface {
	Reset(d time.Duration)
	Stop()
}
