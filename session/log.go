package session

import (
	"context"
	"log/slog"

	"github.com/gprsppp/gprsppp/ppp"
)

// logPacket logs a control packet at debug level, in pppd's style.
func (s *Session) logPacket(dir string, proto ppp.Protocol, pkt []byte) {
	if !s.cfg.Logger.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	s.cfg.Logger.Debug(dir + " [" + describe(proto, pkt) + "]")
}
