package lcp

import (
	"encoding/binary"
	"fmt"
	"log/slog"
	"math/rand/v2"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// LCP is one link's Link Control Protocol. Its methods must be called from
// the link's goroutine.
type LCP struct {
	cfg     Config
	m       *fsm.Machine
	n       negotiation
	echo    keepalive
	reason  error // why the link is ending, reported by Finished
	pending error // a failure found while the automaton was running
	buf     []byte
}

// New returns an LCP in the Initial state.
func New(cfg Config) *LCP {
	if cfg.Magic == nil {
		cfg.Magic = rand.Uint32
	}
	if cfg.LoopbackFail == 0 {
		cfg.LoopbackFail = 5
	}
	if cfg.EchoFailures == 0 {
		cfg.EchoFailures = 4
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	l := &LCP{cfg: cfg}
	l.n = negotiation{cfg: &l.cfg, lcp: l}
	l.n.reset()
	l.m = fsm.New(fsm.Config{
		Protocol:     ppp.ProtocolLCP,
		Send:         cfg.Send,
		NewTimer:     cfg.NewTimer,
		Restart:      cfg.Restart,
		MaxConfigure: cfg.MaxConfigure,
		MaxTerminate: cfg.MaxTerminate,
		MaxFailure:   cfg.MaxFailure,
		Logger:       cfg.Logger,
	}, &l.n)
	l.echo.init(l)
	return l
}

// State returns the automaton's state.
func (l *LCP) State() fsm.State { return l.m.State() }

// CodeRejectsIgnored counts the peer's Code-Rejects of codes LCP can do
// without (fsm.Machine.CodeRejectsIgnored); safe from any goroutine.
func (l *LCP) CodeRejectsIgnored() uint64 { return l.m.CodeRejectsIgnored() }

// Open starts negotiation once the line is up (the Open and Up events).
func (l *LCP) Open() {
	l.m.Open()
	l.m.Up()
}

// Close terminates the link administratively: Terminate-Request, then
// Finished once the peer acknowledges or the requests run out.
func (l *LCP) Close(reason error) {
	if l.reason == nil {
		l.reason = reason
	}
	l.m.Close()
}

// LowerDown reports that the line is gone (carrier lost, I/O error).
func (l *LCP) LowerDown(reason error) {
	if l.reason == nil {
		l.reason = reason
	}
	l.m.Down()
	l.echo.stop()
	l.m.Stop()
	l.finished()
}

// abort ends the link at once: one Terminate-Request as a courtesy, then
// Finished without waiting for an answer that will not come.
func (l *LCP) abort(reason error) {
	l.Close(reason)
	l.LowerDown(reason)
}

// Stop cancels every timer for good, for use when the link has ended.
func (l *LCP) Stop() {
	l.echo.stop()
	l.m.Stop()
}

// Receive processes one LCP packet.
func (l *LCP) Receive(pkt []byte) {
	// A Terminate-Request ends the link in Opened; in the request states
	// it is acknowledged and negotiation goes on (RFC 1661 §4.1), unless
	// we refused to authenticate, which is then why the peer leaves.
	if len(pkt) > 0 && fsm.Code(pkt[0]) == fsm.TerminateRequest && l.reason == nil &&
		(l.m.State() == fsm.Opened || l.n.authRefused) {
		l.reason = ErrPeerTerminated
		if l.n.authRefused {
			l.reason = fmt.Errorf("%w: the peer requires authentication and no credentials are configured (%w)",
				ErrAuthRefused, ErrPeerTerminated)
		}
	}
	if err := l.m.Receive(pkt); err != nil {
		l.cfg.Logger.Debug("lcp: malformed packet dropped", "err", err)
	}
	if err := l.pending; err != nil {
		l.pending = nil
		l.Close(err)
	}
}

// Received notes that a frame of any protocol arrived, for the adaptive
// keepalive.
func (l *LCP) Received() { l.echo.received = true }

// SendProtocolReject rejects a packet of an unsupported protocol
// (RFC 1661 §5.7). It is sent only while LCP is Opened; info is the
// rejected packet's information field.
func (l *LCP) SendProtocolReject(p ppp.Protocol, info []byte) {
	if l.m.State() != fsm.Opened {
		return
	}
	data := binary.BigEndian.AppendUint16(l.buf[:0], uint16(p))
	room := int(l.negotiated().SendMRU) - ppp.ControlHeaderLen - 2
	data = append(data, info[:min(len(info), max(room, 0))]...)
	l.send(fsm.ProtocolReject, l.m.NextID(), data)
}

func (l *LCP) send(code fsm.Code, id uint8, data []byte) {
	pkt := ppp.ControlPacket{Code: uint8(code), Identifier: id, Data: data}.Append(nil)
	l.cfg.Send(pkt)
}

// fail ends the link with err once the current packet is processed.
func (l *LCP) fail(err error) {
	if l.pending == nil {
		l.pending = err
	}
}

func (l *LCP) negotiated() Negotiated {
	n := &l.n
	ng := Negotiated{SendMRU: n.his.mru, RecvMRU: defaultMRU, SendACCM: n.his.accm,
		SendPFC: n.his.neg[TypePFC], SendACFC: n.his.neg[TypeACFC],
		SendFCS32: n.his.neg[TypeFCSAlternatives] && n.his.fcs&FCS32Bit != 0,
		RecvFCS32: n.got.neg[TypeFCSAlternatives] && n.got.fcs&FCS32Bit != 0}
	if !n.his.neg[TypeACCM] {
		ng.SendACCM = 0xffffffff
	}
	if n.got.neg[TypeMRU] {
		ng.RecvMRU = n.got.mru
	}
	if n.his.neg[TypeAuthenticationProtocol] {
		ng.AuthSelf = n.his.auth
	}
	if n.got.neg[TypeAuthenticationProtocol] {
		ng.AuthPeer = n.got.auth
	}
	if n.got.neg[TypeMagicNumber] {
		ng.LocalMagic = n.got.magic
	}
	if n.his.neg[TypeMagicNumber] {
		ng.PeerMagic = n.his.magic
	}
	return ng
}

func (l *LCP) up() {
	ng := l.negotiated()
	l.cfg.Logger.Debug("lcp: opened", "mru", ng.SendMRU, "asyncmap", fmt.Sprintf("%#x", ng.SendACCM),
		"pcomp", ng.SendPFC, "accomp", ng.SendACFC, "auth", ng.AuthSelf,
		"send-fcs32", ng.SendFCS32, "recv-fcs32", ng.RecvFCS32)
	l.echo.start()
	if l.cfg.Up != nil {
		l.cfg.Up(ng)
	}
}

func (l *LCP) down() {
	l.echo.stop()
	if l.cfg.Down != nil {
		l.cfg.Down()
	}
}

func (l *LCP) finished() {
	l.echo.stop()
	reason := l.reason
	if reason == nil {
		reason = ErrNegotiation
		if l.n.authRefused {
			reason = ErrAuthRefused
		}
	}
	if l.cfg.Finished != nil {
		l.cfg.Finished(reason)
	}
}

// receiveOther handles Protocol-Reject, Echo and Discard (RFC 1661 §5.7
// to §5.9); they are acted on only in the Opened state.
func (l *LCP) receiveOther(code fsm.Code, id uint8, data []byte) bool {
	opened := l.m.State() == fsm.Opened
	switch code {
	case fsm.ProtocolReject:
		if opened && len(data) >= 2 && l.cfg.ProtocolRejected != nil {
			l.cfg.ProtocolRejected(ppp.Protocol(binary.BigEndian.Uint16(data)))
		}
	case fsm.EchoRequest:
		if opened && len(data) >= 4 {
			l.checkPeerMagic(data)
			reply := binary.BigEndian.AppendUint32(l.buf[:0], l.negotiated().LocalMagic)
			l.buf = append(reply, data[4:]...)
			l.send(fsm.EchoReply, id, l.buf)
		}
	case fsm.EchoReply:
		if opened && len(data) >= 4 && id == l.echo.lastID {
			l.checkPeerMagic(data)
			l.echo.reply(id)
		}
	case fsm.DiscardRequest:
	default:
		return false
	}
	return true
}

// checkPeerMagic treats an echo carrying our own magic number as a sign
// of a looped-back line.
func (l *LCP) checkPeerMagic(data []byte) {
	m := binary.BigEndian.Uint32(data)
	if local := l.negotiated().LocalMagic; local != 0 && m == local {
		l.n.loops++
		l.n.checkLoopback()
	}
}
