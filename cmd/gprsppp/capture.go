package main

import (
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/gprsppp/gprsppp/pcap"
)

// openCapture creates the --pcap file, readable by its owner alone
// (0600, also when the file existed with wider permissions): a capture
// holds everything the link carried, a PAP password among it. It returns
// the trace function for the link's configuration and the file to close.
// The first PAP Authenticate-Request the capture records logs a warning
// that the password is in it.
func openCapture(path string, log *slog.Logger) (trace func(sent bool, frame []byte), file *os.File, err error) {
	file, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--pcap: %w", err)
	}
	if err := file.Chmod(0o600); err != nil {
		file.Close()
		return nil, nil, fmt.Errorf("--pcap: %w", err)
	}
	w, err := pcap.NewWriter(file)
	if err != nil {
		file.Close()
		return nil, nil, fmt.Errorf("--pcap: %w", err)
	}
	var warned atomic.Bool
	trace = func(sent bool, frame []byte) {
		w.WriteFrame(time.Now(), sent, frame)
		if sent && isPAPRequest(frame) && !warned.Swap(true) {
			log.Warn("the capture holds the PAP password in clear: keep it private", "pcap", path)
		}
	}
	return trace, file, nil
}

// isPAPRequest reports whether a frame as the link traces it (sent
// frames start with the full Address, Control and Protocol fields) is a
// PAP Authenticate-Request (RFC 1334 §2.2.1), which carries the password.
func isPAPRequest(frame []byte) bool {
	return len(frame) > 4 && frame[0] == 0xff && frame[1] == 0x03 && frame[2] == 0xc0 && frame[3] == 0x23 && frame[4] == 1
}
