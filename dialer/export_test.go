package dialer

// ForgetRejectedPINs clears the process's memory of the PINs SIMs
// rejected, so that each test starts afresh.
func ForgetRejectedPINs() {
	rejectedPINs.mu.Lock()
	defer rejectedPINs.mu.Unlock()
	rejectedPINs.set = nil
}
