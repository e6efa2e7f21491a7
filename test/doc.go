// Package test holds gprsppp's end-to-end tests: client and network side
// back to back over in-memory pipes and ptys, and interoperability with a
// real pppd (see package test/pppvm).
package test
