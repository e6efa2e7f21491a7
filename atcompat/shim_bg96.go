package atcompat

// bg96Sockets is the number of connectIDs of a BG96 (0 to 11).
const bg96Sockets = 12
