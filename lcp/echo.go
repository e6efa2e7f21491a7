package lcp

import (
	"encoding/binary"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// keepalive sends LCP Echo-Requests while the link is Opened and ends the
// link after EchoFailures of them go unanswered (pppd lcp-echo-interval,
// lcp-echo-failure, lcp-echo-adaptive).
type keepalive struct {
	l        *LCP
	timer    ppp.Timer
	pending  int  // Echo-Requests sent and not answered
	received bool // a frame arrived since the last tick
	lastID   uint8
}

func (k *keepalive) init(l *LCP) {
	k.l = l
	if l.cfg.EchoInterval > 0 {
		k.timer = l.cfg.NewTimer(k.tick)
	}
}

func (k *keepalive) start() {
	if k.timer == nil {
		return
	}
	k.pending, k.received = 0, false
	k.timer.Reset(k.l.cfg.EchoInterval)
}

func (k *keepalive) stop() {
	if k.timer != nil {
		k.timer.Stop()
	}
}

// tick runs every EchoInterval while Opened.
func (k *keepalive) tick() {
	l := k.l
	if l.m.State() != fsm.Opened {
		return
	}
	if k.received {
		// The peer is alive: any frame proves it. Reset the count so a
		// busy line never accumulates stale failures (pppd #323).
		k.pending = 0
	}
	if k.received && l.cfg.EchoAdaptive {
		k.received = false
		k.timer.Reset(l.cfg.EchoInterval)
		return
	}
	k.received = false
	if k.pending >= l.cfg.EchoFailures {
		l.cfg.Logger.Debug("lcp: no echo replies", "unanswered", k.pending)
		l.abort(ErrKeepalive)
		return
	}
	k.pending++
	k.lastID = l.m.NextID()
	data := binary.BigEndian.AppendUint32(nil, l.negotiated().LocalMagic)
	l.send(fsm.EchoRequest, k.lastID, data)
	k.timer.Reset(l.cfg.EchoInterval)
}

// disable stops the keepalive for good: the peer rejected Echo-Request.
func (k *keepalive) disable() {
	k.stop()
	k.timer = nil
}

// reply notes an Echo-Reply.
func (k *keepalive) reply(uint8) { k.pending = 0 }
