package dialer

// Validate reports what Dial would refuse in cfg before it touches the
// line: a SIM PIN that is not 4 to 8 digits, an APN or dial string that
// cannot be quoted in an AT command, a negative context ID. Its errors
// never quote the PIN. Callers that redial check once, up front, rather
// than failing every dial the same way.
func (cfg DialConfig) Validate() error { return cfg.check() }
