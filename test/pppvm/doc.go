// Package pppvm runs a real Debian pppd as the peer of interoperability
// tests. The pppd sits in a small qemu virtual machine (../shared/peers/pppd-vm
// beside the repository) that also plays a cellular modem on its serial
// line: AT commands, then ATD*99***1# answered with CONNECT and pppd, as the
// network side, on the same line.
//
// A test boots a VM, dials it and runs the PPP client under test over the
// returned stream:
//
//	vm := pppvm.Start(t, pppvm.Options{Auth: "pap", User: "u", Password: "p"})
//	line, err := vm.Dial(ctx)
//	// line is in data mode: the next byte is pppd's first LCP frame.
//
// With Options.CMUX the modem offers a 27.010 multiplexer (AT+CMUX=0)
// through Linux n_gsm, which needs the image's CMUX part (fetch --cmux).
//
// Each VM has its own state directory, so tests may boot several at once.
// When qemu or the VM image is missing, Start skips the test, unless the
// environment sets GPRSPPP_PPPVM=require (as CI does), which makes it fail.
// In -short mode Start skips unless required. Environment:
//
//	GPRSPPP_PPPVM=require  fail instead of skipping when the VM is unavailable
//	GPRSPPP_PPPVM_DIR      the pppd-vm scripts (default: shared/peers/pppd-vm
//	                       beside the directory holding go.mod)
//	PPPVM_CACHE            the VM image built by the scripts' fetch (default:
//	                       $HOME/.cache/gprsppp/pppvm, or the scripts' own
//	                       cache/ if only that holds an image)
//	PPPVM_ACCEL            kvm, tcg or auto (default), and PPPVM_APPEND (extra
//	                       kernel arguments), passed to the start script
//
// Other PPPVM_ variables are not passed on: the VM's pppd settings come
// from Options only.
package pppvm
