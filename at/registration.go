package at

// Registration status <stat> of +CREG, +CGREG and +CEREG (3GPP TS 27.007
// §7.2, §10.1.20, §10.1.22), the ones a modem's dialer and the emulated
// modules act on. The others are 0 (not searching), 2 (searching), 4
// (unknown), 6 and 7 (registered for SMS only) and 8 (emergency bearer
// services only): none of those carries data.
const (
	RegHome        = 1
	RegDenied      = 3
	RegRoaming     = 5
	RegCSFBHome    = 9  // +CEREG: registered, "CSFB not preferred"
	RegCSFBRoaming = 10 // the same, roaming
)
