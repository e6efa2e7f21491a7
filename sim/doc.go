// Package sim hosts the services of a simulated operator network on the
// network side of a PPP link: TCP and UDP echo (port 7), discard (port 9),
// an HTTP server (port 80) with an index page and a large deterministic
// file, and DNS (port 53) for the network's own names.
package sim
