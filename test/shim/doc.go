// Package shim holds the end-to-end tests of the QI* shim
// (shim.Shim): a host speaking Quectel M95/M66/M26/MC60 TCP/IP AT
// commands to the shim, or in the BG96 dialect the BG96/BG95/EC2x ones,
// whose connections run over a PPP link to the built-in modem simulator.
// The tests replay the dialogues of Quectel's application notes
// (testdata/*.txt) and of public client libraries (TinyGSM, mbed-os,
// TobudOS, and for the BG96 TinyGSM, Zephyr, mbed-os and RT-Thread) as
// those libraries match responses.
package shim
