// Package fsm implements the option negotiation automaton of RFC 1661 §4,
// written once and shared by LCP and the network control protocols.
//
// The automaton itself is pure: Transition maps a state and an event to
// the next state and the actions to take, following the state transition
// table of RFC 1661 §4.1. Machine drives it for one protocol: it turns
// received packets into events, runs the actions (sending packets and
// starting the restart timer) and calls the protocol's Callbacks, modelled
// on pppd's fsm_callbacks. A Machine is owned by one goroutine, the link's;
// it starts no goroutines and takes no locks.
package fsm
