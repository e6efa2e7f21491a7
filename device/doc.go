// Package device opens the line to a modem and hands it on as a Port, the
// byte stream the AT dialogue and PPP run over.
//
// Open takes a spec naming the line:
//
//	/dev/ttyUSB2            a serial port or pty slave (go.bug.st/serial)
//	serial:/dev/ttyUSB2     the same, spelled out
//	unix:/run/modem.sock    a unix stream socket
//	tcp://host:2001         a raw TCP connection, for example to ser2net
//
// Options set the serial line (speed, character format, RTS/CTS hardware
// flow control); sockets ignore them, because the far end owns the line.
//
// Every Port behaves the same way: a Read past the read deadline returns an
// error matching os.ErrDeadlineExceeded; the far end hanging up (the USB
// modem unplugged, the pty master or the socket peer closed) makes Read
// return io.EOF; after Close, which unblocks a pending Read, Read and Write
// return errors matching net.ErrClosed. On a serial port, a read deadline
// set while a Read is pending takes effect within 100ms.
//
// A serial port is held exclusively while open, so that no second program
// (another gprsppp, pppd, minicom) writes into a live session: Open takes the
// UUCP lock file /var/lock/LCK..NAME that pppd's "lock" option and lockdev
// use, named after the device with symbolic links resolved and holding the
// PID as ten ASCII digits and a newline, and takes over a lock file whose
// process is gone. It then sets TIOCEXCL on the tty, which makes any further
// open(2) fail with EBUSY except for root. A port in use gives an error
// matching ErrBusy that names the holder's PID where the lock file tells it.
// Sockets and TCP lines take no lock file.
//
// Serial ports also implement ModemControl. Opening a serial port raises DTR
// and closing it drops DTR, so the modem hangs up when the port is closed.
//
// Errors from Open explain themselves ("device /dev/ttyUSB9: no such
// device") and match ErrNotFound, ErrBusy or ErrPermission where that is the
// cause, along with the underlying os or syscall error.
//
// Wiring:
//
//	port, err := device.Open(ctx, "/dev/ttyUSB2", device.Options{Baud: 115200})
//	if err != nil {
//		return err
//	}
//	defer port.Close()
//	if err := device.ResetInput(port); err != nil { // drop stale output
//		return err
//	}
//	// run the AT dialogue, then PPP, over port
package device
