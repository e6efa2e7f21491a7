package test

import (
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// An open link that receives LCP Code-Rejects naming codes it never sends
// or can do without (0, Protocol-Reject, 12) and IPCP Code-Rejects naming
// codes IPCP does not have stays up on both sides (RFC 1661 §5.6: RXJ+),
// and still carries TCP.
func TestCodeRejectOfUnusedCodesKeepsLinkUp(t *testing.T) {
	clientEnd, networkEnd, toClient, toNetwork := injectLine(t)
	client, network := pair(t, clientEnd, networkEnd, gprsppp.Config{}, gprsppp.NetworkConfig{})
	serveNetwork(t, network)
	echoTCP(t, client, "10.64.64.1:7", 16<<10)
	before := negotiationPackets(toClient, toNetwork)

	rejects := []struct {
		proto ppp.Protocol
		code  fsm.Code // the code rejected
	}{
		{ppp.ProtocolLCP, 0},
		{ppp.ProtocolLCP, fsm.ProtocolReject},
		{ppp.ProtocolLCP, 12},
		{ppp.ProtocolIPCP, 0},
		{ppp.ProtocolIPCP, fsm.ProtocolReject},
		{ppp.ProtocolIPCP, 12},
	}
	for _, to := range []struct {
		name  string
		relay *injectRelay
	}{{"client", toClient}, {"network side", toNetwork}} {
		for i, rj := range rejects {
			// The rejected packet, as the peer would echo it back.
			rejected := []byte{byte(rj.code), uint8(i), 0, 4}
			if err := to.relay.inject(rj.proto, fsm.CodeReject, 0x80+uint8(i), rejected); err != nil {
				t.Fatal(err)
			}
		}
		if !to.relay.probe(t, 5*time.Second) {
			t.Fatalf("the %s did not answer an Echo-Request after the Code-Rejects", to.name)
		}
	}

	echoTCP(t, client, "10.64.64.1:7", 64<<10)
	for _, l := range []*gprsppp.Link{client, network} {
		select {
		case <-l.Done():
			t.Fatalf("link ended: %v", l.Err())
		default:
		}
		if got := l.Stats().CodeRejectsIgnored; got != uint64(len(rejects)) {
			t.Errorf("Stats().CodeRejectsIgnored = %d, want %d", got, len(rejects))
		}
	}
	if got := negotiationPackets(toClient, toNetwork); got != before {
		t.Errorf("Configure- and Terminate-Requests sent: %d, then %d after the Code-Rejects; want no more",
			before, got)
	}
}

// negotiationPackets counts the LCP and IPCP Configure- and
// Terminate-Requests that passed through the relays.
func negotiationPackets(relays ...*injectRelay) int64 {
	var n int64
	for _, r := range relays {
		for _, proto := range []ppp.Protocol{ppp.ProtocolLCP, ppp.ProtocolIPCP} {
			n += r.count(proto, fsm.ConfigureRequest) + r.count(proto, fsm.TerminateRequest)
		}
	}
	return n
}

// A Code-Reject naming a code the automaton needs, Configure-Request,
// still ends the link (RXJ-): Terminate-Request, and the link ends with
// ErrNegotiation on the side that received it.
func TestCodeRejectOfConfigureRequestEndsLink(t *testing.T) {
	clientEnd, networkEnd, toClient, toNetwork := injectLine(t)
	client, network := pair(t, clientEnd, networkEnd, gprsppp.Config{}, gprsppp.NetworkConfig{})
	if err := toClient.inject(ppp.ProtocolLCP, fsm.CodeReject, 0x80, []byte{byte(fsm.ConfigureRequest), 1, 0, 4}); err != nil {
		t.Fatal(err)
	}
	if err := waitDone(t, client, 10*time.Second); !isErr(err, gprsppp.ErrNegotiation) {
		t.Errorf("client: %v, want ErrNegotiation", err)
	}
	if err := waitDone(t, network, 10*time.Second); !isErr(err, gprsppp.ErrPeerTerminated) {
		t.Errorf("network side: %v, want ErrPeerTerminated", err)
	}
	if n := toNetwork.count(ppp.ProtocolLCP, fsm.TerminateRequest); n == 0 {
		t.Error("the client sent no Terminate-Request")
	}
}
