package shim

import (
	"encoding/hex"
	"fmt"
	"net/netip"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// AT#SI[=<connId>]: "#SI: <connId>,<sent>,<received>,<buff_in>,
// <ack_waiting>": octets the host sent, octets received (read and
// buffered), octets buffered, and octets sent that the peer has not
// acknowledged (from the stack; attentive polls it to 0).
func (s *shimSession) cmdTelitSI(c *shimCmd) error {
	lo, hi, err := s.telitIDs(c, "#SI")
	if err != nil || lo > hi {
		return err
	}
	for id := lo; id <= hi; id++ {
		var sent, recv, buf, unacked int
		if k := s.tl().socks.Get(id); k != nil && k.sock != nil {
			var acked int
			sent, acked = k.sock.Counters()
			buf = k.sock.Buffered()
			recv = k.received + buf
			if !k.udp {
				unacked = sent - acked
			}
		}
		s.line(fmt.Sprintf("#SI: %d,%d,%d,%d,%d", id, sent, recv, buf, unacked))
	}
	return nil
}

// AT#SRECV=<connId>,<maxByte>[,<UDPInfo>]: "#SRECV: <connId>,<n>", the
// data (hex with recvDataMode 1), OK. With nothing to read it is "+CME
// ERROR: activation failed", as on the module ("message is misleading",
// says attentive, which stops reading on it).
func (s *shimSession) cmdTelitSRECV(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(fmt.Sprintf("#SRECV: (1-6),(1-%d),(0-1)", telitMaxRecv))
		return nil
	}
	id, k, ok0 := s.telitSocketArg(c, 0)
	n, ok1 := c.intArg(1, 1, telitMaxRecv)
	info, ok2 := 0, true
	if len(c.args) == 3 {
		info, ok2 = c.intArg(2, 0, 1)
	}
	if c.Op != at.Set || !c.argc(2, 3) || !ok0 || !ok1 || !ok2 {
		return at.Error
	}
	if k == nil || k.sock == nil || k.sock.Buffered() == 0 {
		return telitErr(telitErrActivation)
	}
	if d := k.port.data; d != nil && d.owner == k && d.active {
		return telitErr(telitErrMode)
	}
	if k.udp {
		n = min(n, len(k.sock.Packets()[0]))
	}
	data := k.sock.Read(n)
	k.received += len(data)
	left := k.sock.Buffered()
	if info == 1 {
		r := k.sock.Remote()
		s.line(fmt.Sprintf("#SRECV: %s,%d,%d,%d,%d", telitAddr(r), r.Port(), id, len(data), left))
	} else {
		s.line(fmt.Sprintf("#SRECV: %d,%d", id, len(data)))
	}
	if s.tl().cfg[id].recvMode == 1 {
		s.raw([]byte(fmt.Sprintf("%X", data)))
	} else {
		s.raw(data)
	}
	s.raw([]byte("\r\n"))
	// The next SRING is for data that arrives once the buffer is empty,
	// not for what this read left: attentive's telit2 reads 128 octets
	// at a time and its reader thread reuses the response buffer for a
	// URC that follows the OK at once, so a module that rang here would
	// break it on every long read.
	k.rung = left > 0
	return nil
}

// AT#SSEND=<connId>: "> ", the data up to Ctrl-Z (ESC cancels), OK.
func (s *shimSession) cmdTelitSSEND(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("#SSEND: (1-6)")
		return nil
	}
	id, k, ok := s.telitSocketArg(c, 0)
	if c.Op != at.Set || !ok || !c.argc(1, 2) {
		return at.Error
	}
	if k == nil {
		return telitErr(telitErrState)
	}
	return s.telitStartSend(k, k.sock, 0, s.tl().cfg[id].sendMode == 1)
}

// AT#SSENDEXT=<connId>,<bytestosend>: "> ", exactly that many octets of
// any value, OK.
func (s *shimSession) cmdTelitSSENDEXT(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(fmt.Sprintf("#SSENDEXT: (1-6),(1-%d)", s.cfg.Profile.MaxSend))
		return nil
	}
	_, k, ok := s.telitSocketArg(c, 0)
	n, okN := c.intArg(1, 1, s.cfg.Profile.MaxSend)
	if c.Op != at.Set || !ok || !okN || len(c.args) != 2 {
		return at.Error
	}
	if k == nil {
		return telitErr(telitErrState)
	}
	return s.telitStartSend(k, k.sock, n, false)
}

// AT#SSENDUDP=<connId>,<remIP>,<remPort>: as AT#SSEND, a datagram to
// that peer from a UDP listening socket (AT#SLUDP) once AT#SA accepted
// its first peer; the socket stays bound to its port.
func (s *shimSession) cmdTelitSSENDUDP(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(`#SSENDUDP: (1-6),"IP",(1-65535)`)
		return nil
	}
	if c.Op != at.Set || len(c.args) != 3 {
		return at.Error
	}
	id, k, sock, err := s.telitUDPPeer(c, 1)
	if err != nil {
		return err
	}
	return s.telitStartSend(k, sock, 0, s.tl().cfg[id].sendMode == 1)
}

// AT#SSENDUDPEXT=<connId>,<bytestosend>,<remIP>,<remPort>: the same
// with a fixed length of 1 to 1500 octets of any value.
func (s *shimSession) cmdTelitSSENDUDPEXT(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(`#SSENDUDPEXT: (1-6),(1-1500),"IP",(1-65535)`)
		return nil
	}
	n, ok := c.intArg(1, 1, telitMaxSend)
	if c.Op != at.Set || len(c.args) != 4 || !ok {
		return at.Error
	}
	_, k, sock, err := s.telitUDPPeer(c, 2)
	if err != nil {
		return err
	}
	return s.telitStartSend(k, sock, n, false)
}

// telitUDPPeer returns the connection ID of parameter 0, its socket, and
// the socket of the peer in parameters i and i+1 of its UDP listener.
func (s *shimSession) telitUDPPeer(c *shimCmd, i int) (int, *telitSocket, *modemsock.Socket, error) {
	id, k, ok := s.telitSocketArg(c, 0)
	port, okP := c.intArg(i+1, 1, 65535)
	ip, err := netip.ParseAddr(c.args[i].val)
	if !ok || !okP || err != nil || !ip.Is4() {
		return 0, nil, nil, at.Error
	}
	if k == nil || !k.udp || k.lis == nil || k.sock == nil {
		return 0, nil, nil, telitErr(telitErrState)
	}
	sock := k.lis.Peer(netip.AddrPortFrom(ip, uint16(port)))
	if sock == nil {
		return 0, nil, nil, telitErr(telitErrState)
	}
	return id, k, sock, nil
}

// telitStartSend prompts for a payload for k's connection sock (fixed
// octets, or up to Ctrl-Z when 0), typed in hex if hexData (AT#SCFGEXT's
// sendDataMode 1, which the shim applies to AT#SSEND and AT#SSENDUDP).
func (s *shimSession) telitStartSend(k *telitSocket, sock *modemsock.Socket, fixed int, hexData bool) error {
	if sock == nil || sock.State() != modemsock.Connected {
		return telitErr(telitErrState)
	}
	if d := k.port.data; d != nil && d.owner == k && d.active {
		return telitErr(telitErrMode)
	}
	s.startPayload(&shimSendInput{fixed: fixed, done: func(data []byte) {
		if hexData {
			var err error
			if data, err = hex.DecodeString(string(data)); err != nil {
				s.errorResult(at.Error)
				return
			}
		}
		switch {
		case len(data) == 0:
			s.result("OK")
		case sock.Write(data, nil):
			s.result("OK")
		default:
			s.errorResult(telitErr(telitErrTx))
		}
	}})
	return errShimFinal
}

// AT#SLASTCLOSURE[=<connId>]: "#SLASTCLOSURE: <connId>,<cause>", why
// the socket's last connection ended: 0 not by the peer (or not yet), 1
// the peer's FIN, 2 a reset or error.
func (s *shimSession) cmdTelitSLASTCLOSURE(c *shimCmd) error {
	lo, hi, err := s.telitIDs(c, "#SLASTCLOSURE")
	if err != nil || lo > hi {
		return err
	}
	for id := lo; id <= hi; id++ {
		cause := 0
		if k := s.tl().socks.Get(id); k != nil {
			cause = k.closure
		}
		s.line(fmt.Sprintf("#SLASTCLOSURE: %d,%d", id, cause))
	}
	return nil
}
