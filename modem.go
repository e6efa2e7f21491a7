package gprsppp

import "github.com/gprsppp/gprsppp/dialer"

// ErrCarrierLost reports that the modem dropped Data Carrier Detect
// (dialer.OnlineLine.WatchDCD).
var ErrCarrierLost = dialer.ErrCarrierLost
