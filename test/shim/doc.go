// Package shim holds the end-to-end tests of the QI* shim
// (atcompat.Shim): a host speaking Quectel M95/M66/M26/MC60 TCP/IP AT
// commands to the shim, whose connections run over a PPP link to the
// built-in modem simulator. The tests replay the dialogues of Quectel's
// application notes (testdata/*.txt) and of public client libraries
// (TinyGSM, mbed-os, TobudOS) as those libraries match responses.
package shim
